// The sharding lesson in a browser: add a shard and read the moved-keys count (panel text and
// metric agree, and match 1/(N+1) of the keys), watch the move finish, see the hot key light up
// its shard, switch to hash mod N on the standalone page, and check the phone layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, text, metric, OUT } from './harness.mjs';

const ctx = useSite();

const metricIn = async (widget, name) =>
  Number(await widget.locator(`.metric[data-metric="${name}"] dd`).first().innerText());

test('sharding lesson: adding a fifth shard moves about a fifth of the keys', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/sharding.html`);
  await page.waitForSelector('.widget .sharding-panel');
  assert.match(await text(page, 'article.lesson h1'), /Sharding/);
  assert.equal(await page.locator('.error-box').count(), 0, 'no directive errors');
  assert.equal(await page.locator('.widget').count(), 2);
  const w = page.locator('.widget').first();
  assert.equal(await metricIn(w, 'keys_moved'), 0);
  assert.match(await w.locator('[data-testid=moved-text]').innerText(), /No change yet/);
  assert.equal(await w.locator('.sh-bar-row').count(), 4);
  assert.ok(await w.locator('path.sh-arc').count() >= 4, 'ring arcs drawn');
  assert.match(await w.locator('svg.sh-ring').getAttribute('aria-label'), /S0 \d+\.\d%/);

  await w.locator('button[data-action="do:add-shard"]').click();
  await page.waitForFunction(() => Number(document.querySelector('.metric[data-metric="keys_moved"] dd')?.textContent) > 0);
  const moved = await metricIn(w, 'keys_moved');
  // Consistent hashing, 4 -> 5 shards: about 1/5 of 10,000 keys (this seed: 1,994).
  assert.ok(moved > 1500 && moved < 2500, `moved ${moved}`);
  const line = await w.locator('[data-testid=moved-text]').innerText();
  assert.match(line, /S4 joined/);
  assert.ok(line.includes(`${moved.toLocaleString('en-US')} of 10,000 keys`), line);
  assert.equal(await metricIn(w, 'keys_in_transit'), moved);
  assert.equal(await metricIn(w, 'shards'), 5);

  await w.locator('select[data-action=speed]').selectOption({ label: '1/5' });
  await w.locator('button[data-action=play]').click();
  await page.waitForFunction(() => {
    const n = Number(document.querySelector('.metric[data-metric="keys_in_transit"] dd')?.textContent);
    return n > 0 && n < 1900;
  });
  assert.ok(await w.locator('circle.sh-dot.moving').count() > 0, 'moving keys drawn hollow');
  await page.screenshot({ path: `${OUT}sharding-moving.png`, fullPage: true });
  await page.waitForFunction(() => document.querySelector('.metric[data-metric="keys_in_transit"] dd')?.textContent === '0', null, { timeout: 20000 });
  // The panel redraws ten times a second while playing: wait for it to show the last move.
  await page.waitForFunction(() => !/arriving/.test(document.querySelector('.sh-bar-row[data-shard="S4"] .sh-num')?.textContent || 'arriving'));
  const s4 = await w.locator('.sh-bar-row[data-shard="S4"] .sh-num').innerText();
  assert.ok(s4.startsWith(`${moved.toLocaleString('en-US')} keys`), s4);
  await w.locator('button[data-action=play]').click(); // pause
  await w.screenshot({ path: `${OUT}sharding-added.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('sharding lesson: the hot key lights up its shard, in text too', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/sharding.html`);
  await page.waitForSelector('.widget .sharding-panel');
  const w = page.locator('.widget').nth(1);
  await w.scrollIntoViewIfNeeded();
  await w.locator('select[data-action=speed]').selectOption({ label: '10×' });
  await w.locator('button[data-action=play]').click();
  await w.locator('[data-testid=hot]').waitFor();
  await page.waitForFunction(() => {
    const w = document.querySelectorAll('.widget')[1];
    return Number(w?.querySelector('.metric[data-metric="requests"] dd')?.textContent) >= 1500;
  }, null, { timeout: 20000 });
  const hotRow = w.locator('.sh-bar-row.hot');
  assert.equal(await hotRow.count(), 1);
  assert.match(await hotRow.innerText(), /HOT/);
  const shard = await hotRow.getAttribute('data-shard');
  assert.match(await w.locator('[data-testid=hot]').innerText(), new RegExp(`lives on ${shard}`));
  assert.match(await w.locator(`g.node[data-node="${Number(shard.slice(1)) + 1}"]`).getAttribute('aria-label'), /HOT/);
  assert.ok(await metricIn(w, 'request_max_over_mean') > 1.2);
  await w.locator('button[data-action=play]').click();
  await w.screenshot({ path: `${OUT}sharding-hot.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('standalone page: hash mod N moves most keys; range draws boundaries', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/sharding?strategy=hash&seed=5`);
  await page.waitForSelector('.widget .sharding-panel');
  assert.equal(await page.locator('path.sh-arc').count(), 0, 'hash mod N has no ring');
  await page.click('button[data-action="do:add-shard"]');
  await page.waitForFunction(() => Number(document.querySelector('.metric[data-metric="keys_moved"] dd')?.textContent) > 0);
  const moved = await metric(page, 'keys_moved');
  assert.ok(moved > 7600 && moved < 8400, `hash mod N moved ${moved}, about 4/5 expected`);
  await page.selectOption('select[data-param=strategy]', 'range');
  await page.waitForSelector('.sh-bound');
  assert.equal(await page.locator('g.sh-bound').count(), 5);
  await page.screenshot({ path: `${OUT}sharding-range.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('sharding at phone width: nothing scrolls sideways', async () => {
  const page = await newPage(ctx.browser, { width: 375, height: 800 });
  await page.goto(`${ctx.site.url}lessons/sharding.html`);
  await page.waitForSelector('.widget .sharding-panel');
  await page.locator('.widget').first().locator('button[data-action="do:add-shard"]').click();
  await page.waitForFunction(() => Number(document.querySelector('.metric[data-metric="keys_moved"] dd')?.textContent) > 0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.locator('.widget').first().screenshot({ path: `${OUT}sharding-375.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});
