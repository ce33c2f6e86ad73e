// Where the wasm's bytes go, by function, and which of the standard library's costly pieces are in
// it (numbers and a list, not pass/fail; run by ./dev.sh bench). Reads the name section of the wasm
// cargo built (before wasm-opt, so sizes are larger than shipped and inlining differs a little).
// For the shipped shape, give it a wasm-opt -Oz -g build of `wasm-bindgen --keep-debug` output.
// Build with RUSTFLAGS="-C symbol-mangling-version=v0" (own CARGO_TARGET_DIR) to see generic
// arguments in the names, e.g. which component a yew `CompStateInner<..>::view` is.
// Usage: node scripts/wasm-top.mjs [app.wasm] [N]
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { readWasm } from './wasm-parse.mjs';

const TARGET = process.env.CARGO_TARGET_DIR || new URL('../target', import.meta.url).pathname;
const path = process.argv[2] || `${TARGET}/wasm32-unknown-unknown/wasm-release/app.wasm`;
const N = Number(process.argv[3] || 20);
// Standard-library pieces the crate avoids on purpose (ARCHITECTURE.md, "Size-lean code"), with
// what to use instead: each came back once through one innocent-looking call.
const COSTLY = [
  [/core::num::dec2flt|f64 as core[^ ]*::str::traits::FromStr/, 'str::parse::<f64> (14 KB with its table): use sim::num::parse_f64'],
  [/core::num::flt2dec|<f64 as core[^ ]*::fmt::Display>/, 'f64 through core::fmt (12 KB): use sim::num_fmt::{Short, Fixed}'],
  [/core::unicode::conversions/, 'char/str to_uppercase/to_lowercase (12 KB case table): use the ASCII ones'],
  [/core::slice::sort::stable|core::slice::sort::unstable/, 'a standard sort (about 3.5 KB each): use sim::compact::sort*'],
  [/alloc::collections::btree::map::BTreeMap</, 'a BTreeMap instance (about 5 KB each): see sim::compact::VecMap'],
];

const { bodies, names, imported } = readWasm(await readFile(path));

// cargo's own output names functions by their legacy mangled symbols: spell those out.
const demangle = (n) => {
  if (!/^_ZN.*E$/.test(n)) return n;
  const parts = [];
  for (let i = 3; i < n.length - 1;) {
    const m = /^\d+/.exec(n.slice(i));
    if (!m) break;
    const len = Number(m[0]); i += m[0].length;
    parts.push(n.slice(i, i + len)); i += len;
  }
  const esc = { SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',', u20: ' ', u27: "'", u5b: '[', u5d: ']', u7b: '{', u7d: '}', u7e: '~' };
  return parts.join('::').replace(/\$([A-Za-z0-9]+)\$/g, (_, c) => esc[c] ?? c).replace(/\.\./g, '::').replace(/^_</, '<');
};
const clean = (n) => demangle(n).replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, '').replace(/systems_sandbox::/g, 'ss::');
const fns = bodies.map((b, i) => ({ name: clean(names.get(i + imported) || `f${i}`), body: b }));
const total = fns.reduce((a, f) => a + f.body.length, 0);
console.log(`${path}: ${fns.length} functions, ${total} bytes of code`);
console.log(`\n| bytes | function (top ${N}) |\n|---|---|`);
for (const f of [...fns].sort((a, b) => b.body.length - a.body.length).slice(0, N)) {
  console.log(`| ${f.body.length} | ${f.name.slice(0, 160).replace(/\|/g, '\\|')} |`);
}
// Group: our modules two levels deep (ss::ui::builder), other crates by name; a generic instance
// goes with the crate of its outermost path (yew's CompStateInner<ss::ui::X> counts as yew).
const group = (n) => {
  const p = n.replace(/^<+/, '').split(/::|[ <>]/);
  return p[0] === 'ss' ? p.slice(0, p[1] === 'ui' || p[1] === 'sim' ? 3 : 2).join('::') : p[0];
};
const groups = new Map();
for (const f of fns) {
  const g = groups.get(group(f.name)) || { bytes: 0, n: 0, bodies: [] };
  g.bytes += f.body.length; g.n++; g.bodies.push(f.body); groups.set(group(f.name), g);
}
console.log(`\n| bytes | gzip -9 | functions | group (top ${N}) |\n|---|---|---|---|`);
for (const [k, g] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, N)) {
  console.log(`| ${g.bytes} | ${gzipSync(Buffer.concat(g.bodies), { level: 9 }).length} | ${g.n} | ${k} |`);
}
console.log('\nCostly standard-library pieces in this wasm:');
let any = false;
for (const [re, what] of COSTLY) {
  const hit = fns.filter((f) => re.test(f.name));
  if (hit.length) {
    any = true;
    console.log(`- ${what}: ${hit.length} functions, ${hit.reduce((a, f) => a + f.body.length, 0)} bytes, e.g. ${hit[0].name.slice(0, 120)}`);
  }
}
if (!any) console.log('- none');
