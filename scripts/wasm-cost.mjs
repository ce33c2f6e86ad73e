// What each widget costs in the wasm (numbers, not pass/fail; run by ./dev.sh bench), read like
// twiggy does from the name section of the wasm cargo built (before wasm-opt): every function body
// whose mangled name lies in a scenario's module or its panel (generic instances included, e.g.
// `Sim<SagaModel>::step`) is that widget's. Raw bytes of the bodies, gzip -9 of them concatenated,
// and that share scaled to the shipped wasm's gzip size. A lower bound: shared generic code a
// widget instantiates under another name (yew's, core's) is not counted.
// Usage: node scripts/wasm-cost.mjs [app.wasm before wasm-opt] [dist/app_bg.wasm]
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

const TARGET = process.env.CARGO_TARGET_DIR || new URL('../target', import.meta.url).pathname;
const pre = process.argv[2] || `${TARGET}/wasm32-unknown-unknown/wasm-release/app.wasm`;
const shipped = process.argv[3] || new URL('../dist/app_bg.wasm', import.meta.url).pathname;
const WIDGETS = {
  topology: ['topology'], replication: ['replication'], sharding: ['sharding'],
  cache: ['cache'], 'load-balancer': ['load_balancer'], saga: ['saga'], system: ['system'],
};

const buf = await readFile(pre);
let pos = 8;
const u32 = () => { let r = 0, s = 0, b; do { b = buf[pos++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
let imported = 0;
const bodies = [];
const names = new Map();
while (pos < buf.length) {
  const id = buf[pos++];
  const size = u32();
  const end = pos + size;
  if (id === 2) { // imports: count imported functions (they come first in the index space)
    for (let n = u32(); n > 0; n--) {
      { const a = u32(); pos += a; } { const b = u32(); pos += b; }
      const kind = buf[pos++];
      if (kind === 0) { u32(); imported++; } else if (kind === 1) { pos++; const f = u32(); u32(); if (f & 1) u32(); }
      else if (kind === 2) { const f = u32(); u32(); if (f & 1) u32(); } else if (kind === 3) { pos += 2; } else { pos += 2; }
    }
  } else if (id === 10) {
    for (let n = u32(); n > 0; n--) { const len = u32(); bodies.push(buf.subarray(pos, pos + len)); pos += len; }
  } else if (id === 0) {
    const nlen = u32();
    const nm = buf.subarray(pos, pos + nlen).toString(); pos += nlen;
    if (nm === 'name') {
      while (pos < end) {
        const sub = buf[pos++]; const slen = u32(); const send = pos + slen;
        if (sub === 1) for (let n = u32(); n > 0; n--) { const idx = u32(); const l = u32(); names.set(idx, buf.subarray(pos, pos + l).toString()); pos += l; }
        pos = send;
      }
    }
  }
  pos = end;
}

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
