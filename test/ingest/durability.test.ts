// The built bin in a child process: a 202 means committed, so SIGKILL right after it loses nothing; SIGTERM
// closes cleanly; --help works; no flags needed beyond where to keep data.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildIngestServer } from './build';
import { countStored, envelope, getJson, persistence, post, render } from './helpers';

let bin: string;
const dataDir = mkdtempSync(join(tmpdir(), 'cv-durable-'));
beforeAll(async () => {
  bin = await buildIngestServer();
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(dirname(bin), { recursive: true, force: true });
});

function start(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, '--port', '0', '--data-dir', dataDir, '--rate', 'off'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));

test('events acknowledged with 202, and alert state, survive SIGKILL right after', async () => {
  const a = await start();
  const batches = Array.from({ length: 5 }, () => envelope(Array.from({ length: 50 }, () => render(5)), { app: 'durable' }));
  for (const b of batches) expect((await post(a.url, b)).status).toBe(202);
  await post(a.url, envelope([persistence('save', false, 2, { lost: 1, error: 'QuotaExceededError' })], { app: 'durable' }));
  const before = (await getJson(a.url, '/api/alerts?status=open')).json.alerts.find((x: { ruleId: string }) => x.ruleId === 'data-loss');
  expect(before).toBeDefined();
  const gone = exited(a.child);
  a.child.kill('SIGKILL');
  expect((await gone).signal).toBe('SIGKILL');

  expect(await countStored(dataDir, "app = 'durable' AND type = 'render'")).toBe(250);
  const b = await start();
  try {
    const m = await getJson(b.url, '/api/metrics?app=durable');
    expect(m.json.performance.renders.total).toBe(250);
    // Alert state is persisted: the same alert (same id) is still open after the restart.
    const after = (await getJson(b.url, '/api/alerts?status=open')).json.alerts.find((x: { ruleId: string }) => x.ruleId === 'data-loss');
    expect(after).toMatchObject({ id: before.id, firstSeen: before.firstSeen });
    // A client that never saw the 202s retries: still counted once.
    expect((await post(b.url, batches[0])).json).toMatchObject({ accepted: 0, duplicates: 50 });
  } finally {
    const gone2 = exited(b.child);
    b.child.kill('SIGTERM');
    expect(await gone2).toEqual({ code: 0, signal: null });
  }
});

test('--help prints usage and exits 0; a bad flag exits 2', () => {
  const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/Usage: chat-vitals-ingest/);
  const bad = spawnSync(process.execPath, [bin, '--port', 'eighty'], { encoding: 'utf8' });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/--port/);
});
