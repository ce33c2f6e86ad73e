// Lesson 9's sweeps: the hockey stick drawn from runs in the browser. The chart's points appear
// as their runs end (waited on the figure's data-state, never on time), each at the figure the
// build's table gives for it (same settings, same seed), with the theory's dashed curve over
// them; with JavaScript off the table is there and the Run button stays disabled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage } from './harness.mjs';

const ctx = useSite();

test('lesson 9 draws each sweep from its runs, with the theory over them', async () => {
  const page = await newPage(ctx.browser, { width: 1280, height: 900 });
  await page.goto(`${ctx.site.url}lessons/queues.html`);
  const figs = page.locator('figure[data-sweep]');
  assert.equal(await figs.count(), 2);
  for (const [i, n, theory] of [[0, 11, 'M/M/1'], [1, 11, 'Erlang C, M/M/2']]) {
    const fig = figs.nth(i);
    await fig.scrollIntoViewIfNeeded();
    // It starts by itself when it comes into view (the button restarts it: below).
    await page.waitForFunction((el) => el.dataset.state === 'done', await fig.elementHandle(), { timeout: 120_000 });
    assert.equal(await fig.locator('g.runs circle.run').count(), n);
    assert.equal(await fig.locator('g.runs circle.run[data-v]').count(), n, 'every point placed');
    assert.equal(await fig.locator('g.runs circle.run[data-same="yes"]').count(), n, 'each run gives the table\'s figure');
    // The drawn point sits where its value says, and every table row holds the same figure.
    const rows = await fig.locator('tbody tr td:nth-child(3)').allInnerTexts();
    const vs = await fig.locator('g.runs circle.run').evaluateAll((cs) => cs.map((c) => c.dataset.v));
    assert.deepEqual(vs, rows);
    const ys = await fig.locator('g.runs circle.run').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
    assert.ok(ys.every((y, k) => k === 0 || y <= ys[k - 1] + 3), `points rise left to right: ${ys}`);
    assert.equal(await fig.locator('polyline.theory[data-theory]').count(), 1, 'the theory curve');
    assert.match(await fig.locator('.sweep-legend').innerText(), new RegExp(`theory \\(a formula, not a run\\): ${theory.replace('/', '\\/')}`));
    assert.match(await fig.locator('.sweep-status').innerText(), /11 runs, seed 2: the same figures as the table/);
    const button = fig.locator('button[data-sweep-run]');
    assert.equal(await button.innerText(), 'Run the sweep again');
    const h = await button.evaluate((b) => b.getBoundingClientRect().height);
    assert.ok(h >= 44, `the button is ${h} px tall`);
  }
  // Again from the keyboard: the button restarts the first sweep, which ends the same.
  const first = figs.nth(0);
  await first.locator('button[data-sweep-run]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((el) => el.dataset.state === 'done' && el.querySelectorAll('circle.run[data-same="yes"]').length === 11, await first.elementHandle(), { timeout: 120_000 });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('with JavaScript off the sweep is a table and a disabled button', async () => {
  const context = await ctx.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${ctx.site.url}lessons/queues.html`);
  const fig = page.locator('figure[data-sweep]').first();
  assert.equal(await fig.getAttribute('data-state'), 'static');
  assert.equal(await fig.locator('tbody tr').count(), 11);
  assert.ok(await fig.locator('button[data-sweep-run]').isDisabled());
  assert.match(await fig.locator('tbody tr').nth(9).innerText(), /^90\s+0\.90\s+85\.1\s+100\.0$/);
  await context.close();
});
