// The saga widget in a browser: fail a step from the panel and read the compensation in the
// metrics and on the sequence diagram; duplicate a message with idempotency off and see the
// auditor flag the order; crash the 2PC coordinator and read the blocked participants; the
// lesson renders; the phone layout fits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, metricOf, waitMetric, pause, play, waitEvents, OUT } from './harness.mjs';

const ctx = useSite();

async function open(page, query) {
  await page.goto(`${ctx.site.url}#/widget/saga?${query}`);
  await page.waitForSelector('.widget .saga-panel');
  return page.locator('.widget').first();
}

test('fail the payment step: every order is compensated, drawn dashed, invariants hold', async () => {
  const page = await newPage(ctx.browser);
  const w = await open(page, 'orders=30&seed=3');
  await w.locator('.saga-break button[data-fail=payment]').click();
  await w.locator('.saga-break button[data-fail=payment][aria-pressed=true]').waitFor();
  assert.match(await w.locator('tr[data-service=payment] th').innerText(), /fails/);
  await w.locator('select[data-action=speed]').selectOption({ label: 'real time' });
  await w.locator('button[data-action=play]').click();
  await waitMetric(page, 0, 'compensated', '>=', 3);
  // Pause before reading the panel: while playing it redraws ten times a second, and a click
  // could land on a button that is being replaced.
  await pause(w);
  assert.equal(await metricOf(w, 'committed'), 0, 'payment always fails: nothing commits');
  assert.equal(await metricOf(w, 'inconsistent'), 0);
  assert.equal(await w.locator('.saga-invariants .inv.ok').count(), 3, 'all three invariants hold');

  // Pick an order that ended compensated and read its diagram: the stock was released.
  await w.locator('.saga-picker button.st.compensated').first().click();
  const fig = w.locator('figure.saga-seq[data-state=compensated]');
  await fig.waitFor();
  assert.ok(await fig.locator('g.msg.comp').count() >= 2, 'release and its reply drawn as compensations');
  const labels = await fig.locator('g.msg text').allTextContents();
  for (const l of ['place-order', 'reserve', 'charge', 'failed', 'release', 'undone', 'order-undone']) {
    assert.ok(labels.includes(l), `diagram lacks ${l}: ${labels}`);
  }
  assert.ok(!labels.includes('ship'), 'shipping is never asked');
  await fig.locator('summary').click();
  assert.match(await fig.locator('.saga-seq-text ol').innerText(), /orchestrator → inventory: release \(compensation\)/);
  await w.screenshot({ path: `${OUT}saga-compensation.png` });
  // Reset starts again from zero with the settings as they are now: payment still fails.
  await w.locator('button[data-action=reset]').click();
  await waitMetric(page, 0, 'orders', '===', 0);
  await w.locator('.saga-break button[data-fail=payment][aria-pressed=true]').waitFor();
  await w.locator('button[data-action=play]').click();
  await waitMetric(page, 0, 'compensated', '>=', 3);
  assert.equal(await metricOf(w, 'committed'), 0, 'after Reset, payment still fails');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('duplicate a message with idempotency off: a doubled effect breaks an invariant', async () => {
  const page = await newPage(ctx.browser);
  const w = await open(page, 'orders=20&seed=4');
  await w.locator('.saga-break button[data-action=idempotent]').click();
  await w.locator('.saga-break button[data-action=idempotent][aria-pressed=false]').waitFor();
  await w.locator('select[data-action=speed]').selectOption({ label: 'real time' });
  await w.locator('button[data-action=play]').click();
  await waitMetric(page, 0, 'committed', '>=', 2);
  await w.locator('button[data-action="do:duplicate-next"]').click();
  await waitMetric(page, 0, 'duplicate_effects', '>=', 1);
  await waitMetric(page, 0, 'inconsistent', '>=', 1);
  await pause(w);
  const broken = w.locator('.saga-invariants .inv.broken');
  assert.ok(await broken.count() >= 1);
  assert.match(await broken.first().innerText(), /BROKEN.*first: order #\d+ ended with/s);
  await broken.first().locator('button.linkish').click();
  await w.locator('figure.saga-seq[data-state=inconsistent]').waitFor();
  assert.ok(await w.locator('figure.saga-seq g.msg.dup').count() >= 1, 'the copy is drawn');
  await w.screenshot({ path: `${OUT}saga-duplicate.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('2PC: crash the coordinator, participants stay blocked until it restarts', async () => {
  const page = await newPage(ctx.browser);
  const w = await open(page, 'mode=2pc&orders=40&seed=5');
  // Step event by event until a participant holds a lock (it voted yes), then crash the
  // coordinator at that very instant.
  const locked = () => page.evaluate(() => [...document.querySelectorAll('.widget tr[data-service] td:nth-child(2)')]
    .some((td) => /locks [1-9]/.test(td.textContent)));
  for (let i = 0; i < 60 && !(await locked()); i++) await w.locator('button[data-action=step]').click();
  assert.ok(await locked(), 'a participant should lock within 60 events');
  await w.locator('.saga-break button[data-action=crash-hub]').click();
  await w.locator('g.node.down[data-node="1"]').waitFor();
  await w.locator('select[data-action=speed]').selectOption({ label: 'real time' });
  await w.locator('button[data-action=play]').click();
  await waitMetric(page, 0, 'blocked', '>=', 1);
  // Let the simulation move on by a few hundred events (not wall time) and pause: still blocked.
  await waitEvents(page, 0, 200);
  await pause(w);
  const blocked = await metricOf(w, 'blocked');
  assert.ok(blocked >= 1, 'nobody releases a lock without the coordinator');
  assert.match(await w.locator('.saga-break button[data-action=crash-hub]').innerText(), /Restart the coordinator/);
  await w.screenshot({ path: `${OUT}saga-2pc-blocked.png` });
  await w.locator('.saga-break button[data-action=crash-hub]').click();
  await play(w);
  await waitMetric(page, 0, 'blocked', '===', 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the sagas lesson renders its widgets without directive errors', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/sagas.html`);
  await page.waitForSelector('.widget .saga-panel');
  assert.match(await page.locator('article.lesson h1').innerText(), /Saga/);
  assert.equal(await page.locator('.error-box').count(), 0, 'no directive errors');
  assert.ok(await page.locator('.widget').count() >= 4);
  await page.screenshot({ path: `${OUT}saga-lesson.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('phone width: the saga widget fits', async () => {
  const page = await newPage(ctx.browser, { width: 375, height: 800 });
  const w = await open(page, 'fail_step=shipping&orders=10&seed=2');
  await w.locator('select[data-action=speed]').selectOption({ label: '10×' });
  await w.locator('button[data-action=play]').click();
  await waitMetric(page, 0, 'compensated', '>=', 3);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: `${OUT}saga-375.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});
