// Share and embed, as a blogger and a reader use them: the Embed sheet's own snippets pasted into
// a plain page on another port (two script widgets and one iframe), permalinks that replay to the
// same run fingerprint, hostile attributes and URL parameters that inject nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, newPage, text, events, OUT } from './harness.mjs';

let site, blog, browser, snippets;
const blogDir = await mkdtemp(join(tmpdir(), 'blog-'));

const hostCss = `<style>
  * { font-family: serif !important; }
  button { background: rgb(255, 0, 0) !important; }
  .widget { display: none !important; }
</style>`;

async function blogPage(name, body) {
  await writeFile(join(blogDir, name), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>My blog post</title>${hostCss}</head><body><h1>A post about networks</h1>
<p>Some prose before the widget.</p>${body}<p>Some prose after.</p></body></html>`);
}

/** Number of requests for the wasm file a page made. */
function countWasm(page) {
  const seen = { n: 0 };
  page.on('request', (r) => { if (r.url().endsWith('app_bg.wasm') && r.frame() === page.mainFrame()) seen.n += 1; });
  return seen;
}

before(async () => {
  await mkdir(OUT, { recursive: true });
  site = await serve({ headers: { 'access-control-allow-origin': '*' } });
  blog = await serve({ root: blogDir, prefix: '/' });
  browser = await launch();
  // Take the snippets from the Embed sheet, exactly as a blogger would copy them.
  const page = await newPage(browser);
  await page.goto(`${site.url}#/widget/topology?nodes=6&seed=3`);
  await page.waitForSelector('.widget g.node');
  await page.click('button[data-action=embed]');
  snippets = {
    script: await page.inputValue('textarea[data-copy=script]'),
    iframe: await page.inputValue('textarea[data-copy=iframe]'),
  };
  await page.close();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await blog?.close();
});

test('the Embed sheet offers both snippets for the current state', () => {
  assert.match(snippets.script, /^<script type="module" src="http:\/\/127\.0\.0\.1:\d+\/some\/sub\/path\/embed\.js"><\/script>/);
  assert.match(snippets.script, /<systems-sandbox widget="topology" params="nodes=6" seed="3"><a href="http:\/\/127\.0\.0\.1:\d+\/some\/sub\/path\/#\/widget\/topology\?nodes=6&amp;seed=3">Open the topology simulation<\/a><\/systems-sandbox>/);
  assert.match(snippets.iframe, /<iframe src="http:\/\/127\.0\.0\.1:\d+\/some\/sub\/path\/#\/widget\/topology\?nodes=6&amp;seed=3&amp;embed=1"/);
});

test('a blog post on another origin: two script widgets and an iframe render and respond', async () => {
  const second = '<systems-sandbox widget="topology" params="nodes=4 shape=star" seed="9" theme="dark"></systems-sandbox>';
  await blogPage('post.html', `${snippets.script}\n${second}\n${snippets.iframe}`);
  const page = await newPage(browser);
  const wasm = countWasm(page);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const before = await (async () => { await page.goto(`${blog.url}post.html`); return page.evaluate(() => document.documentElement.outerHTML.length); })();
  const widgets = page.locator('systems-sandbox');
  assert.equal(await widgets.count(), 2);
  for (let i = 0; i < 2; i++) {
    const w = widgets.nth(i);
    await w.scrollIntoViewIfNeeded();
    await w.locator('.widget g.node').first().waitFor();
    await w.locator('button[data-action=step]').click();
    assert.equal(await w.locator('[data-testid=events]').innerText(), '1 events');
    const style = await w.locator('button[data-action=step]').evaluate((b) => {
      const s = getComputedStyle(b);
      return { bg: s.backgroundColor, font: s.fontFamily };
    });
    assert.notEqual(style.bg, 'rgb(255, 0, 0)', 'host page styles must not reach into the widget');
    assert.doesNotMatch(style.font, /^serif$/, 'nor its fonts');
  }
  assert.equal(await widgets.nth(0).locator('g.node').count(), 6);
  assert.equal(await widgets.nth(1).locator('g.node').count(), 4);
  const frame = page.frameLocator('iframe');
  await page.locator('iframe').scrollIntoViewIfNeeded();
  await frame.locator('.widget g.node').first().waitFor();
  assert.equal(await frame.locator('header.site').count(), 0, 'iframe shows the widget without site chrome');
  await frame.locator('button[data-action=step]').click();
  assert.equal(await frame.locator('[data-testid=events]').innerText(), '1 events');
  assert.match(await frame.locator('.open-full a').getAttribute('href'), /#\/widget\/topology\?nodes=6&seed=3/);
  assert.equal(wasm.n, 1, 'the two script widgets share one wasm download (the iframe is its own page)');
  const hostFont = await page.evaluate(() => getComputedStyle(document.querySelector('h1')).fontFamily);
  assert.equal(hostFont, 'serif', 'our styles do not leak into the host page');
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), null);
  const after = await page.evaluate(() => document.documentElement.outerHTML.length);
  assert.equal(after, before, 'the embed changes nothing in the host document outside its shadow roots');
  await page.screenshot({ path: `${OUT}blog-post.png`, fullPage: true });
  assert.deepEqual(dialogs, []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('hostile embed attributes show an error inside that widget only and inject nothing', async () => {
  const evil = '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;';
  await blogPage('evil.html', `<script type="module" src="${site.url}embed.js"></script>
    <systems-sandbox widget="topology" params="nodes=${evil}" seed="1"></systems-sandbox>
    <systems-sandbox widget="<img src=x onerror=alert(2)>"></systems-sandbox>
    <systems-sandbox widget="topology" params="justgarbage"></systems-sandbox>
    <systems-sandbox widget="topology" seed="2"></systems-sandbox>`);
  const page = await newPage(browser);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto(`${blog.url}evil.html`);
  const w = page.locator('systems-sandbox');
  await w.nth(3).locator('.widget g.node').first().waitFor();
  await w.nth(0).locator('.notice').waitFor();
  assert.match(await w.nth(0).locator('.notice').innerText(), /nodes=.*is not valid/);
  await w.nth(1).locator('.error-box').waitFor();
  assert.match(await w.nth(1).locator('.error-box').innerText(), /unknown widget/);
  await w.nth(2).locator('.error-box').waitFor();
  assert.match(await w.nth(2).locator('.error-box').innerText(), /should be key=value/);
  const imgs = await page.evaluate(() => {
    const all = [document, ...[...document.querySelectorAll('systems-sandbox')].map((e) => e.shadowRoot)];
    return all.reduce((n, r) => n + r.querySelectorAll('img').length, 0);
  });
  assert.equal(imgs, 0, 'no element was created from an attribute');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('wasm loads only when the first widget comes near the viewport', async () => {
  await blogPage('lazy.html', `<div style="height: 4000px">tall intro</div>${snippets.script}`);
  const page = await newPage(browser);
  const wasm = countWasm(page);
  await page.goto(`${blog.url}lazy.html`);
  await page.waitForTimeout(500);
  assert.equal(wasm.n, 0, 'nothing loaded while the widget is far below');
  await page.locator('systems-sandbox').scrollIntoViewIfNeeded();
  await page.locator('systems-sandbox .widget g.node').first().waitFor();
  assert.equal(wasm.n, 1);
  await page.close();
});

test('a playing widget pauses off-screen and resumes when back', async () => {
  await blogPage('pause.html', `${snippets.script}<div style="height: 5000px"></div><p id="end">end</p>`);
  const page = await newPage(browser);
  await page.goto(`${blog.url}pause.html`);
  const w = page.locator('systems-sandbox');
  await w.locator('.widget g.node').first().waitFor();
  await w.locator('select[data-action=speed]').selectOption({ label: 'real time' });
  await w.locator('button[data-action=play]').click();
  await page.waitForFunction(() => {
    const el = document.querySelector('systems-sandbox').shadowRoot.querySelector('[data-testid=events]');
    return Number(el.textContent.split(' ')[0]) > 5;
  });
  await page.locator('#end').scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  const away = Number((await w.locator('[data-testid=events]').innerText()).split(' ')[0]);
  await page.waitForTimeout(700);
  assert.equal(Number((await w.locator('[data-testid=events]').innerText()).split(' ')[0]), away, 'no progress off-screen');
  await w.scrollIntoViewIfNeeded();
  await page.waitForFunction((n) => {
    const el = document.querySelector('systems-sandbox').shadowRoot.querySelector('[data-testid=events]');
    return Number(el.textContent.split(' ')[0]) > n;
  }, away);
  await page.close();
});

test('a permalink made after interventions replays to the same run fingerprint', async () => {
  const page = await newPage(browser);
  await page.goto(`${site.url}#/widget/topology?nodes=6&rate=40&seed=5`);
  await page.waitForSelector('.widget g.node');
  for (let i = 0; i < 7; i++) await page.click('button[data-action=step]');
  await page.click('g.link[data-link="1"]', { force: true });
  await page.selectOption('select[data-action=speed]', { label: 'real time' });
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=events]').textContent.split(' ')[0]) > 60);
  await page.click('g.node[data-node="3"]');
  await page.click('[data-action=inspect-toggle]');
  await page.locator('input[data-param=loss]').fill('0.2');
  await page.locator('input[data-param=loss]').dispatchEvent('change');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=events]').textContent.split(' ')[0]) > 150);
  await page.click('button[data-action=play]'); // pause
  const hash = await text(page, '[data-testid=trace-hash]');
  const evs = await events(page);
  const metrics = await text(page, 'dl.metrics');
  await page.click('button[data-action=share]');
  const url = await page.inputValue('input[data-copy=permalink]');
  assert.match(url, /log=.*@cut:1~.*@crash:3~.*@set:loss%3D0\.2&t=/);
  const again = await newPage(browser);
  await again.goto(url);
  await again.waitForSelector('.widget g.node');
  assert.equal(await text(again, '[data-testid=trace-hash]'), hash, 'same fingerprint');
  assert.equal(await events(again), evs);
  assert.equal(await text(again, 'dl.metrics'), metrics);
  assert.equal(await again.locator('g.link.cut[data-link="1"]').count(), 1);
  assert.equal(await again.locator('g.node.down[data-node="3"]').count(), 1);
  assert.deepEqual([...page.problems, ...again.problems], []);
  await page.close();
  await again.close();
});

test('hostile or outdated URL parameters show a notice and inject nothing', async () => {
  const page = await newPage(browser);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const evil = encodeURIComponent('<img src=x onerror=alert(1)>');
  await page.goto(`${site.url}#/widget/topology?nodes=${evil}&seed=1`);
  await page.waitForSelector('.notice');
  assert.match(await text(page, '.notice'), /<img src=x/);
  await page.goto(`${site.url}#/widget/topology?seed=1&log=${evil}`);
  await page.waitForFunction(() => /could not be read/.test(document.querySelector('.notice')?.textContent ?? ''));
  await page.goto(`${site.url}#/widget/topology?seed=1&log=99_99999@cut:77`);
  await page.waitForSelector('.error-line');
  assert.match(await text(page, '.error-line'), /there is no link 77/);
  await page.goto(`${site.url}#/lesson/${evil}`);
  await page.waitForSelector('.not-found');
  assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
  assert.deepEqual(dialogs, []);
  await page.close();
});

test('downloads: diagram, run and metrics', async () => {
  const page = await newPage(browser);
  await page.goto(`${site.url}#/widget/topology?seed=2`);
  await page.waitForSelector('.widget g.node');
  await page.click('button[data-action=step]');
  for (const [button, name, needle] of [
    ['export-svg', 'topology-topology.svg', '<svg xmlns="http://www.w3.org/2000/svg"'],
    ['export-json', 'topology-run.json', '"trace_hash"'],
    ['export-csv', 'topology-series.csv', 't_ms,'],
  ]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-action=${button}]`)]);
    assert.equal(download.suggestedFilename(), name);
    const path = await download.path();
    const body = await (await import('node:fs/promises')).readFile(path, 'utf8');
    assert.ok(body.includes(needle), `${name} contains ${needle}`);
  }
  await page.close();
});

test("the README's snippets work when pasted into a fresh page", async () => {
  const readme = await (await import('node:fs/promises')).readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Embed a widget'));
  const blocks = [...section.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 2, 'README has the script and iframe snippets');
  const pasted = blocks.join('\n').replaceAll('https://your.site/sandbox/', site.url);
  await blogPage('readme.html', pasted);
  const page = await newPage(browser);
  await page.goto(`${blog.url}readme.html`);
  const widgets = page.locator('systems-sandbox');
  assert.equal(await widgets.count(), 2);
  for (let i = 0; i < 2; i++) {
    await widgets.nth(i).scrollIntoViewIfNeeded();
    await widgets.nth(i).locator('.widget g.node').first().waitFor();
  }
  await page.locator('iframe').scrollIntoViewIfNeeded();
  await page.frameLocator('iframe').locator('.widget g.node').first().waitFor();
  assert.deepEqual(page.problems, []);
  await page.close();
});
