// What each widget costs in the wasm (numbers, not pass/fail; run by ./dev.sh bench), read like
// twiggy does from the name section of the wasm cargo built (before wasm-opt): every function body
// whose mangled name lies in a scenario's module or its panel (generic instances included, e.g.
// `Sim<SagaModel>::step`) is that widget's. Raw bytes of the bodies, gzip -9 of them concatenated,
// and that share scaled to the shipped wasm's gzip size. A lower bound: shared generic code a
// widget instantiates under another name (yew's, core's) is not counted.
// Usage: node scripts/wasm-cost.mjs [app.wasm before wasm-opt] [dist/app_bg.wasm]
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { readWasm } from './wasm-parse.mjs';

const TARGET = process.env.CARGO_TARGET_DIR || new URL('../target', import.meta.url).pathname;
const pre = process.argv[2] || `${TARGET}/wasm32-unknown-unknown/wasm-release/app.wasm`;
const shipped = process.argv[3] || new URL('../dist/app_bg.wasm', import.meta.url).pathname;
const WIDGETS = {
  topology: ['topology'], replication: ['replication'], sharding: ['sharding'],
  cache: ['cache'], 'load-balancer': ['load_balancer'], saga: ['saga'], system: ['system'],
};

const { bodies, names, imported } = readWasm(await readFile(pre));

const total = bodies.reduce((a, b) => a + b.length, 0);
const totalGz = gzipSync(Buffer.concat(bodies), { level: 9 }).length;
const shippedGz = gzipSync(await readFile(shipped), { level: 9 }).length;
console.log(`code in ${pre}: ${bodies.length} functions, ${total} bytes (${totalGz} gzipped); shipped wasm ${shippedGz} bytes gzipped`);
console.log('| widget | functions | raw bytes | gzip of its code | scaled to the shipped wasm (KB gzip) |\n|---|---|---|---|---|');
for (const [w, mods] of Object.entries(WIDGETS)) {
  const pats = mods.flatMap((m) => [`scenario..${m}..`, `8scenario${m.length}${m}`, `panels..${m}`, `6panels${m.length}${m}`]);
  const mine = bodies.filter((_, i) => pats.some((p) => (names.get(i + imported) || '').includes(p)));
  const raw = mine.reduce((a, b) => a + b.length, 0);
  const gz = gzipSync(Buffer.concat(mine), { level: 9 }).length;
  console.log(`| ${w} | ${mine.length} | ${raw} | ${gz} | ${((gz / totalGz) * shippedGz / 1000).toFixed(1)} |`);
}
