// The caching lesson in a real browser: the widgets mount without errors, the cache fills,
// a policy switch takes effect, the capacity sweep really runs, and the stampede widget sends
// most clients to the database at once when the hot key expires, and only one with coalescing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, text, metricOf, OUT, waitSim, pause, waitMetric } from './harness.mjs';

const ctx = useSite();

test('caching lesson: fill, switch policy, sweep capacity', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/caching.html`);
  await page.waitForSelector('.widget .cache-panel');
  assert.match(await text(page, 'article.lesson h1'), /Caching/);
  assert.equal(await page.locator('.error-box').count(), 0, 'no directive errors');
  assert.equal(await page.locator('.widget').count(), 5);

  const w = page.locator('.widget').first();
  await w.locator('select[data-action=speed]').selectOption({ label: '10×' });
  await w.locator('button[data-action=play]').click();
  await page.waitForFunction(() => Number(document.querySelector('.widget .metric[data-metric="evictions"] dd')?.textContent) > 20);
  // The panel redraws ten times a second while playing: wait for it to show the full cache.
  await page.waitForFunction(() => document.querySelector('.widget').querySelectorAll('ol.slots li.slot:not(.empty)').length === 100);
  assert.ok((await metricOf(w, 'hit_ratio')) > 0.1);
  await page.waitForFunction(() => /out, #\d+ in/.test(document.querySelector('.widget [data-testid=latest-evictions]')?.textContent || ''));

  await w.locator('.policy-bar button[data-policy=lfu]').click();
  await page.waitForSelector('.widget .policy-bar button[data-policy=lfu][aria-pressed=true]');
  assert.match(await w.locator('.cache-slots h4').innerText(), /policy LFU/);
  await w.locator('button[data-action=play]').click(); // pause

  await w.locator('button[data-action=sweep]').click();
  await page.waitForFunction(() => /Done: 9 runs/.test(document.querySelector('[data-testid=sweep-status]')?.textContent || ''), null, { timeout: 120_000 });
  const pts = await w.locator('[data-testid=curve-points] li').allInnerTexts();
  assert.equal(pts.length, 9);
  const h = pts.map((p) => Number(p.split('→')[1]));
  assert.ok(h[8] > h[0] + 0.5, `hit ratio should rise with capacity: ${h}`);
  await w.screenshot({ path: `${OUT}cache-fill.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});

async function stampede(page, coalesce) {
  const w = page.locator('.widget').nth(3);
  await w.scrollIntoViewIfNeeded();
  if (coalesce) {
    await w.locator('select[data-param=coalesce]').selectOption('on');
  }
  await w.locator('select[data-action=speed]').selectOption({ label: '1/5' });
  await w.locator('button[data-action=play]').click();
  await page.waitForFunction(() => Number(document.querySelectorAll('.widget')[3].querySelector('.metric[data-metric="requests_done"] dd')?.textContent) > 300);
  assert.equal(await metricOf(w, 'db_peak_concurrency'), 0, 'a warm cache holding every key never reads the database');
  await w.locator('button[data-action="do:expire-hot-key"]').click();
  await waitSim(page, 3, 300); // 300 ms of simulated time: the stampede is over
  await pause(w);
  return { w, peak: await metricOf(w, 'db_peak_concurrency'), reads: await metricOf(w, 'expiry_db_reads') };
}

test('stampede: expiring the hot key floods the database; coalescing keeps it to one read', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/caching.html`);
  await page.waitForSelector('.widget .cache-panel');
  const { w, peak, reads } = await stampede(page, false);
  assert.ok(peak >= 20, `expected most of the 32 clients on the database, got ${peak}`);
  assert.ok(reads >= 20 && reads <= 32, `expected the expiry to cost most of 32 clients a database read, got ${reads}`);
  const meter = await w.locator('[data-testid=db-load]').innerText();
  assert.match(meter, /run peak \d+/);
  assert.match(meter, /32 clients/);
  await w.screenshot({ path: `${OUT}cache-stampede.png` });

  await w.locator('button[data-action=reset]').click();
  await waitMetric(page, 3, 'requests_done', '===', 0);
  const again = await stampede(page, true);
  assert.equal(again.peak, 1, 'coalescing: exactly one database read for the hot key');
  assert.equal(again.reads, 1, 'coalescing: the expiry cost exactly one database read');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('crash the cache: the buffered writes are lost (write-behind widget)', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/caching.html`);
  await page.waitForSelector('.widget .cache-panel');
  const w = page.locator('.widget').nth(2);
  await w.locator('select[data-action=speed]').selectOption({ label: 'real time' });
  await w.locator('button[data-action=play]').click();
  await page.waitForFunction(() => Number(document.querySelectorAll('.widget')[2].querySelector('.metric[data-metric="requests_done"] dd')?.textContent) > 300);
  await w.locator('button[data-action="do:crash-cache"]').click();
  await w.locator('button[data-action=play]').click();
  assert.match(await w.locator('.cache-slots .crashes').innerText(), /crashed 1 time/);
  assert.ok((await metricOf(w, 'lost_writes')) > 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('phone width: the cache widget fits', async () => {
  const page = await newPage(ctx.browser, { width: 375, height: 800 });
  await page.goto(`${ctx.site.url}#/widget/cache?warm=on&keys=200&capacity=200&clients=32&seed=4`);
  await page.waitForSelector('.widget .cache-panel ol.slots');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: `${OUT}cache-375.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});
