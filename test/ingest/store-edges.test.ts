// Storage and deployment edges of the ingest: several writers on one SQLite file, the alert history cap
// against a manual-resolve mute, a database that cannot be opened, and the bin's port parsing.
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAggregates, foldEvent, summarize } from '../../src/health';
import { MAX_ALERTS, createAlertState, evaluateAlerts, resolveAlert, resolveSilent } from '../../src/health/alert-state';
import { DEFAULT_THRESHOLDS } from '../../src/health/thresholds';
import { createIngest, createMemoryStore, startIngestServer } from '../../src/ingest';
import { createSqliteStore } from '../../src/ingest/store/sqlite';
import type { ChatVitalsEvent } from '../../src/types';
import { persistence, render, times } from '../health/events';
import { buildIngestServer } from './build';
import { envelope, quiet, render as wireRender } from './helpers';

const T = Date.UTC(2025, 0, 1, 12, 0, 30);
const ev = (id: string, renderTime = 5) => ({ id, type: 'render', ts: T, messageId: 'm', renderTime }) as ChatVitalsEvent;
const batch = (events: ChatVitalsEvent[]) => ({ app: 'widget', release: '1.0.0', session: 's', page: '/', events });
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cv-edges-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('SQLite store', () => {
  test('two writers on one file (two processes, or two mounted handlers) keep buckets equal to the stored events', async () => {
    const file = join(tempDir(), 'vitals.db');
    const a = createSqliteStore({ file });
    const b = createSqliteStore({ file });
    try {
      await a.commit(batch([ev('1', 4)]), T, 16);
      await b.commit(batch([ev('2', 6)]), T, 16);
      await a.commit(batch([ev('3', 8)]), T, 16);
      expect(await a.countEvents()).toBe(3);
      for (const s of [a, b]) {
        const rows = await s.buckets({ fromMinute: 0, toMinute: 1e12 });
        expect(rows).toHaveLength(1);
        expect(rows[0]!.agg.events.n).toBe(3);
      }
      // Retention run by the other writer is seen too: a bucket it deleted is not resurrected from a stale cache.
      await b.cleanup(0, T + 3_600_000);
      await a.commit(batch([ev('4', 5)]), T, 16);
      expect((await a.buckets({ fromMinute: 0, toMinute: 1e12 }))[0]!.agg.events.n).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a database file that cannot be opened names the file in the error', async () => {
    const dbFile = join(tempDir(), 'is-a-directory.db');
    mkdirSync(dbFile);
    const ingest = createIngest({ dbFile, log: quiet, channels: [] });
    await expect(ingest.ready).rejects.toThrow(dbFile);
    await ingest.close();
  });
});

describe('retention', () => {
  test('a bucket retention shorter than the alert window and baseline is raised to them: metrics windows still answer', async () => {
    const warnings: string[] = [];
    const ingest = createIngest({ store: createMemoryStore(), bucketRetentionMs: 1000, log: { ...quiet, warn: (m: string) => warnings.push(m) }, channels: [] });
    try {
      const r = await ingest.GET(new Request('http://x/api/metrics?window=300000'));
      expect(r.status).toBe(200);
      // ...and says so, once, at start-up (--bucket-retention 1s would otherwise keep an hour without a word).
      expect(warnings).toEqual(['[chat-vitals] bucketRetentionMs 1000 is below alertWindowMs + baselineWindowMs (3900000 ms): raised to 3900000 ms']);
    } finally {
      await ingest.close();
    }
  });

  test('a raw-event retention shorter than the dedupe horizon is raised with a warning; retentions at or above their floors, or unset, are not', async () => {
    const warnings: string[] = [];
    const log = { ...quiet, warn: (m: string) => warnings.push(m) };
    const make = (o: Parameters<typeof createIngest>[0]) => createIngest({ store: createMemoryStore(), log, channels: [], ...o });
    await make({ eventRetentionMs: 3_600_000 }).close();
    expect(warnings).toEqual(['[chat-vitals] eventRetentionMs 3600000 is below maxEventAgeMs + maxFutureMs (86700000 ms): raised to 86700000 ms']);
    warnings.length = 0;
    await make({}).close();
    await make({ eventRetentionMs: 86_700_000, bucketRetentionMs: 3_900_000 }).close();
    // A floor raised past the default by other options is not the operator's retention being overridden.
    await make({ baselineWindowMs: 40 * 86_400_000 }).close();
    expect(warnings).toEqual([]);
  });
});

describe('timer intervals longer than Node can run', () => {
  // Node runs a timer whose delay exceeds 2^31 - 1 ms after 1 ms instead, i.e. over and over.
  test('cleanupIntervalMs and alertIntervalMs above 2^31 - 1 ms are lowered to it, with a warning, not run every millisecond', async () => {
    const warnings: string[] = [];
    const store = createMemoryStore();
    let cleanups = 0;
    let evaluations = 0;
    const counted = {
      ...store,
      cleanup: (...a: Parameters<typeof store.cleanup>) => (cleanups++, store.cleanup(...a)),
      saveAlertState: (st: Parameters<typeof store.saveAlertState>[0]) => (evaluations++, store.saveAlertState(st)),
    };
    const month = 30 * 86_400_000;
    const ingest = createIngest({ store: counted, cleanupIntervalMs: month, alertIntervalMs: month, rateLimit: false, log: { ...quiet, warn: (m: string) => warnings.push(m) }, channels: [] });
    try {
      const post = async () => {
        const res = await ingest.POST(new Request('http://x/ingest', { method: 'POST', body: JSON.stringify(envelope([wireRender(5)])) }));
        expect(res.status).toBe(202);
      };
      await post(); // the first evaluation after a commit runs at once
      await new Promise((r) => setTimeout(r, 20));
      await post(); // the next one waits a (clamped) month
      await new Promise((r) => setTimeout(r, 50));
      expect(cleanups).toBe(1); // the one at start-up
      expect(evaluations).toBe(1);
      expect(warnings).toEqual([
        '[chat-vitals] cleanupIntervalMs 2592000000 is above the longest timer delay (2147483647 ms): lowered to 2147483647 ms',
        '[chat-vitals] alertIntervalMs 2592000000 is above the longest timer delay (2147483647 ms): lowered to 2147483647 ms',
      ]);
    } finally {
      await ingest.close();
    }
  });
  test('bodyTimeoutMs and webhookTimeoutMs above 2^31 - 1 ms are lowered to it, with a warning: a slow body is not a 408 after 1 ms', async () => {
    const warnings: string[] = [];
    const month = 30 * 86_400_000;
    const ingest = createIngest({ store: createMemoryStore(), bodyTimeoutMs: month, webhookTimeoutMs: month, rateLimit: false, log: { ...quiet, warn: (m: string) => warnings.push(m) }, channels: [] });
    try {
      const bytes = new TextEncoder().encode(JSON.stringify(envelope([wireRender(5)])));
      const slowBody = new ReadableStream<Uint8Array>({
        async start(controller) {
          await new Promise((r) => setTimeout(r, 30));
          controller.enqueue(bytes);
          controller.close();
        },
      });
      const req = new Request('http://x/ingest', { method: 'POST', body: slowBody, duplex: 'half' } as RequestInit);
      expect((await ingest.POST(req)).status).toBe(202);
      expect(warnings).toEqual([
        '[chat-vitals] bodyTimeoutMs 2592000000 is above the longest timer delay (2147483647 ms): lowered to 2147483647 ms',
        '[chat-vitals] webhookTimeoutMs 2592000000 is above the longest timer delay (2147483647 ms): lowered to 2147483647 ms',
      ]);
    } finally {
      await ingest.close();
    }
  });
});

describe('alert history cap', () => {
  test('a manual-resolve mute survives the history cap while its alert keeps firing', () => {
    const summary = (events: ChatVitalsEvent[]) => {
      const agg = createAggregates();
      for (const e of events) foldEvent(agg, e, 16);
      return summarize(agg, DEFAULT_THRESHOLDS);
    };
    const slow = summary(times(30, () => render(40)));
    const loss = summary([...times(19, () => persistence()), persistence({ success: false, error: 'QuotaExceededError', lost: 1 })]);
    const fine = summary(times(20, () => persistence()));
    const evaluate = (s: ReturnType<typeof summary>, now: number, scope: string) =>
      evaluateAlerts(state, s, { thresholds: DEFAULT_THRESHOLDS, now, scope });

    const state = createAlertState();
    const [muted] = evaluate(slow, 0, 'muted-app').opened;
    resolveAlert(state, muted!.id, 1);
    // The muted app keeps firing while MAX_ALERTS other alerts open and resolve: the history cap trims old ones.
    for (let i = 1; i <= MAX_ALERTS + 10; i++) {
      expect(evaluate(slow, i * 10, 'muted-app').opened).toEqual([]);
      evaluate(loss, i * 10, 'other-app');
      evaluate(fine, i * 10 + 5, 'other-app');
      expect(resolveSilent(state, i * 10 + 5, 1_000)).toEqual([]);
    }
    expect(evaluate(slow, (MAX_ALERTS + 11) * 10, 'muted-app').opened).toEqual([]);
  });
});

describe('chat-vitals-ingest bin', () => {
  let bin: string;
  beforeAll(async () => {
    bin = await buildIngestServer();
  });
  afterAll(() => rmSync(dirname(bin), { recursive: true, force: true }));

  test('an empty --port is refused, not turned into a random port', () => {
    const r = spawnSync(process.execPath, [bin, '--port=', '--data-dir', tempDir()], { encoding: 'utf8', timeout: 5_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--port/);
  });

  test.each(['--origins=', '--origins=,', '--origins= , '])('%s (an empty origin list) is refused, not read as "any origin"', (flag) => {
    const r = spawnSync(process.execPath, [bin, flag, '--port', '0', '--data-dir', tempDir()], { encoding: 'utf8', timeout: 5_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--origins: empty list/);
  });

  test('a bad PORT is reported as PORT with its value', () => {
    const r = spawnSync(process.execPath, [bin, '--data-dir', tempDir()], { encoding: 'utf8', timeout: 5_000, env: { ...process.env, PORT: 'abc' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/PORT.*abc/);
  });

  test('an empty PORT means the default port 8787, not a random one', async () => {
    const child = spawn(process.execPath, [bin, '--data-dir', tempDir()], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '' } });
    // Either it listens on 8787 or 8787 is taken on this machine: both name the port.
    const out = await new Promise<string>((resolve) => {
      let s = '';
      const done = () => resolve(s);
      child.stdout!.on('data', (d) => (s += d) && /listening on/.test(s) && done());
      child.stderr!.on('data', (d) => (s += d));
      child.on('exit', done);
    });
    child.kill('SIGTERM');
    expect(out).toMatch(/:8787\b/);
  });
});

describe('shutdown', () => {
  test('close() (SIGTERM) ends a keep-alive connection that had a request in flight, instead of serving it forever', async () => {
    const server = await startIngestServer({ port: 0, dataDir: tempDir(), rateLimit: false, log: quiet, channels: [] });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: (req: http.ClientRequest) => void) =>
      new Promise<{ status: number | string; connection?: string }>((resolve) => {
        const body_ = JSON.stringify(envelope([wireRender(5)]));
        const req = http.request(`${server.url}${path}`, { agent, method, headers: body ? { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body_) } : {} }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        });
        req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: e.code ?? 'error' }));
        if (body) {
          req.write(body_.slice(0, 5));
          setTimeout(() => req.end(body_.slice(5)), 200);
        } else req.end();
      });
    expect((await send('GET', '/healthz')).status).toBe(200);
    const inFlight = send('POST', '/ingest', () => {});
    await new Promise((r) => setTimeout(r, 50));
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    // The request in flight is answered (and committed), and told the connection closes.
    expect(await inFlight).toEqual({ status: 202, connection: 'close' });
    // A client (or proxy) that keeps using its connection does not hold the shutdown open.
    for (let i = 0; i < 20 && !closed; i++) {
      await send('GET', '/healthz');
      await new Promise((r) => setTimeout(r, 100));
    }
    agent.destroy();
    expect(closed).toBe(true);
    await closing;
  });
});
