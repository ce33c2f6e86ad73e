// The builder (#/build): compose the first example design of the system issue from empty with the
// keyboard only, run it, crash the database, share it, and open the permalink to the same run; a
// mistake names its line while the last design keeps running; every preset opens and runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage } from './harness.mjs';

const ctx = useSite();
const fingerprint = (page) => page.locator('[data-testid=trace-hash]').innerText();

/** Press a control from the keyboard: focus it, then Enter. */
async function press(page, sel) {
  await page.focus(sel);
  await page.keyboard.press('Enter');
}

test('build the first example from empty with the keyboard, run it, crash the database, share it', async () => {
  const page = await newPage(ctx.browser, { width: 1280, height: 900 });
  await page.goto(`${ctx.site.url}#/build`);
  await page.waitForSelector('textarea#design-text');
  assert.equal(await page.locator('.builder .widget').count(), 0, 'nothing runs before there is a design');
  for (const kind of ['clients', 'balancer', 'service', 'database']) await press(page, `button[data-add=${kind}]`);
  // Wire users -> lb -> api -> db with the wire form (select with the keyboard, then Enter).
  for (const [from, to] of [['users', 'lb'], ['lb', 'api'], ['api', 'db']]) {
    await page.focus('#wire-from');
    await page.selectOption('#wire-from', from);
    await page.selectOption('#wire-to', to);
    await press(page, 'button[data-action=wire]');
  }
  await page.waitForSelector('.builder .widget');
  assert.equal(await page.inputValue('textarea#design-text'),
    'users: clients\nlb: balancer\napi: service\ndb: database\nusers -> lb\nlb -> api\napi -> db');
  // Now the settings of the example, typed into the text view.
  const design = 'users: clients rate=300 deadline_ms=1000\nlb: balancer algorithm=p2c\napi: service replicas=3 workers=4 service_ms=20\ndb: database workers=8 service_ms=4\nusers -> lb -> api -> db';
  await page.focus('textarea#design-text');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(design);
  const wired = await page.evaluate(() => location.hash);
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((h) => location.hash !== h && location.hash.startsWith('#/build?design~=1'), wired);
  // A mistake is named by its line; the last design keeps running and the text is kept.
  await page.focus('textarea#design-text');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nbroken line here');
  await page.keyboard.press('Control+Enter');
  assert.match(await page.locator('[data-testid=design-error]').innerText(), /line 6/);
  assert.ok((await page.inputValue('textarea#design-text')).endsWith('broken line here'));
  assert.equal(await page.locator('.builder .widget').count(), 1);
  // Run a little, crash the database from the keyboard (inspect it, then its Crash button), run on.
  await press(page, '.builder button[data-action=step]');
  const db = page.locator('g.node', { has: page.locator('text.name', { hasText: /^db$/ }) });
  await db.focus();
  await page.keyboard.press('Enter');
  await press(page, '[data-action=inspect-toggle]');
  await page.waitForSelector('g.node.down');
  await press(page, '.builder button[data-action=run-to-end]');
  await page.waitForSelector('.builder button[data-action=play][disabled]');
  const availability = Number(await page.locator('.metric[data-metric=availability] dd').textContent());
  assert.ok(availability < 0.9, `requests fail once the database is down (availability ${availability})`);
  const end = await fingerprint(page);
  await press(page, '.builder button[data-action=share]');
  const link = await page.locator('.sheet input').first().inputValue();
  assert.match(link, /design~=1/);
  const again = await newPage(ctx.browser);
  await again.goto(link);
  await again.waitForSelector('[data-testid=trace-hash]');
  assert.equal(await fingerprint(again), end, 'the permalink replays the same run');
  // And the builder's own address opens the same design.
  const here = page.url();
  const third = await newPage(ctx.browser);
  await third.goto(here);
  await third.waitForSelector('.builder .widget');
  assert.equal(await third.inputValue('textarea#design-text'), design);
  for (const p of [page, again, third]) assert.deepEqual(p.problems, []);
  await Promise.all([page.close(), again.close(), third.close()]);
});

test('every preset opens in the builder and runs to its end', async () => {
  const page = await newPage(ctx.browser, { width: 375, height: 800 });
  await page.goto(`${ctx.site.url}#/build`);
  const presets = await page.locator('select[data-action=preset] option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(presets.length >= 10, `presets: ${presets}`);
  for (const p of presets) {
    await page.selectOption('select[data-action=preset]', p);
    await page.waitForFunction((p) => location.hash.startsWith('#/build?design~=1'), p);
    await page.locator('.builder button[data-action=run-to-end]').click();
    await page.waitForSelector('.builder button[data-action=play][disabled]');
    const offered = Number(await page.locator('.metric[data-metric=offered] dd').textContent());
    assert.ok(offered > 0, `${p}: requests offered`);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the builder is ${overflow} px wider than a phone`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a hostile design address opens the builder with a message, never markup', async () => {
  const page = await newPage(ctx.browser);
  const bad = encodeURIComponent('<img src=x onerror=alert(1)>: clients\napi: service');
  await page.goto(`${ctx.site.url}#/build?design=${bad}`);
  await page.waitForSelector('[data-testid=design-error]');
  assert.equal(await page.locator('img').count(), 0);
  assert.match(await page.inputValue('textarea#design-text'), /^<img src=x/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a system widget opens in the builder; remove a component, undo, redo', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/system?preset=retry-storm&seed=2`);
  await page.click('a[data-action=open-builder]');
  await page.waitForSelector('.builder .widget');
  const original = await page.inputValue('textarea#design-text');
  assert.match(original, /^users: clients/);
  assert.match(original, /retry=immediate/);
  await page.selectOption('#remove-which', 'api');
  await page.click('button[data-action=remove]');
  await page.waitForFunction(() => !/^api:/m.test(document.querySelector('textarea#design-text').value));
  assert.doesNotMatch(await page.inputValue('textarea#design-text'), /->|api/, 'its wires and faults went with it');
  await page.click('button[data-action=undo]');
  assert.equal(await page.inputValue('textarea#design-text'), original);
  await page.click('button[data-action=redo]');
  assert.doesNotMatch(await page.inputValue('textarea#design-text'), /^api:/m);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('an SLO target gets a live verdict from the run', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/system?preset=circuit-breaker&seed=1`);
  await page.click('a[data-action=open-builder]');
  await page.waitForSelector('.builder .widget');
  await page.locator('.builder button[data-action=run-to-end]').click();
  await page.waitForFunction(() => /missed/.test(document.querySelector('[data-testid=slo]').textContent));
  const avail = Number(await page.locator('.metric[data-metric=availability] dd').textContent());
  assert.ok(avail < 0.99, `the database dies for five seconds: availability ${avail}`);
  assert.match(await page.locator('.slo-verdict li').first().innerText(), new RegExp(`^✗ missed availability ${avail} \\(target at least 0.99\\)`));
  // Lower the bar below what the run gave: now it is met, without rerunning.
  await page.fill('#slo-availability', String(Math.floor(avail * 10) / 10));
  await page.press('#slo-availability', 'Enter');
  await page.waitForFunction(() => /^✓ met availability/.test(document.querySelector('.slo-verdict li').textContent));
  await page.fill('#slo-p99', 'soon');
  await page.press('#slo-p99', 'Enter');
  await page.waitForFunction(() => /p99 target `soon`: expected milliseconds/.test(document.querySelector('.slo-verdict').textContent));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the spike button sends a burst of traffic that the run counts', async () => {
  const offered = async (spike) => {
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.site.url}#/build?design=${encodeURIComponent('users: clients rate=200\napi: service workers=8 service_ms=5\nusers -> api')}&seed=4`);
    await page.waitForSelector('.builder .widget');
    if (spike) await page.click('button[data-action=spike-users]');
    await page.locator('.builder button[data-action=run-to-end]').click();
    await page.waitForSelector('.builder button[data-action=play][disabled]');
    const n = Number(await page.locator('.metric[data-metric=offered] dd').textContent());
    assert.deepEqual(page.problems, []);
    await page.close();
    return n;
  };
  const [base, spiked] = [await offered(false), await offered(true)];
  // 200/s twice more for 2 s: about 800 more requests (Poisson: a few dozen either way).
  assert.ok(spiked - base > 600 && spiked - base < 1000, `${base} -> ${spiked}`);
});
