#!/usr/bin/env node
// `npm test`: build, unit + integration (vitest), e2e in real Chromium (Playwright), size budgets.
// Runs every stage even when one fails, then prints one closing line "N passed, M failed" over all
// tests (stages that are not test runners count as one test each) and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';

mkdirSync('test-results', { recursive: true });
let passed = 0;
let failed = 0;
const failedStages = [];

function run(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) failedStages.push(name);
  return r.status === 0;
}

function countJson(file, pick) {
  if (!existsSync(file)) return false;
  try {
    const [p, f] = pick(JSON.parse(readFileSync(file, 'utf8')));
    passed += p;
    failed += f;
    return true;
  } catch {
    return false;
  }
}

const built = run('build', 'npx', ['rollup', '-c', '--silent']);
if (built) {
  const unitOk = run('unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json']);
  if (!countJson('test-results/unit.json', (j) => [j.numPassedTests, j.numFailedTests])) unitOk ? passed++ : failed++;

  const e2eOk = run('e2e', 'node', ['e2e/run.mjs', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: resolve('test-results/e2e.json') });
  if (!countJson('test-results/e2e.json', (j) => [j.stats.expected + j.stats.flaky, j.stats.unexpected])) e2eOk ? passed++ : failed++;

  run('size', 'node', ['scripts/size.mjs', '--check']) ? passed++ : failed++;
} else failed++;

if (failedStages.length) console.log(`\nfailed stages: ${failedStages.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed || failedStages.length ? 1 : 0);
