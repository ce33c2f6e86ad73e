// The load-balancing lesson in a browser: run the first widget, kill a server by clicking it,
// read errors and p99, see the health check take it out; slow a server from the panel; run the
// lockstep comparison to the end with the lesson's try-it step; and check the phone layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, metricOf, waitMetric, pause, OUT } from './harness.mjs';

const ctx = useSite();

test('lesson 7: kill a server, read errors and p99, watch the health check remove it', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/load-balancing.html`);
  await page.waitForSelector('.widget svg.topology g.node');
  assert.match(await page.locator('article.lesson h1').innerText(), /Load balancing/);
  assert.equal(await page.locator('.error-box').count(), 0, 'no directive errors');
  assert.equal(await page.locator('.widget').count(), 6);

  const w = page.locator('.widget').first();
  assert.equal(await w.locator('tr.lb-server').count(), 4, 'one table row per server');
  // Real time: the run (2,000 requests) lasts long enough that the crash, the health check and
  // two more seconds all happen before it ends, however slow this machine is.
  await w.locator('select[data-action=speed]').selectOption({ label: 'real time' });
  await w.locator('button[data-action=play]').click();
  await waitMetric(page, 0, 'completed', '>=', 300);

  await w.locator('g.node[data-node="2"]').click(); // crash s2
  await w.locator('[data-action=inspect-toggle]').click();
  await w.locator('g.node.down[data-node="2"]').waitFor();
  await waitMetric(page, 0, 'errors', '>', 0);
  // The next health check fails and the balancer removes s2: said in words in the table.
  await page.waitForFunction(() => /down, removed/.test(document.querySelector('.widget tr.lb-server[data-server="s2"] .lb-state')?.textContent || ''), null, { timeout: 30_000 });
  const errors = await metricOf(w, 'errors');
  const p99 = await metricOf(w, 'latency_p99_ms');
  assert.ok(errors > 0 && errors < 200, `errors ${errors}`);
  assert.ok(p99 > 20 && p99 < 5000, `p99 ${p99} ms`);
  const completed = await metricOf(w, 'completed');
  await waitMetric(page, 0, 'completed', '>=', completed + 600); // two simulated seconds later
  assert.equal(await metricOf(w, 'errors'), errors, 'no errors once the server is out of rotation');
  assert.match(await w.locator('.lb-figures').first().innerText(), new RegExp(`${errors} errors`));
  assert.match(await w.locator('.lb-chart svg').first().getAttribute('aria-label'), /p99/);
  await page.screenshot({ path: `${OUT}load-balancer-killed.png`, fullPage: false });
  await w.screenshot({ path: `${OUT}load-balancer-widget.png` });

  // Slow s1 from the panel: the state says so in words, and the live knob follows.
  await w.locator('button[data-action="slow-s1"]').click();
  await page.waitForFunction(() => /slow ×0.25/.test(document.querySelector('.widget tr.lb-server[data-server="s1"] .lb-state')?.textContent || ''));
  assert.equal(await w.locator('input[data-param="speeds"]').inputValue(), '0.25,1,1,1');
  // Restart s2 from its row button.
  await w.locator('button[data-action="kill-s2"]').click();
  await w.locator('g.node.up[data-node="2"], g.node:not(.down)[data-node="2"]').first().waitFor();
  await pause(w);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('lesson 7: lockstep comparison runs both banks on the same requests', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/load-balancing.html`);
  await page.waitForSelector('.widget svg.topology g.node');
  const w = page.locator('.widget').nth(1);
  assert.equal(await w.locator('.lb-bank').count(), 2);
  // textContent: this widget starts off-screen, where content-visibility: auto skips rendering
  // and innerText is empty until the reader scrolls there.
  assert.match(await w.locator('.lb-bank h4').first().textContent(), /Bank A: random/);
  assert.match(await w.locator('.lb-bank h4').nth(1).textContent(), /Bank B: p2c/);
  // The lesson's try-it step under this widget runs 20,000 requests to the end at once.
  const before = await w.locator('[data-testid=trace-hash]').textContent();
  await page.locator('button[data-try]', { hasText: 'Run 20,000 requests to the end' }).nth(1).click();
  await w.locator('button[data-action=play][disabled]').waitFor(); // finished
  assert.notEqual(await w.locator('[data-testid=trace-hash]').textContent(), before);
  const [a, b] = [await metricOf(w, 'latency_p99_ms'), await metricOf(w, 'compare_latency_p99_ms')];
  assert.ok(b < a / 2, `p2c p99 ${b} should be well below random's ${a}`);
  assert.equal(await metricOf(w, 'completed'), 20000);
  assert.equal(await metricOf(w, 'compare_completed'), 20000);
  await w.scrollIntoViewIfNeeded();
  await w.screenshot({ path: `${OUT}load-balancer-compare.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('lesson 7 at phone width: nothing scrolls sideways', async () => {
  const page = await newPage(ctx.browser, { width: 375, height: 800 });
  await page.goto(`${ctx.site.url}lessons/load-balancing.html`);
  await page.waitForSelector('.widget .lb-panel');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.locator('.widget').nth(1).screenshot({ path: `${OUT}load-balancer-375.png` });
  await page.close();
});
