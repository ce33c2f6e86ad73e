// Compact links for a design (`design~=1…`, src/pack): the Share permalink of a system widget is
// compact and replays the same run as the plain `design=` link; the Embed sheet's script snippet
// carries the design compact in `params` and runs on another site; a damaged compact value is
// named, and the rest of the link still opens, on a widget page and in the builder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, newPage, OUT } from './harness.mjs';

const DESIGN = 'users: clients rate=150 deadline_ms=500 retry=full-jitter attempts=3 backoff_ms=50\n'
  + 'api: service workers=4 service_ms=20 timeout_ms=200 breaker=on\ndb: database workers=2 service_ms=10\n'
  + 'users -> api -> db\nat 3000: crash db\nat 8000: restart db';
let site, blog, browser;
const blogDir = await mkdtemp(join(tmpdir(), 'links-'));
const plainHash = () => `#/widget/system?design=${encodeURIComponent(DESIGN)}&seed=3`;

before(async () => {
  await mkdir(OUT, { recursive: true });
  site = await serve({ headers: { 'access-control-allow-origin': '*' } });
  blog = await serve({ root: blogDir, prefix: '/' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await blog?.close();
});

/** Run widget `w` (a locator) to its end and return its run fingerprint. */
async function runToEnd(w) {
  await w.locator('button[data-action=run-to-end]').click();
  await w.locator('button[data-action=play][disabled]').waitFor();
  return w.locator('[data-testid=trace-hash]').innerText();
}

test('the Share link of a design is compact and replays the same run as the plain link', async () => {
  const page = await newPage(browser);
  await page.goto(`${site.url}${plainHash()}`);
  await page.waitForSelector('.widget g.node');
  await page.click('button[data-action=share]');
  const link = await page.locator('input[data-copy=permalink]').inputValue();
  assert.match(link, /#\/widget\/system\?design~=1[A-Za-z0-9_-]+&seed=3$/);
  const plain = `${site.url}${plainHash()}`;
  assert.ok(link.length * 2 < plain.length, `compact ${link.length} chars, plain ${plain.length}`);
  const end = await runToEnd(page.locator('.widget'));
  const again = await newPage(browser);
  await again.goto(link);
  await again.waitForSelector('.widget g.node');
  assert.equal(await again.locator('.notice').count(), 0);
  assert.equal(await runToEnd(again.locator('.widget')), end, 'same fingerprint as the plain link');
  for (const p of [page, again]) assert.deepEqual(p.problems, []);
  await Promise.all([page.close(), again.close()]);
});

test('a damaged compact design is named; the seed and the rest of the link still open', async () => {
  const page = await newPage(browser);
  await page.goto(`${site.url}${plainHash()}`);
  await page.waitForSelector('.widget g.node');
  await page.click('button[data-action=share]');
  const link = await page.locator('input[data-copy=permalink]').inputValue();
  const value = link.match(/design~=([^&]+)/)[1];
  const cases = [
    [value.slice(0, -4), /`design~=1.*` was dropped: the compact value is cut short.*or the text itself as `design=`/],
    [`${value.slice(0, 9)}*${value.slice(10)}`, /`design~=1.*` was dropped: the compact value holds `\*` at character 10/],
  ];
  for (const [bad, notice] of cases) {
    await page.goto(`${site.url}#/widget/system?design~=${bad}&duration_ms=2000&seed=5`);
    await page.reload();
    await page.waitForSelector('.widget g.node');
    assert.match(await page.locator('.notice').innerText(), notice);
    await runToEnd(page.locator('.widget'));
    const offered = Number(await page.locator('.metric[data-metric=offered] dd').textContent());
    assert.ok(offered > 0, 'the default design runs');
  }
  // The builder names it too, and keeps working: a preset runs and the address follows it.
  await page.goto(`${site.url}#/build?design~=${value.slice(0, -4)}`);
  await page.reload();
  await page.waitForSelector('[data-testid=design-error]');
  assert.match(await page.locator('[data-testid=design-error]').innerText(), /`design~=1.*` was dropped: the compact value is cut short/);
  await page.selectOption('select[data-action=preset]', 'retry-storm');
  await page.waitForSelector('.builder .widget');
  await page.waitForFunction(() => location.hash.startsWith('#/build?design~=1'));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the Embed sheet carries a design compact and it runs on another site', async () => {
  const page = await newPage(browser);
  await page.goto(`${site.url}${plainHash()}`);
  await page.waitForSelector('.widget g.node');
  const end = await runToEnd(page.locator('.widget'));
  await page.click('button[data-action=reset]');
  await page.click('button[data-action=embed]');
  const script = await page.inputValue('textarea[data-copy=script]');
  assert.match(script, /<systems-sandbox widget="system" params="design~=1[A-Za-z0-9_-]+" seed="3">/);
  await writeFile(join(blogDir, 'post.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>A post</title></head><body><h1>A post about breakers</h1>${script}</body></html>`);
  const post = await newPage(browser);
  await post.goto(`${blog.url}post.html`);
  const w = post.locator('systems-sandbox');
  await w.locator('.widget g.node').first().waitFor();
  assert.equal(await w.locator('.notice').count(), 0);
  assert.equal(await runToEnd(w), end, 'the embed runs the same design');
  for (const p of [page, post]) assert.deepEqual(p.problems, []);
  await Promise.all([page.close(), post.close()]);
});
