// The replication widget as a reader drives it: cut off a minority with the panel's button,
// run, and read the availability, stale reads and the linearizability verdict; then the CAP
// lesson's widget and the quorum lesson at phone width. Native twin of the first two runs:
// tests/replication.rs `a_reader_partition_before_play_matches_the_browser_test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, text, metric, OUT } from './harness.mjs';

const ctx = useSite();

/** Partition the minority before playing, then run at full speed to the end. */
async function partitionAndRun(page) {
  await page.click('button[data-cmd=partition-minority]');
  await page.waitForSelector('.repl-state:has-text("partitioned")');
  assert.ok(await page.locator('g.link.blocked').count() > 0, 'links across the cut are drawn blocked');
  await page.selectOption('select[data-action=speed]', { label: '100×' });
  await page.click('button[data-action=play]');
  await page.waitForSelector('button[data-action=play][disabled]', { timeout: 30_000 });
}

test('cp: the minority refuses, nothing stale, the history is linearizable', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/replication?mode=cp&ops=150&seed=2`);
  await page.waitForSelector('.repl-verdict');
  await partitionAndRun(page);
  assert.equal(await metric(page, 'requests'), 150);
  assert.ok(await metric(page, 'failed') > 0);
  assert.ok(await metric(page, 'availability') < 1);
  assert.equal(await metric(page, 'stale_reads'), 0);
  assert.equal(await page.getAttribute('.repl-verdict', 'data-linearizable'), 'true');
  assert.match(await text(page, '.repl-verdict'), /Linearizable so far \(checked 150 of 150/);
  assert.ok(await page.locator('g.op.failed').count() > 0, 'failed operations on the timeline');
  await page.screenshot({ path: `${OUT}replication-cp.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('ap: everyone is answered, the checker proves the history is not linearizable', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/replication?mode=ap&ops=150&seed=2`);
  await page.waitForSelector('.repl-verdict');
  await partitionAndRun(page);
  assert.equal(await metric(page, 'availability'), 1);
  assert.ok(await metric(page, 'stale_reads') > 0);
  assert.equal(await page.getAttribute('.repl-verdict', 'data-linearizable'), 'false');
  assert.match(await text(page, '.repl-verdict-head'), /Not linearizable/);
  assert.match(await text(page, '.repl-explain'), /^Operation #\d+ \(read by client \d+\) returned/);
  const evidence = await page.locator('.repl-evidence li').count();
  assert.ok(evidence >= 2, `evidence lists ${evidence} operations`);
  // The proof is drawn: marked (◆ text + outline class), not by colour alone.
  assert.equal(await page.locator('svg.proof g.op.culprit').count(), evidence);
  assert.match(await page.locator('svg.proof g.op.culprit text').first().textContent(), /◆/);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.locator('.repl-verdict').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${OUT}replication-ap-375.png` });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.click('button[data-cmd=heal]');
  await page.waitForSelector('.repl-state:has-text("network whole")');
  await page.screenshot({ path: `${OUT}replication-ap.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('CAP lesson: the scheduled partition fails the minority in CP; switching to AP live', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/cap.html`);
  await page.waitForSelector('.widget .repl-verdict');
  assert.equal(await page.locator('.error-box').count(), 0, 'no directive errors');
  await page.selectOption('select[data-action=speed]', { label: '10×' });
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => Number(document.querySelector('.metric[data-metric="failed"] dd')?.textContent) > 3, null, { timeout: 30_000 });
  await page.selectOption('select[data-param=mode]', 'ap');
  const failed = await metric(page, 'failed');
  await page.waitForFunction(() => Number(document.querySelector('.metric[data-metric="requests"] dd')?.textContent) > 200, null, { timeout: 30_000 });
  // Operations already waiting may still fail; after that, AP answers everyone.
  assert.ok(await metric(page, 'failed') <= failed + 3);
  await page.screenshot({ path: `${OUT}replication-lesson.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('quorum lesson at phone width: no sideways scroll, timeline readable', async () => {
  const page = await newPage(ctx.browser, { width: 375, height: 800 });
  await page.goto(`${ctx.site.url}lessons/quorums.html`);
  await page.waitForSelector('.widget .repl-timeline svg');
  assert.equal(await page.locator('.error-box').count(), 0, 'no directive errors');
  await page.locator('button[data-action=step]').first().click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: `${OUT}replication-375.png`, fullPage: false });
  await page.goto(`${ctx.site.url}lessons/replication.html`);
  await page.waitForSelector('.widget .repl-verdict');
  assert.equal(await page.locator('.error-box').count(), 0, 'no directive errors');
  assert.deepEqual(page.problems, []);
  await page.close();
});
