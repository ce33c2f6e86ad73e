// Static lesson pages (lessons/<slug>.html, written at build time by src/bin/pages.rs): the prose is
// in the HTML, readable with JavaScript off; pages reload under a sub-path on a plain static server;
// old #/lesson/<slug> links land on the page; placeholders hold the widgets' place so the text does
// not jump when the wasm mounts them; the home page's lesson list is in index.html too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { useSite, newPage, DIST, OUT } from './harness.mjs';

const ctx = useSite();

/** The last paragraph of a lesson's prose, as the built file has it (tags stripped). */
async function lastParagraph(slug) {
  const html = await readFile(`${DIST}lessons/${slug}.html`, 'utf8');
  const paras = [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));
  return paras.at(-1).replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").trim();
}

test('with JavaScript off a lesson page shows its whole prose, the lesson list and links to the widgets', async () => {
  const context = await ctx.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  for (const slug of ['welcome', 'cap', 'sagas']) {
    await page.goto(`${ctx.site.url}lessons/${slug}.html`);
    const last = await lastParagraph(slug);
    assert.ok(last.length > 20, `${slug}: a last paragraph to look for`);
    const para = page.locator('article.lesson p', { hasText: last.slice(0, 60) }).last();
    assert.ok(await para.isVisible(), `${slug}: the last paragraph is visible`);
    assert.equal(await page.locator('.widget-placeholder .loading:visible').count(), 0, `${slug}: no loading line`);
    const links = page.locator('.widget-placeholder .needs-js a');
    assert.ok(await links.count() > 0 && await links.first().isVisible(), `${slug}: each widget links to its own page`);
    assert.match(await links.first().getAttribute('href'), /^\.\.\/index\.html#\/widget\/\w/);
    assert.ok(await page.locator('button[data-try][disabled]').count() > 0, `${slug}: steps are buttons, disabled`);
    // No placeholder reserves the widget's height when no widget will come.
    const h = await page.locator('.widget-placeholder').first().evaluate((e) => e.getBoundingClientRect().height);
    assert.ok(h < 200, `${slug}: the placeholder is ${h} px high with JavaScript off`);
  }
  await page.screenshot({ path: `${OUT}pages-nojs-sagas.png` });
  await page.goto(ctx.site.url);
  const lessonFiles = (await readdir(new URL('../../content/', import.meta.url))).filter((f) => /^\d+-.*\.md$/.test(f));
  assert.equal(await page.locator('ol.lessons li a[href^="lessons/"]').count(), lessonFiles.length, 'the home page lists every lesson in content/');
  assert.equal(await page.title(), 'Systems Sandbox');
  await context.close();
});

test('a lesson page has its title and description, and reloads under the sub-path', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/quorums.html`);
  assert.match(await page.title(), /^Quorums.* · Systems Sandbox$/);
  assert.ok((await page.getAttribute('meta[name=description]', 'content')).length > 40);
  await page.waitForSelector('article.lesson .widget');
  await page.reload();
  await page.waitForSelector('article.lesson .widget');
  assert.ok(page.url().startsWith(ctx.site.url), page.url());
  await page.click('nav.next a');
  await page.waitForURL(/lessons\/replication\.html$/);
  await page.waitForSelector('article.lesson .widget');
  await page.click('header.site a.brand');
  await page.waitForSelector('ol.lessons');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('old #/lesson/<slug> links land on the lesson page, from outside and inside the app', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/lesson/cap`);
  await page.waitForURL(/lessons\/cap\.html$/);
  await page.waitForSelector('article.lesson .widget');
  // The app's own redirect (a hash change after the wasm mounted the home page).
  await page.goto(ctx.site.url);
  // index.html's static list (main[data-static]) is replaced by the app's once the wasm mounts.
  await page.waitForSelector('#app main:not([data-static]) ol.lessons');
  await page.evaluate(() => { location.hash = '#/lesson/sharding'; });
  await page.waitForURL(/lessons\/sharding\.html$/);
  await page.waitForSelector('article.lesson .widget');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('placeholders keep the page still while the widgets mount', async () => {
  for (const [width, height] of [[1280, 900], [375, 800]]) {
    const page = await newPage(ctx.browser, { width, height }, { folded: true });
    // Hold the wasm back until the placeholder has been measured.
    let release;
    const gate = new Promise((r) => { release = r; });
    await page.route('**/app_bg.wasm', async (route) => { await gate; await route.continue(); });
    await page.goto(`${ctx.site.url}lessons/cap.html`);
    const first = page.locator('.lesson-widget').first();
    const before = await first.evaluate((e) => e.getBoundingClientRect().top + scrollY);
    const next = page.locator('.lesson-widget + .scene-prose').first();
    const nextBefore = await next.evaluate((e) => e.getBoundingClientRect().top + scrollY);
    release();
    await page.waitForSelector('.lesson-widget .widget');
    await page.waitForTimeout(500);
    const after = await first.evaluate((e) => e.getBoundingClientRect().top + scrollY);
    const nextAfter = await next.evaluate((e) => e.getBoundingClientRect().top + scrollY);
    assert.ok(Math.abs(after - before) < 50, `${width} px: the first widget moved ${after - before} px`);
    // Placeholders are a median height per kind; a widget's settings change its height by up to ~10%.
    const h = await first.evaluate((e) => e.getBoundingClientRect().height);
    assert.ok(Math.abs(nextAfter - nextBefore) < 0.1 * h, `${width} px: the text after it moved ${nextAfter - nextBefore} px`);
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

test('a lesson page under a strict CSP: widgets mount, steps drive them, nothing inline', async () => {
  const html = await readFile(`${DIST}lessons/welcome.html`, 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/, 'no inline script');
  assert.doesNotMatch(html, /\sstyle=/, 'no inline style');
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/welcome.html`);
  const button = page.locator('button[data-try]').first();
  await page.waitForSelector('button[data-try]:not([disabled])');
  const label = (await button.innerText()).replace('▶', '').trim();
  await button.click();
  const widget = page.locator(`#${await button.getAttribute('aria-controls')} .widget`);
  await widget.locator('[data-testid=announce]').filter({ hasText: `${label}: done.` }).waitFor();
  // Share links point at the site's index.html, not at the lesson page.
  await widget.locator('button[data-action=share]').click();
  const link = await widget.locator('[data-copy=permalink]').inputValue();
  assert.ok(link.startsWith(`${ctx.site.url}index.html#/widget/topology?`), link);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('precompressed files sit beside the assets and match them', async () => {
  const { gunzipSync, brotliDecompressSync } = await import('node:zlib');
  for (const f of ['index.html', 'app.js', 'app_bg.wasm', 'style.css', 'lesson.js', 'lessons/welcome.html']) {
    const raw = await readFile(`${DIST}${f}`);
    assert.ok(gunzipSync(await readFile(`${DIST}${f}.gz`)).equals(raw), `${f}.gz`);
    assert.ok(brotliDecompressSync(await readFile(`${DIST}${f}.br`)).equals(raw), `${f}.br`);
  }
});
