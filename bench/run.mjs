// `npm run bench`: chat-vitals against the SDKs a chat widget would otherwise use, in one run.
//   node bench/run.mjs [--quick] [--reps N] [--delivery-reps N] [--only a,b] [--no-write]
// Installs bench/ dependencies if missing, bundles every entry the same way, measures them in real
// Chromium (pages alternated, repetitions, medians), prints one table and writes docs/benchmarks.md
// (and the README section between the bench markers, if present).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = flag('--quick');
const reps = Number(option('--reps') ?? (quick ? 1 : 3));
const idleMs = quick ? 2000 : 5000;
// Delivery on close swings from run to run (chat-vitals 0 or 653, Faro 297–447): medians of 3 unless quick.
const deliveryReps = Number(option('--delivery-reps') ?? (quick ? 1 : 3));
const log = (...a) => console.error('[bench]', ...a);

const PEERS = {
  'chat-vitals': 'chat-vitals',
  'web-vitals': 'web-vitals + queue',
  sentry: 'Sentry',
  datadog: 'Datadog RUM',
  faro: 'Grafana Faro',
  elastic: 'Elastic APM RUM',
  otel: 'OpenTelemetry web',
};
const PACKAGES = {
  'web-vitals': 'web-vitals',
  sentry: '@sentry/browser',
  datadog: '@datadog/browser-rum',
  faro: '@grafana/faro-web-sdk',
  elastic: '@elastic/apm-rum',
  otel: '@opentelemetry/sdk-trace-web',
};

// 1. Peers are installed on demand, never by the root `npm install`.
const benchPkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
if (!Object.keys(benchPkg.dependencies).every((d) => existsSync(join(here, 'node_modules', d, 'package.json')))) {
  log('installing bench dependencies (npm install --prefix bench)…');
  execFileSync('npm', ['install', '--prefix', here, '--no-audit', '--no-fund'], { stdio: 'inherit' });
}

// 2. chat-vitals is measured as shipped: dist/chat-vitals.mjs, rebuilt when src/ is newer.
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (t, d) => Math.max(t, d.isDirectory() ? newest(join(dir, d.name)) : statSync(join(dir, d.name)).mtimeMs),
    0,
  );
const dist = join(root, 'dist', 'chat-vitals.mjs');
if (!existsSync(dist) || statSync(dist).mtimeMs < newest(join(root, 'src'))) {
  log('building chat-vitals (npm run build)…');
  try {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    log(existsSync(dist) ? 'build failed; measuring the existing dist/chat-vitals.mjs' : 'build failed and no dist/');
  }
}

const { buildEntry } = await import('./lib/build.mjs');
const { startReceiver } = await import('./lib/receiver.mjs');
const { launch, measureDelivery, measureTiming } = await import('./lib/browser.mjs');
const { median } = await import('./lib/stats.mjs');
const { table, updateReadme } = await import('./lib/report.mjs');

let entries = Object.keys(PEERS).filter((e) => e !== 'chat-vitals' || existsSync(dist));
if (option('--only')) entries = entries.filter((e) => option('--only').split(',').includes(e));

// 3. Sizes: every entry bundled by the same rollup + terser pipeline.
const figures = {};
const scripts = new Map();
for (const e of entries) {
  log(`bundling ${e}…`);
  const b = await buildEntry(join(here, 'entries', `${e}.mjs`), join(here, 'dist'));
  scripts.set(e, b.script);
  figures[e] = { ...b.size, lazyBrotli: b.lazy.brotli || null };
}

const receiver = await startReceiver(scripts);
const browser = await launch();
const chromiumVersion = browser.version();
const started = Date.now();
try {
  // 4. Timing: each repetition visits blank and every entry once, in a rotated order, so drift in
  // machine load lands on every entry alike; medians over repetitions.
  const pages = ['blank', ...entries];
  const samples = Object.fromEntries(pages.map((p) => [p, []]));
  for (let r = 0; r < reps; r++) {
    const order = pages.map((_, i) => pages[(i + r) % pages.length]);
    if (r % 2) order.reverse();
    for (const p of order) {
      log(`timing ${r + 1}/${reps} ${p}`);
      samples[p].push(await measureTiming(browser, receiver.origin, p, { idleMs, calls: 10_000 }));
    }
  }
  const med = (p, k) => median(samples[p].map((s) => s[k]));
  for (const e of entries)
    Object.assign(figures[e], {
      initMs: med(e, 'initMs'),
      callUs: med(e, 'callUs'),
      // Differences from blank under the noise floor read as 0 (indistinguishable), never negative.
      idleMs: Math.max(0, med(e, 'idleTaskMs') - med('blank', 'idleTaskMs')),
      heapBytes: Math.max(0, med(e, 'heapBytes') - med('blank', 'heapBytes')),
    });

  // 5. Delivery: counts at the receiver. One entry at a time: SDKs that send many requests lose more
  // when the machine is busy, and that must not depend on what else the bench runs alongside.
  // Only chat-vitals keeps events across visits, so only its close scenario includes the next visit (its own
  // row); the other rows count from load to close for every entry alike.
  const scenarios = {
    wait: { count: 1000, waitMs: 6000 },
    close: { count: 1000, waitMs: 0 },
    burst: { count: 10_000, waitMs: 6000 },
  };
  const delivered = Object.fromEntries(entries.map((e) => [e, { wait: [], close: [], burst: [] }]));
  for (let r = 0; r < deliveryReps; r++)
    for (const e of entries)
      for (const [name, s] of Object.entries(scenarios)) {
        log(`delivery ${r + 1}/${deliveryReps} ${e} ${name} (${s.count} timings)`);
        const d = await measureDelivery(browser, receiver, e, { ...s, nextVisit: e === 'chat-vitals' && name === 'close' });
        delivered[e][name].push({ ...d, final: d.onClose });
      }
  for (const e of entries) {
    const d = delivered[e];
    const m = (list, f) => median(list.map(f));
    Object.assign(figures[e], {
      reqs1k: m(d.wait, (x) => x.final.requests),
      bytes1k: m(d.wait, (x) => x.final.bytes),
      got1k: m(d.wait, (x) => x.final.delivered),
      closeOnClose: m(d.close, (x) => x.onClose.delivered),
      closeNext: m(d.close, (x) => x.afterNext?.delivered),
      burstGot: m(d.burst, (x) => x.final.delivered),
      burstBpe: m(d.burst, (x) => (x.final.delivered ? x.final.bytes / x.final.delivered : null)),
    });
  }
} finally {
  await browser.close();
  await receiver.close();
}

// 6. Report.
const version = (pkg) => JSON.parse(readFileSync(join(here, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const labels = Object.fromEntries(
  entries.map((e) => [e, e === 'chat-vitals' ? 'chat-vitals' : `${PEERS[e]} ${version(PACKAGES[e])}`]),
);
const machine = `${cpus()[0].model}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB; Node ${process.version}; Chromium ${chromiumVersion} (headless)`;
const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const tbl = table(entries, figures, labels, { idleMs });
const runInfo = `${reps} repetition${reps > 1 ? 's' : ''} (delivery: ${deliveryReps === 1 ? 'one run, not a median' : `${deliveryReps}`})${quick ? ', --quick' : ''}, ${Math.round((Date.now() - started) / 1000)} s in Chromium`;
const section = (method) =>
  `Measured ${when} on ${machine}; ${runInfo}. Medians; (×) is chat-vitals ÷ that peer. Rerun: \`npm run bench\`; method: ${method}.\n\n${tbl}`;

console.log(`\nchat-vitals vs peers — ${when}\n${machine}; ${runInfo}\n\n${tbl}\n`);
if (!flag('--no-write')) {
  await mkdir(join(root, 'docs'), { recursive: true });
  const method = readFileSync(join(here, 'METHOD.md'), 'utf8');
  await writeFile(
    join(root, 'docs', 'benchmarks.md'),
    `# Benchmarks: chat-vitals and the SDKs a chat widget would otherwise use\n\n<!-- Generated by \`npm run bench\` (bench/run.mjs); edit bench/METHOD.md, not this file. -->\n\n${section('below')}\n\n${method}`,
  );
  await writeFile(join(here, 'dist', 'results.json'), JSON.stringify({ when, machine, reps, quick, figures }, null, 2));
  log('wrote docs/benchmarks.md');
  if (await updateReadme(join(root, 'README.md'), section('[docs/benchmarks.md](docs/benchmarks.md)'))) log('updated the README bench section');
}
