// Reading a wasm's function bodies and their names (the `name` custom section), shared by the
// size scripts (wasm-top.mjs, wasm-cost.mjs). Imported functions come first in the index space, so
// body i is function `imported + i`.

/** The function bodies (byte views), the names by function index, and how many are imported. */
export function readWasm(buf) {
  let pos = 8;
  const u32 = () => { let r = 0, s = 0, b; do { b = buf[pos++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
  let imported = 0;
  const bodies = [];
  const names = new Map();
  while (pos < buf.length) {
    const id = buf[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 2) { // imports: imported functions come first in the index space
      for (let n = u32(); n > 0; n--) {
        for (let k = 0; k < 2; k++) { const len = u32(); pos += len; } // module, field (len first: `pos += u32()` would read pos before u32 moves it)
        const kind = buf[pos++];
        if (kind === 0) { u32(); imported++; } else if (kind === 1) { pos++; const f = u32(); u32(); if (f & 1) u32(); }
        else if (kind === 2) { const f = u32(); u32(); if (f & 1) u32(); } else { pos += 2; }
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
return { bodies, names, imported };
}
