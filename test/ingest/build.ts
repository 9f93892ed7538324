// Bundles the ingest bin (src/ingest/cli.ts) into a temp dir so a test can run the real server in a child
// process it can SIGKILL. Same entry and externals as rollup.config.mjs, but TypeScript is only transpiled
// here (the full build type-checks the whole project, ~12 s on 2 cores; `npm run typecheck` covers types).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import resolve from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import ts from 'typescript';

const transpile = () => ({
  name: 'transpile-ts',
  transform(code: string, id: string) {
    if (!id.endsWith('.ts')) return null;
    const out = ts.transpileModule(code, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, sourceMap: false },
      fileName: id,
    });
    return { code: out.outputText, map: null };
  },
});

export async function buildIngestServer(): Promise<string> {
  // Inside the repo so the bundle's bare imports (hono, better-sqlite3) resolve from node_modules.
  mkdirSync('node_modules/.cache', { recursive: true });
  const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.cache', 'cv-ingest-'));
  const bundle = await rollup({
    input: { 'ingest-server': 'src/ingest/cli.ts' },
    external: (id) => /^(node:|hono|@hono\/|better-sqlite3)/.test(id),
    plugins: [resolve({ extensions: ['.ts', '.mjs', '.js'], preferBuiltins: true }), transpile()],
    onwarn: () => {},
  });
  await bundle.write({ dir, format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' });
  await bundle.close();
  return join(dir, 'ingest-server.mjs');
}
