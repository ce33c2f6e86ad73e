// Shared test harness: serves dist/ under a sub-path on 127.0.0.1 (like any plain static host)
// and launches Debian's headless Chromium through playwright-core.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { before, after } from 'node:test';
import { join, normalize, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const OUT = fileURLToPath(new URL('./out/', import.meta.url));
export const SUBPATH = '/some/sub/path/';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Serve `root` under `prefix`; `headers` are added to every response. With `gzip`, a file's
 *  precompressed `.gz` twin is sent (`Content-Encoding: gzip`) to clients that accept gzip, as
 *  static hosts with gzip_static do. Resolves to { url, close }. */
export function serve({ root = DIST, prefix = SUBPATH, headers = {}, gzip = false } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end('not found');
      return;
    }
    let rel = normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, '');
    if (rel === '' || rel.endsWith('/') || rel === '.') rel = join(rel, 'index.html');
    try {
      const type = { 'content-type': TYPES[extname(rel)] || 'application/octet-stream', ...headers };
      if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
        const gz = await readFile(join(root, `${rel}.gz`)).catch(() => null);
        if (gz) {
          res.writeHead(200, { ...type, 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
          res.end(gz);
          return;
        }
      }
      const body = await readFile(join(root, rel));
      res.writeHead(200, type);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Headless Chromium from Debian's package (no browser download). */
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: FLAGS, headless: true });
}

/** A new page that records console errors and page errors into `page.problems`.
 *  Widgets fold what they do not show up front (More settings; All metrics, tables and event
 *  log: `details[data-more]`). Tests of those panels and settings open the folds as a reader
 *  would, as soon as they appear; `{ folded: true }` leaves them as a reader first sees them. */
export async function newPage(browser, viewport = { width: 1280, height: 900 }, { folded = false } = {}) {
  const page = await browser.newPage({ viewport });
  if (!folded) {
    await page.addInitScript(() => {
      new MutationObserver(() => {
        for (const d of document.querySelectorAll('details[data-more]:not([data-unfolded])')) {
          d.dataset.unfolded = '';
          d.open = true;
        }
      }).observe(document, { childList: true, subtree: true });
    });
  }
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  // Failed loads are reported once, with their URL, from the response (the console line has none).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) page.problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return page;
}

/** Text of the first element matching `sel`. */
export const text = (page, sel) => page.locator(sel).first().innerText();

/** Number in the metric tile `name`. */
export async function metric(page, name) {
  return Number(await text(page, `.metric[data-metric="${name}"] dd`));
}

/** Events counter of the first widget. */
export async function events(page) {
  return Number((await text(page, '[data-testid=events]')).split(' ')[0]);
}

/** Number in metric tile `name` of widget `w` (a locator). */
export async function metricOf(w, name) {
  return Number(await w.locator(`.metric[data-metric="${name}"] dd`).first().innerText());
}

/** Wait until metric `name` of the `nth` widget on the page is `op` ('>', '>=' or '===') `v`. */
export function waitMetric(page, nth, name, op, v, timeout = 60_000) {
  return page.waitForFunction(([nth, name, op, v]) => {
    const dd = document.querySelectorAll('.widget')[nth]?.querySelector(`.metric[data-metric="${name}"] dd`);
    const x = Number(dd?.textContent);
    return op === '>' ? x > v : op === '>=' ? x >= v : x === v;
  }, [nth, name, op, v], { timeout });
}

/** Serve dist/ and launch Chromium before a file's tests, close both after; returns an object
 *  whose `site` and `browser` are set once the tests run. `opts` go to `serve`. */
export function useSite(opts = {}) {
  const ctx = {};
  before(async () => {
    await mkdir(OUT, { recursive: true });
    ctx.site = await serve(opts);
    ctx.browser = await launch();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.site?.close();
  });
  return ctx;
}

/** Pause widget `w` (a locator) if it is playing, atomically in the page (a run that finished
 *  meanwhile has a disabled button that must not be clicked), then wait until it is paused. */
export async function pause(w) {
  await w.locator('button[data-action=play]').evaluate((b) => {
    if (!b.disabled && b.getAttribute('aria-pressed') === 'true') b.click();
  });
  await w.locator('button[data-action=play][aria-pressed=false]').waitFor();
}

/** Wait until widget `nth` has processed at least `n` more events than now, or its run has
 *  finished (simulated progress, whatever the machine's speed). */
export async function waitEvents(page, nth, n, timeout = 60_000) {
  const start = await page.evaluate((nth) => parseInt(document.querySelectorAll('.widget')[nth]
    .querySelector('[data-testid=events]').textContent, 10), nth);
  await page.waitForFunction(([nth, goal]) => {
    const w = document.querySelectorAll('.widget')[nth];
    return parseInt(w.querySelector('[data-testid=events]').textContent, 10) >= goal
      || w.querySelector('button[data-action=play]').disabled;
  }, [nth, start + n], { timeout });
}

/** Play widget `w` if it is paused and not finished (atomically in the page). */
export async function play(w) {
  await w.locator('button[data-action=play]').evaluate((b) => {
    if (!b.disabled && b.getAttribute('aria-pressed') === 'false') b.click();
  });
}

/** Simulated time of widget `nth` in ms, read from its clock ("t = 12.5 ms" or "t = 1.234 s"). */
export function simMs(page, nth) {
  return page.evaluate((nth) => {
    const t = document.querySelectorAll('.widget')[nth].querySelector('.clock').textContent;
    const m = t.match(/([\d.]+) (ms|s)/);
    return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : 0;
  }, nth);
}

/** Wait until widget `nth`'s simulated clock has moved `ms` past where it is now, or its run
 *  has finished (never a wall-clock sleep). */
export async function waitSim(page, nth, ms, timeout = 60_000) {
  const goal = (await simMs(page, nth)) + ms;
  await page.waitForFunction(([nth, goal]) => {
    const w = document.querySelectorAll('.widget')[nth];
    const m = w.querySelector('.clock').textContent.match(/([\d.]+) (ms|s)/);
    const now = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : 0;
    return now >= goal || w.querySelector('button[data-action=play]').disabled;
  }, [nth, goal], { timeout });
}

/** The lessons' slugs, in order, from the home page's list of static pages (`lessons/<slug>.html`). */
export async function lessonSlugs(page, siteUrl) {
  await page.goto(siteUrl);
  await page.waitForSelector('ol.lessons a[href^="lessons/"]');
  const hrefs = await page.locator('ol.lessons a[href^="lessons/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return [...new Set(hrefs.map((h) => h.slice('lessons/'.length, -'.html'.length)))];
}
