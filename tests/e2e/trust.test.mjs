// The frame tells the truth: what a control shows is what the engine runs, after every kind of
// change a reader makes. Native twins: src/session/tests.rs and tests/session_props.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, text, metric, OUT } from './harness.mjs';

const ctx = useSite();

/** Fingerprint shown under the widget. */
const fingerprint = (page) => text(page, '[data-testid=trace-hash]');

/** Open the widget's Setup section (a closed <details>). */
async function openSetup(page) {
  const d = page.locator('.knobs details').first();
  if (!(await d.evaluate((el) => el.open))) await d.locator('summary').click();
}

/** Play at 100x until the run has finished. */
async function runToEnd(page) {
  await page.selectOption('select[data-action=speed]', { label: '100×' });
  await page.click('button[data-action=play]');
  await page.waitForSelector('button[data-action=play][disabled]', { timeout: 60_000 });
}

test('a setup change keeps a live change made mid-run (CAP: ap, then vv)', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/replication?partition=0|1,2&partition_at_ms=300&heal_at_ms=1500&ops=80&seed=2`);
  await page.waitForSelector('.repl-verdict');
  for (let i = 0; i < 5; i++) await page.click('button[data-action=step]');
  await page.selectOption('select[data-param=mode]', 'ap');
  await openSetup(page);
  await page.selectOption('select[data-param=conflict]', 'vv');
  await page.waitForFunction(() => document.querySelector('.clock')?.textContent.includes('t = 0.0 ms'));
  assert.equal(await page.locator('select[data-param=mode]').inputValue(), 'ap');
  assert.equal(await page.locator('select[data-param=conflict]').inputValue(), 'vv');
  await runToEnd(page);
  assert.equal(await metric(page, 'availability'), 1, 'AP answers everyone, so the run really is AP');
  // The Share link carries what runs.
  await page.click('button[data-action=share]');
  const link = await page.locator('.sheet input').first().inputValue();
  assert.match(link, /mode=ap/);
  assert.match(link, /conflict=vv/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a refused value reverts visibly and says why', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/topology?nodes=6&seed=3`);
  await page.waitForSelector('.widget');
  await openSetup(page);
  const before = await fingerprint(page);
  const nodes = page.locator('input[data-param=nodes]');
  await nodes.fill('500');
  await nodes.dispatchEvent('change');
  await page.waitForSelector('.error-line');
  assert.match(await text(page, '.error-line'), /nodes=500.*from 2 to 50/);
  await page.waitForFunction(() => document.querySelector('input[data-param=nodes]').value === '6');
  assert.equal(await fingerprint(page), before, 'nothing changed');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a setup choice survives reset and shows what runs (sharding strategy)', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/sharding?strategy=range&seed=4`);
  await page.waitForSelector('.widget');
  await openSetup(page);
  assert.equal(await page.locator('select[data-param=strategy]').inputValue(), 'range');
  await page.selectOption('select[data-param=strategy]', 'hash');
  await page.click('button[data-action=reset]');
  assert.equal(await page.locator('select[data-param=strategy]').inputValue(), 'hash');
  await page.click('button[data-action=share]');
  assert.match(await page.locator('.sheet input').first().inputValue(), /strategy=hash/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the seed field and New seed restart the run with that seed', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/topology?nodes=6&loss=0.1&seed=3`);
  await page.waitForSelector('.widget');
  await openSetup(page);
  const seed = page.getByLabel('seed', { exact: true });
  assert.equal(await seed.inputValue(), '3');
  const at3 = await fingerprint(page);
  await seed.fill('7');
  await seed.dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('.run-meta').textContent.includes('seed 7'));
  assert.notEqual(await fingerprint(page), at3);
  assert.equal(await page.locator('input[data-param=loss]').inputValue(), '0.1', 'settings are kept');
  await page.click('button[data-action=new-seed]');
  await page.waitForFunction(() => document.querySelector('.run-meta').textContent.includes('seed 8'));
  assert.equal(await seed.inputValue(), '8');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a link with one bad parameter keeps the others and names the one it dropped', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/topology?nodes=99&loss=0.1&seed=7`);
  await page.waitForSelector('.widget');
  assert.match(await text(page, '.notice'), /`nodes=99` was dropped.*from 2 to 50/);
  assert.match(await text(page, '.run-meta'), /seed 7/);
  assert.equal(await page.locator('input[data-param=loss]').inputValue(), '0.1');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('settings that cannot run together offer the defaults', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/replication?n=3&r=5&seed=2`);
  await page.waitForSelector('.error-box');
  assert.match(await text(page, '.error-box'), /r/);
  await page.click('button[data-action=open-defaults]');
  await page.waitForSelector('.widget[data-widget=replication]');
  assert.match(await text(page, '[data-testid=note]'), /default settings/);
  await page.screenshot({ path: `${OUT}trust-defaults.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('charts follow simulated time and survive a permalink', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/topology?requests=200&seed=5`);
  await page.waitForSelector('.widget');
  await runToEnd(page);
  const points = () => page.locator('.widget polyline.series').first().getAttribute('points');
  const live = await points();
  assert.ok(live.split(' ').length > 20, 'a sample every few ms of simulated time');
  await page.click('button[data-action=share]');
  const link = await page.locator('.sheet input').first().inputValue();
  const again = await newPage(ctx.browser);
  await again.goto(link);
  await again.waitForSelector('.widget');
  assert.equal(await fingerprint(again), await fingerprint(page));
  assert.equal(await again.locator('.widget polyline.series').first().getAttribute('points'), live);
  assert.deepEqual(page.problems, []);
  assert.deepEqual(again.problems, []);
  await page.close();
  await again.close();
});

test('a choice that needs another setting fixes it and says so (caching: ttl)', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/cache?seed=3`);
  await page.waitForSelector('.widget');
  await page.click('button[data-action=step]'); // mid-run: both settings are live
  await page.selectOption('select[data-param=invalidation]', 'ttl');
  await page.waitForSelector('[data-testid=note]');
  assert.match(await text(page, '[data-testid=note]'), /TTL set to 300 ms/);
  assert.equal(await page.locator('select[data-param=invalidation]').inputValue(), 'ttl');
  assert.equal(await page.locator('input[data-param=ttl_ms]').inputValue(), '300');
  assert.equal(await page.locator('.error-line').count(), 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});
