#!/usr/bin/env node
// What each feature costs in the browser builds: for every entry below, the build is made again from
// src/ with that feature's code cut out (a text replacement applied while bundling; no file changes)
// and the brotli difference is printed. `npm run size:ledger`. An entry whose text is no longer in
// the source says STALE instead of a number, so the ledger cannot silently describe old code.
// Minified as the release build is (rollup.config.mjs); "core" is the tree-shaken manual-call
// bundle that scripts/size.mjs budgets, "iife" the script-tag build. A second table gives what whole
// modules cost in the script-tag build (what goes with them when they are replaced by no-ops).
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';
import { rollup } from 'rollup';
import ts from 'typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const CORE = `export { init, trackRender, trackPersistence, trackTabSync, trackApi, flush, shutdown } from './src/index.ts';`;

// [feature, required by, [file, text, replacement]...]. "issue 2" etc.: asked for there; "extra": ours.
const LEDGER = [
  ['page-exit spill to localStorage', 'extra', ['pipeline/pipeline.ts', `        try {
          if (outbox.length) localStorage[spillKey] = JSON.stringify(outbox.slice(-8));
        } catch {}`, ''], ['pipeline/pipeline.ts', `  try {
    for (const k in localStorage)
      if (k.startsWith(o._dbName + 'b:'))
        for (const b of JSON.parse(localStorage[k], void delete localStorage[k])) if (typeof b?.k == 'string' && Array.isArray(b.e)) outbox.push(b);
  } catch {}`, ''], ['pipeline/pipeline.ts', `        saved.then((ok) => {
          try {
            if (ok) delete localStorage[spillKey];
          } catch {}
          schedule();
        });`, '        saved.then(schedule);'], ['pipeline/pipeline.ts', `  const spillKey = o._dbName + 'b:~' + o._random();`, '']],
  ['backoff kept across reloads', 'extra', ['pipeline/pipeline.ts', `      if (b.k != 's') return !outbox.some((x) => x.k == b.k);`, '      return !outbox.some((x) => x.k == b.k);'], ['pipeline/pipeline.ts', `[{ k: 's', f: failures, n: nextAt }, ...changed`, '[...changed']],
  ['beaconed batches not resent when the page lives on', 'issue 6 (item 7)', ['pipeline/pipeline.ts', '    for (const b of all) if (beaconed.delete(b.k)) b.e = [];', ''], ['pipeline/exit.ts', '.then(([s]) => s && s < 300 && done.add(b.k))', '']],
  ['reopen after the database is deleted', 'issue 6 (item 3)', ['pipeline/store.ts', `        s.transaction.db.onversionchange = function () {
          this.close();
          use = undefined;
        };`, '']],
  ['30 s request timeout', 'extra', ['pipeline/transport.ts', '      signal: globalThis.AbortSignal?.timeout?.(30_000),', '']],
  ['recent-events ring for late subscribers', 'extra (overlay)', ['core/record.ts', '  s._recent[s._recentAt++ % RECENT_LIMIT] = ev;', '']],
  ['keepalive response drain', 'extra (Chromium quota)', ['pipeline/transport.ts', '    await r.text().catch(() => 0);', '']],
  ['config validation (defaults kept)', 'issue 2', ['core/lifecycle.ts', '    const c = resolveConfig(config);', `    const c = { sampleRate: 1, flushIntervalMs: 5000, maxQueueEvents: 5000, maxQueueBytes: 1e6, maxEventAgeMs: 864e5, slowRenderMs: 16, collectors: [], ...config } as ResolvedConfig;`], ['core/lifecycle.ts', "import { resolveConfig, type ChatVitalsConfig } from './config';", "import type { ChatVitalsConfig, ResolvedConfig } from './config';"]],
  ['calls before init buffered', 'issue 2', ['core/record.ts', `  if (s._phase === 'idle') {
    if (s._pending.length < PENDING_LIMIT) s._pending.push(((fields.ts = at), fields));
    else s._pendingOverflow++;
    return;
  }`, ''], ['core/lifecycle.ts', '    replayPending();', '']],
  ['Web Lock between tabs', 'issue 2', ['pipeline/pipeline.ts', `await withLock(o._dbName + ':send', deliver);`, 'await deliver();']],
  ['beforeSend', 'issue 2', ['core/record.ts', '  const beforeSend = s._config!.beforeSend;', '  const beforeSend = undefined as ((e: ChatVitalsEvent) => ChatVitalsEvent) | undefined;']],
  ['caller timestamps (±24 h)', 'SPEC §2', ['api/track.ts', '      record(ev, timestamp((m as { timestamp?: unknown }).timestamp));', '      record(ev);']],
  ['retry with backoff and Retry-After', 'issue 2', ['pipeline/pipeline.ts', '      if (retryable(status)) {', '      if (!status) {']],
  ['queue bounds per type and bytes', 'issue 2', ['pipeline/trim.ts', `            : capped && (seen[ev.type] = (seen[ev.type] || 0) + 1) > lim.maxQueueEvents
              ? drop('overflow')
              : 1,`, '            : 1,'], ['pipeline/trim.ts', `      if (capped && (bytes += b.s) > lim.maxQueueBytes) drop('overflow', b.e.splice(0).length);`, '']],
  ['IndexedDB hang timeout', 'issue 2', ['pipeline/store.ts', `      const timer = setTimeout(() => reject((dead = Error(DEV ? 'IndexedDB hung' : ''))), IDB_TIMEOUT_MS);`, '      const timer = 0;']],
  ['collectors started by init', 'issue 3', ['core/lifecycle.ts', `    for (const collector of c.collectors) {
      try {
        state._stops.push(collector.start(c));
      } catch (e) {
        // \`if (DEV)\`: without it the minifier keeps an empty call here in production builds (14 B).
        if (DEV) warnOnce('collector', \`collector \${collector.name} is off: \${e}\`);
      }
    }`, '']],
  ['session sampling', 'issue 2', ['core/lifecycle.ts', '    state._sampled = isSampled(state._session, c.sampleRate);', '    state._sampled = true;']],
];

const minify = () => terser({ ecma: 2020, module: true, compress: { passes: 3, pure_getters: true }, mangle: { properties: { regex: /^_/ } } });
const brotli = (code) => brotliCompressSync(Buffer.from(code), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

// Modules whose whole cost in the script-tag build is listed (each replaced by no-op exports).
const MODULES = ['collectors/vitals', 'collectors/persistence', 'collectors/sync', 'collectors/scroll', 'collectors/heap', 'collectors/render', 'collectors/api', 'collectors/bundle', 'collectors/messages', 'collectors/match', 'collectors/observe', 'core/subscribe'];

/** Brotli bytes of a build with `cuts` applied (and module `stub` replaced), or null when a cut's text is not in the source. */
async function build(kind, cuts = [], stub, { dev = false, entry = CORE } = {}) {
  let stale = false;
  // Each .ts file is read, cut, and transpiled here (the TypeScript plugin would emit from disk).
  const patch = {
    name: 'cut',
    load(id) {
      if (!id.endsWith('.ts')) return null;
      let code = readFileSync(id, 'utf8');
      if (stub && id.endsWith(`/src/${stub}.ts`))
        return [...code.matchAll(/export (?:async )?(?:function|const|let) (\w+)/g)].map(([, name]) => `export const ${name} = () => () => {};`).join('\n');
      for (const [file, text, replacement] of cuts) {
        if (!id.endsWith('/src/' + file)) continue;
        if (!code.includes(text)) stale = true;
        code = code.replace(text, replacement);
      }
      code = code.replaceAll('__DEV__', String(dev)); // production by default, as scripts/size.mjs measures
      return ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext } }).outputText;
    },
  };
  const bundle = await rollup({
    input: kind === 'core' ? 'entry' : 'src/iife.ts',
    onwarn: () => {},
    plugins: [
      { name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? entry : null) },
      patch,
      resolve({ browser: true, extensions: ['.ts', '.js'] }),
    ],
  });
  const { output } = await bundle.generate({ format: kind === 'core' ? 'es' : 'iife', name: 'ChatVitalsBundle', plugins: [minify()] });
  await bundle.close();
  return stale ? null : brotli(output[0].code);
}

const base = { core: await build('core'), iife: await build('iife') };
console.log(`| feature | asked for by | core (${base.core} B) | script tag (${base.iife} B) |`);
console.log('| --- | --- | ---: | ---: |');
for (const [feature, by, ...cuts] of LEDGER) {
  const core = await build('core', cuts);
  const iife = await build('iife', cuts);
  const cell = (n, b) => (n === null ? 'STALE' : `${b - n} B`);
  console.log(`| ${feature} | ${by} | ${cell(core, base.core)} | ${cell(iife, base.iife)} |`);
}
// Brotli shares context across the file, so the rows do not add up: the extras also cut all at once.
const extras = LEDGER.filter(([, by]) => by.startsWith('extra')).flatMap(([, , ...cuts]) => cuts);
{
  const [core, iife] = [await build('core', extras), await build('iife', extras)];
  const cell = (n, b) => (n === null ? 'STALE' : `${b - n} B (left: ${n} B)`);
  console.log(`| **every extra at once** | | ${cell(core, base.core)} | ${cell(iife, base.iife)} |`);
}
// Not in the budgeted builds: what an app adds by asking for gzip, and what the development builds add
// (console warnings, the debug log, the queue figures; checks and fallbacks are in both).
const gzip = (await build('core', [], undefined, { entry: CORE.replace('trackRender,', 'trackRender, gzip,') })) - base.core;
const dev = { core: (await build('core', [], undefined, { dev: true })) - base.core, iife: (await build('iife', [], undefined, { dev: true })) - base.iife };
console.log(`| gzip, when the app imports it (\`compress: gzip\`) | opt-in | +${gzip} B | not in it |`);
console.log(`| development build: warnings, debug log, queue figures | issue 2 (warnings) | +${dev.core} B | +${dev.iife} B |`);

console.log(`\n| module (all of it) | script tag (${base.iife} B) |`);
console.log('| --- | ---: |');
for (const m of MODULES) console.log(`| src/${m}.ts | ${base.iife - (await build('iife', [], m))} B |`);
