// Builds every artefact of the package (SPEC §7). Browser entries are minified; Node entries are not.
import { existsSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';

const pkg = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')));
const define = { preventAssignment: true, values: { __SDK_VERSION__: JSON.stringify(pkg.version) } };

// A tiny replace plugin: the SDK reports its version without importing package.json at runtime, and
// __DEV__ says whether this build carries the console warnings (see src/core/warn.ts). Only columns
// shift on the lines it touches, so the source map keeps its lines without a new one.
const constants = (dev) => ({
  name: 'sdk-constants',
  transform(code) {
    return /__SDK_VERSION__|__DEV__/.test(code)
      ? { code: code.replaceAll('__SDK_VERSION__', define.values.__SDK_VERSION__).replaceAll('__DEV__', String(dev)), map: null }
      : null;
  },
});

const minify = () =>
  terser({ ecma: 2020, module: true, compress: { passes: 3, pure_getters: true }, mangle: { properties: { regex: /^_/ } } });

const ts = (declarations = false) =>
  typescript({
    tsconfig: './tsconfig.json',
    declaration: declarations,
    declarationDir: declarations ? 'dist/types' : undefined,
    outDir: 'dist',
    noEmitOnError: true,
  });

// The ingest's dashboard page is self-contained (the handler may run where no files can be read):
// build src/dashboard/client.ts for the browser and inline it where page.ts says __DASHBOARD_CLIENT__.
// Runs after the TypeScript plugin, so the `declare const` is already gone.
const inlineDashboard = () => {
  let client;
  return {
    name: 'inline-dashboard',
    async buildStart() {
      const bundle = await rollup({ input: 'src/dashboard/client.ts', plugins: [resolve({ browser: true }), ts(), minify()] });
      for (const f of bundle.watchFiles) this.addWatchFile(f);
      client = (await bundle.generate({ format: 'iife' })).output[0].code;
      await bundle.close();
    },
    transform(code, id) {
      return code.includes('__DASHBOARD_CLIENT__') && id.includes('dashboard')
        ? code.replaceAll('__DASHBOARD_CLIENT__', JSON.stringify(client))
        : null;
    },
  };
};

const nodeExternal = (id) => /^(node:|hono|@hono\/|better-sqlite3)/.test(id);

// Each browser build twice: production (no warning text: what chat users download) and development
// (`.dev.`: every console warning; bundlers pick it through the `development` export condition).
const configs = [false, true].flatMap((dev) => {
  const d = dev ? '.dev' : '';
  return [
    {
      name: 'core',
      input: 'src/index.ts',
      output: { file: `dist/chat-vitals${d}.mjs`, format: 'es', sourcemap: true },
      plugins: [constants(dev), resolve({ browser: true }), ts(!dev), minify()],
    },
    {
      name: 'iife',
      input: 'src/iife.ts',
      output: { file: `dist/chat-vitals${d}.iife.js`, format: 'iife', name: 'ChatVitalsBundle', sourcemap: true },
      plugins: [constants(dev), resolve({ browser: true }), ts(), minify()],
    },
  ];
});

if (existsSync('src/overlay/index.ts'))
  configs.push({
    name: 'overlay',
    input: 'src/overlay/index.ts',
    output: { file: 'dist/overlay.mjs', format: 'es', sourcemap: true },
    plugins: [constants(true), resolve({ browser: true }), ts(), minify()],
  });

if (existsSync('src/ingest/index.ts'))
  configs.push({
    name: 'ingest',
    input: { ingest: 'src/ingest/index.ts', 'ingest-server': 'src/ingest/cli.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name].mjs', sourcemap: true },
    external: nodeExternal,
    plugins: [constants(true), resolve({ preferBuiltins: true }), ts(), inlineDashboard()],
  });

// `rollup -c --environment ONLY:ingest` (or ONLY:core+iife) builds just those entries. Not a comma:
// rollup's --environment splits on commas.
const only = process.env.ONLY?.split('+');
export default configs
  .filter((c) => !only || only.includes(c.name))
  .map(({ name: _name, ...config }) => config);
