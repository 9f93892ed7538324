// Bundles a bench page straight from chat-vitals' TypeScript sources (src/), for figures about parts the
// shipped build may not export yet. Types are stripped per file by TypeScript itself; no minification.
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import ts from 'typescript';

const stripTypes = () => ({
  name: 'strip-types',
  transform(code, id) {
    if (!id.endsWith('.ts')) return null;
    const out = ts.transpileModule(code, {
      fileName: id,
      compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
    });
    // As the production build (rollup.config.mjs): no warnings, no queue figures.
    return { code: out.outputText.replaceAll('__SDK_VERSION__', '"bench"').replaceAll('__DEV__', 'false'), map: null };
  },
});

/** Bundles the given module source (imports resolved from `dir`) into one IIFE string. */
export async function bundleSource(source, dir) {
  const entry = `${dir}/__bench-entry.mjs`;
  const virtual = {
    name: 'virtual-entry',
    resolveId: (id) => (id === entry ? id : null),
    load: (id) => (id === entry ? source : null),
  };
  const bundle = await rollup({
    input: entry,
    plugins: [virtual, resolve({ browser: true, extensions: ['.mjs', '.js', '.ts'] }), stripTypes()],
    onwarn: (w, warn) => w.code !== 'MISSING_EXPORT' && warn(w),
  });
  const { output } = await bundle.generate({ format: 'iife', inlineDynamicImports: true });
  await bundle.close();
  return output[0].code;
}
