// Time: the scrubber rewinds to any moment by exact replay, Back steps back one event, To end
// jumps to the end at once, and an intervention in the past forks the run (the future is dropped).
// Native twin: src/session/tests.rs `scrubbing_back_and_forth_is_the_same_run_until_the_reader_forks_it`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, text, events, simMs } from './harness.mjs';

const ctx = useSite();
const fingerprint = (page) => text(page, '[data-testid=trace-hash]');

/** Drag the scrubber to `ms` of simulated time (as a reader's drag sets the value). */
async function scrubTo(page, ms) {
  await page.locator('input[data-action=scrub]').evaluate((el, ms) => {
    el.value = String(ms);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
}

test('scrub back, forward again: the same run; intervene in the past: a new one', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/topology?requests=150&loss=0.05&seed=6`);
  await page.waitForSelector('.widget');
  await page.click('g.link[data-link="1"]'); // cut a link at t = 0 ...
  await page.click('button[data-action=run-to-end]');
  await page.waitForSelector('button[data-action=play][disabled]');
  const end = await fingerprint(page);
  const endMs = await simMs(page, 0);
  assert.ok(endMs > 1000, `the run ends at ${endMs} ms`);

  await scrubTo(page, Math.round(endMs / 2));
  await page.waitForFunction((e) => document.querySelector('[data-testid=trace-hash]').textContent !== e, end);
  const half = await simMs(page, 0);
  assert.ok(Math.abs(half - endMs / 2) < 1, `the clock stands at ${half} ms`);
  assert.equal(await page.locator('g.link.cut[data-link="1"]').count(), 1, 'the cut made at t = 0 is still there');

  await page.click('button[data-action=run-to-end]');
  await page.waitForSelector('button[data-action=play][disabled]');
  assert.equal(await fingerprint(page), end, 'forward again: exactly the same run');

  const n = await events(page);
  await page.click('button[data-action=step-back]');
  await page.waitForFunction((n) => parseInt(document.querySelector('[data-testid=events]').textContent, 10) === n - 1, n);
  await page.click('button[data-action=run-to-end]');
  await page.waitForSelector('button[data-action=play][disabled]');
  assert.equal(await fingerprint(page), end, 'one event back and forward: the same run');

  await scrubTo(page, Math.round(endMs / 3));
  await page.waitForFunction((e) => document.querySelector('[data-testid=trace-hash]').textContent !== e, end);
  await page.click('g.node[data-node="2"]'); // crash a client in the past: the run forks
  await page.click('[data-action=inspect-toggle]');
  await page.waitForSelector('g.node.down[data-node="2"]');
  await page.click('button[data-action=run-to-end]');
  await page.waitForSelector('button[data-action=play][disabled]');
  assert.notEqual(await fingerprint(page), end, 'an intervention in the past makes a new run');
  await page.click('button[data-action=share]');
  assert.match(await page.locator('.sheet input').first().inputValue(), /log=0_0@cut:1~\d+_\d+@crash:2/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a run starts at a speed that plays it within 20 seconds', async () => {
  const page = await newPage(ctx.browser);
  // The welcome widget: 400 requests at 25 a second, about 16 s of simulated time: real time.
  await page.goto(`${ctx.site.url}#/widget/topology?nodes=5&shape=ring&rate=25&requests=400&seed=7`);
  await page.waitForSelector('.widget');
  assert.equal(await page.locator('select[data-action=speed] option:checked').innerText(), 'real time');
  assert.deepEqual(page.problems, []);
  await page.close();
});
