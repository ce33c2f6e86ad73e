// Writes `.gz` (gzip -9) and `.br` (brotli, quality 11) beside every text and wasm file of a built
// site, for static hosts that serve precompressed files (nginx gzip_static/brotli_static, Caddy
// precompressed, Netlify/Cloudflare do their own). Run by `./dev.sh build`: node scripts/precompress.mjs dist
import { readdir, readFile, writeFile, stat } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const EXTS = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.svg', '.json', '.txt']);

async function* files(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (EXTS.has(extname(e.name))) yield p;
  }
}

const root = process.argv[2] || 'dist';
if (!(await stat(root).catch(() => null))?.isDirectory()) {
  console.error(`precompress: ${root} is not a directory`);
  process.exit(2);
}
let n = 0;
for await (const f of files(root)) {
  const body = await readFile(f);
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [constants.BROTLI_PARAM_MODE]: extname(f) === '.wasm' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
  await writeFile(`${f}.gz`, gzipSync(body, { level: 9 }));
  await writeFile(`${f}.br`, br);
  n++;
}
console.error(`precompress: ${n} files in ${root} now have .gz and .br beside them`);
