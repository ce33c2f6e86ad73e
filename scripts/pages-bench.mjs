// Text-first lesson pages on a slow link (numbers, not pass/fail; run by ./dev.sh bench):
//   1. lesson text painted and first widget interactive, on 1.6 Mbit/s down and up with 150 ms
//      latency (Chromium's network emulation over CDP), the site served with its .gz files;
//   2. the bytes of a lesson page's first load, per file, raw / gzip -9 / brotli 11.
// Usage: node scripts/pages-bench.mjs   (after ./dev.sh build)   LESSON=<slug> RUNS=<n>
import { readFile } from 'node:fs/promises';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { serve, launch, DIST } from '../tests/e2e/harness.mjs';

const LESSON = process.env.LESSON || 'welcome';
const RUNS = Number(process.env.RUNS || 7);
const PROFILE = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 1.6e6 / 8 };

const site = await serve({ gzip: true });
const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One cold load: paint times and interactive time in ms after navigation start, and the bytes
 *  that crossed the wire (as encoded, i.e. gzip) per file until the first widget was interactive. */
async function load() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', PROFILE);
  const urls = new Map();
  const wire = {};
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    const name = (urls.get(e.requestId) || '').slice(site.url.length);
    wire[name] = e.encodedDataLength;
  });
  await page.addInitScript(() => {
    window.__t = {};
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__t[e.name] = e.startTime;
    }).observe({ type: 'paint', buffered: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__t.lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    const sel = '.widget button[data-action=play]:not([disabled])';
    const obs = new MutationObserver(() => {
      if (window.__t.dom || !document.querySelector(sel)) return;
      window.__t.dom = performance.now();
      obs.disconnect();
      requestAnimationFrame(() => setTimeout(() => { window.__t.interactive = performance.now(); }, 0));
    });
    obs.observe(document, { childList: true, subtree: true, attributes: true });
  });
  await page.goto(`${site.url}lessons/${LESSON}.html`);
  await page.waitForFunction(() => window.__t.interactive, null, { timeout: 120_000 });
  const t = await page.evaluate(() => window.__t);
  await context.close();
  return { ...t, wire };
}

const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await load());
const col = (k) => runs.map((r) => r[k]).filter(Number.isFinite);
const list = (xs) => xs.map((x) => x.toFixed(0)).join(' ');
console.log(`lesson page lessons/${LESSON}.html, ${RUNS} cold loads, 1.6 Mbit/s, 150 ms latency, gzip served:`);
for (const [k, what] of [['first-contentful-paint', 'lesson text painted (first contentful paint)'],
  ['lcp', 'largest contentful paint'], ['interactive', 'first widget interactive (Play enabled, next frame painted)']]) {
  console.log(`  ${what}: ${list(col(k))} ms; median ${median(col(k)).toFixed(0)} ms`);
}
const wire = runs.at(-1).wire;
console.log(`  bytes on the wire until interactive: ${Object.entries(wire).map(([f, b]) => `${f || '(page)'} ${b}`).join(', ')}; total ${Object.values(wire).reduce((a, b) => a + b, 0)}`);

// The first load's files, compressed as the build ships them.
const files = [`lessons/${LESSON}.html`, 'style.css', 'lesson.js', 'app.js', 'app_bg.wasm', 'favicon.svg'];
console.log(`\n| file (first load of lessons/${LESSON}.html) | raw bytes | gzip -9 | brotli 11 |\n|---|---|---|---|`);
const sum = [0, 0, 0];
for (const f of files) {
  const raw = await readFile(`${DIST}${f}`);
  const gz = gzipSync(raw, { level: 9 }).length;
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  [raw.length, gz, br].forEach((x, i) => { sum[i] += x; });
  console.log(`| \`${f}\` | ${raw.length.toLocaleString('en')} | ${gz.toLocaleString('en')} | ${br.toLocaleString('en')} |`);
}
console.log(`| total | ${sum.map((x) => x.toLocaleString('en')).join(' | ')} |`);
console.log(`budget 250 KB gzipped: ${(sum[1] / 1000).toFixed(1)} KB (${sum[1] <= 250_000 ? 'met' : `over by ${((sum[1] - 250_000) / 1000).toFixed(1)} KB`})`);

await browser.close();
await site.close();
