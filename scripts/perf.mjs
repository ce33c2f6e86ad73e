// Browser-side benchmarks (numbers, not pass/fail), against the built dist/ on 127.0.0.1:
//   1. time to first interactive widget, on localhost and on a throttled network;
//   2. script time per animation frame for every widget, at the default speed and the fastest;
//   3. a 50-node network with about 500 messages in flight;
//   4. engine throughput: the same run natively and in wasm, with the trace hashes compared.
// Usage: node scripts/perf.mjs   (after ./dev.sh build and cargo build --release --bin sandbox)
import { execFileSync } from 'node:child_process';
import { serve, launch } from '../tests/e2e/harness.mjs';

const TARGET = process.env.CARGO_TARGET_DIR || new URL('../target', import.meta.url).pathname;
const SANDBOX = `${TARGET}/release/sandbox`;
const site = await serve();
const browser = await launch();

const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');

// Measured inside the page, so the harness's own polling costs nothing: "in DOM" is when the
// first widget's Play button exists and is enabled (handlers attached), "painted" is after the
// next frame was drawn. Several loads each; the first in a fresh browser is the slowest.
async function firstWidget(label, throttle, runs = 5) {
  const dom = [];
  const painted = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage();
    if (throttle) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', throttle);
    }
    await page.addInitScript(() => {
      const sel = '.widget button[data-action=play]:not([disabled])';
      const obs = new MutationObserver(() => {
        if (window.__fw || !document.querySelector(sel)) return;
        window.__fw = { dom: performance.now() };
        obs.disconnect();
        requestAnimationFrame(() => setTimeout(() => { window.__fw.painted = performance.now(); }, 0));
      });
      obs.observe(document, { childList: true, subtree: true, attributes: true });
    });
    await page.goto(`${site.url}lessons/${process.env.LESSON || 'welcome'}.html`);
    await page.waitForFunction(() => window.__fw && window.__fw.painted, null, { timeout: 60000 });
    const t = await page.evaluate(() => window.__fw);
    dom.push(t.dom);
    painted.push(t.painted);
    await page.close();
  }
  const list = (xs) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(`first widget (${label}), ms after navigation start: in DOM ${list(dom)}; painted ${list(painted)}; median painted ${pct(painted, 0.5).toFixed(0)}`);
}

async function frames(kind, params, speedLabel, seconds = 3) {
  const page = await browser.newPage();
  await page.addInitScript(() => { window.__sandboxPerf = []; });
  await page.goto(`${site.url}#/widget/${kind}?${params}`);
  await page.waitForSelector('.widget button[data-action=play]');
  await page.selectOption('select[data-action=speed]', { label: speedLabel });
  await page.click('button[data-action=play]');
  await page.waitForTimeout(seconds * 1000);
  const [xs, flights] = await page.evaluate(() => [
    window.__sandboxPerf,
    Number((document.querySelector('svg.topology')?.getAttribute('aria-label') ?? '').match(/(\d+) messages in flight/)?.[1] ?? 0),
  ]);
  await page.close();
  return { n: xs.length, p50: pct(xs, 0.5), p95: pct(xs, 0.95), max: Math.max(...xs), flights };
}

// Best of three runs on each side. V8 first runs wasm with its baseline compiler and optimises
// hot functions while they run, so the first wasm run is reported too ("cold").
async function engine(kind, params, runs = 3) {
  const args = ['run', kind, ...params.split(' '), '--seed', '1', '--json', '--quiet'];
  let native = Infinity;
  let out;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    out = JSON.parse(execFileSync(SANDBOX, args, { encoding: 'utf8' }));
    native = Math.min(native, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const page = await browser.newPage();
  await page.goto(`${site.url}#/`);
  await page.waitForSelector('ol.lessons');
  const wasm = await page.evaluate(async ([k, p, n]) => {
    const mod = await import(new URL('app.js', location.href).href);
    const times = [];
    let last;
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      last = mod.bench_run(k, p, 1n);
      times.push(performance.now() - t);
    }
    return { cold: times[0], best: Math.min(...times), events: last[0], hash: last[1] };
  }, [kind, params, runs]);
  await page.close();
  const rate = (ms) => out.events / (ms / 1000);
  const nat = rate(native);
  const M = (x) => (x / 1e6).toFixed(2);
  console.log(`${kind} ${params}: native ${M(nat)} M events/s (${out.events} events, best ${native.toFixed(0)} ms incl. process start), `
    + `wasm ${M(rate(wasm.best))} M events/s (best ${wasm.best.toFixed(0)} ms; cold first run ${M(rate(wasm.cold))}), `
    + `ratio ${(rate(wasm.best) / nat).toFixed(2)} (cold ${(rate(wasm.cold) / nat).toFixed(2)}), `
    + `trace hash ${wasm.hash === out.trace_hash ? 'identical' : `DIFFERENT (${wasm.hash} vs ${out.trace_hash})`}`);
}

console.log('== time to first widget');
await firstWidget('localhost', null);
await firstWidget('throttled: 40 ms RTT, 10 Mbit/s', { offline: false, latency: 40, downloadThroughput: 1.25e6, uploadThroughput: 1.25e6 }, 3);
await firstWidget('slow 3G-like: 300 ms RTT, 1.6 Mbit/s', { offline: false, latency: 300, downloadThroughput: 2e5, uploadThroughput: 2e5 }, 2);

// A run long enough to last the whole measurement at the fastest speed.
const LONG = { requests: 1000000, orders: 100000, ops: 100000 };
const longRun = (s) => s.params.filter((p) => p.name in LONG).map((p) => `${p.name}=${LONG[p.name]}&`).join('');

console.log('\n== script time per animation frame (ms): p50 / p95 / max over 3 s of play');
const scenarios = JSON.parse(execFileSync(SANDBOX, ['list', '--json'], { encoding: 'utf8' }));
for (const s of scenarios.filter((x) => !process.env.ONLY || x.scenario === process.env.ONLY)) {
  for (const speed of ['1/20', '100×']) {
    const r = await frames(s.scenario, `${longRun(s)}seed=1`, speed);
    console.log(`${s.scenario.padEnd(14)} speed ${speed.padEnd(5)}: ${fmt(r.p50)} / ${fmt(r.p95)} / ${fmt(r.max)} over ${r.n} frames`);
  }
}
const big = await frames('topology', 'nodes=50&shape=mesh&latency_ms=200&rate=1250&requests=100000&seed=1', 'real time', 4);
console.log(`topology 50 nodes (mesh, 1225 links), ${big.flights} messages drawn: ${fmt(big.p50)} / ${fmt(big.p95)} / ${fmt(big.max)} over ${big.n} frames`);

console.log('\n== engine throughput, native vs wasm (same run, same seed)');
await engine('topology', 'requests=500000 rate=100000');
for (const s of scenarios) {
  if (s.scenario === 'load-balancer') await engine('load-balancer', 'requests=1000000');
}

await browser.close();
await site.close();
