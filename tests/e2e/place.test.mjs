// Your place is kept: leave a lesson for the next one and come Back, and every widget shows the
// run it was left at (same fingerprint, same playhead) with the page scrolled where it was; a
// fresh visit starts from the directives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage } from './harness.mjs';

const ctx = useSite();
const hashes = (page) => page.locator('[data-testid=trace-hash]').evaluateAll((els) => els.map((e) => e.textContent));
const clocks = (page) => page.locator('.widget .clock').evaluateAll((els) => els.map((e) => e.textContent));

test('Back from the next lesson restores the runs and the scroll position', async () => {
  const page = await newPage(ctx.browser, { width: 1280, height: 900 });
  await page.goto(`${ctx.site.url}lessons/cap.html`);
  await page.waitForSelector('button[data-try]:not([disabled])');
  const fresh = await hashes(page);
  // Commit to an answer, press the step that decides it, then step one event back.
  const fs = page.locator('fieldset[data-predict]').first();
  await fs.locator('input[type=radio]').first().check();
  const decider = await fs.getAttribute('data-decided-by');
  await page.locator(`button[data-try="${decider}"]`).click();
  await page.waitForSelector('fieldset[data-predict][data-outcome]');
  await page.waitForSelector('.widget button[data-action=play][disabled]');
  const outcome = await fs.getAttribute('data-outcome');
  const w = page.locator('.widget').first();
  await w.locator('button[data-action=step-back]').click();
  await page.waitForFunction(() => !document.querySelector('.widget button[data-action=play]').disabled);
  const before = { hashes: await hashes(page), clocks: await clocks(page) };
  assert.notDeepEqual(before.hashes, fresh, 'the step changed the first widget');
  await page.evaluate(() => window.scrollTo(0, 1800));
  await page.waitForFunction(() => Math.abs(scrollY - 1800) < 2);
  const y = await page.evaluate(() => scrollY);

  // Follow the Next link from where the reader stands (a click that does not scroll first).
  await page.evaluate(() => document.querySelector('nav.next a').click());
  await page.waitForURL(/quorums\.html/);
  await page.goBack();
  await page.waitForURL(/cap\.html/);
  await page.waitForSelector('.widget [data-testid=trace-hash]');
  await page.waitForFunction((n) => document.querySelectorAll('.widget [data-testid=trace-hash]').length === n, before.hashes.length);
  assert.deepEqual(await hashes(page), before.hashes, 'every widget shows the run it was left at');
  assert.deepEqual(await clocks(page), before.clocks, 'at the same moment');
  assert.equal(await fs.getAttribute('data-outcome'), outcome, 'the prediction is still decided');
  assert.equal(await fs.locator('input[type=radio]').first().isChecked(), true, 'with the answer picked');
  await page.waitForFunction((y) => Math.abs(scrollY - y) < 4, y);

  // A new visit (not Back) starts from the lesson's directives; the prediction stays decided
  // (progress is kept in this browser) and the home page counts it.
  await page.goto(`${ctx.site.url}lessons/cap.html`);
  await page.waitForSelector('button[data-try]:not([disabled])');
  assert.deepEqual(await hashes(page), fresh);
  assert.equal(await fs.getAttribute('data-outcome'), outcome);
  await page.goto(ctx.site.url);
  const line = page.locator('[data-progress=cap]');
  await line.waitFor();
  assert.match(await line.innerText(), new RegExp(`1 prediction made \\(${outcome === 'right' ? 1 : 0} right\\)`));
  await page.click('button[data-action=forget-progress]');
  await page.waitForFunction(() => !document.querySelector('[data-progress]'));
  assert.equal(await page.evaluate(() => localStorage.getItem('sandbox-progress')), '');
  assert.deepEqual(page.problems, []);
  await page.close();
});
