// Bundles every entry the same way (rollup + node-resolve for browsers + commonjs + terser) and measures it.
// Two outputs per entry: ESM with code splitting, whose entry chunk is what loads up front and whose other
// chunks are what the SDK loads lazily (Datadog); and one IIFE with everything inlined, for the test pages.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

// Only the peers need commonjs (installed with bench/); chat-vitals builds without it, so a size check
// can import this file from the root dependencies alone.
const commonjs = await import('@rollup/plugin-commonjs').then((m) => m.default, () => null);

// What webpack and Vite do for a production build; Elastic reads it to drop its debug logging.
const nodeEnv = () => ({
  name: 'node-env',
  transform: (code) =>
    code.includes('process.env.NODE_ENV') ? { code: code.replaceAll('process.env.NODE_ENV', '"production"'), map: null } : null,
});

const plugins = () => [
  nodeEnv(),
  resolve({ browser: true, preferBuiltins: false }),
  commonjs?.(),
  terser({ ecma: 2020, compress: { passes: 2 }, format: { comments: false } }),
];

const quiet = (warning, warn) => {
  if (!['THIS_IS_UNDEFINED', 'CIRCULAR_DEPENDENCY', 'EVAL'].includes(warning.code)) warn(warning);
};

export const sizes = (buf) => ({
  min: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** Builds one entry into outDir/<name>/; returns sizes and the IIFE source for the pages. */
export async function buildEntry(entryFile, outDir) {
  const name = basename(entryFile, '.mjs');
  const dir = join(outDir, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });

  const esm = await rollup({ input: entryFile, plugins: plugins(), onwarn: quiet });
  await esm.write({ dir: join(dir, 'esm'), format: 'es', entryFileNames: 'entry.js', chunkFileNames: 'lazy-[hash].js' });
  const file = join(dir, 'page.js');
  await esm.write({ file, format: 'iife', inlineDynamicImports: true });
  await esm.close();
  const files = await readdir(join(dir, 'esm'));
  const upFront = sizes(await readFile(join(dir, 'esm', 'entry.js')));
  let lazy = { min: 0, gzip: 0, brotli: 0 };
  for (const f of files.filter((f) => f.startsWith('lazy-'))) {
    const s = sizes(await readFile(join(dir, 'esm', f)));
    lazy = { min: lazy.min + s.min, gzip: lazy.gzip + s.gzip, brotli: lazy.brotli + s.brotli };
  }
  return { name, size: upFront, lazy, script: await readFile(file, 'utf8') };
}
