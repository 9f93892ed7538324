// Test doubles for policy tests: an injected clock and a scripted ingest behind a fake fetch.
// (Browser behaviour — real IndexedDB, sendBeacon, keepalive — is proved in e2e/pipeline*.spec.ts.)
import { gunzipSync } from 'node:zlib';
import { entries } from 'idb-keyval';
import type { ChatVitalsEvent, Envelope } from '../../src/types';
import { createPipeline, type Pipeline, type PipelineOptions } from '../../src/pipeline';

export interface Call {
  url: string;
  init: RequestInit;
  envelope: Envelope;
  bytes: number;
}

/** A fake ingest: answers from `script` in order (then `otherwise`); a status of 0 is a network error. */
export function fakeIngest(otherwise = 202) {
  const script: Array<number | { status: number; retryAfter?: string }> = [];
  const calls: Call[] = [];
  const ids = new Set<string>();
  const fetch = (async (url: string, init: RequestInit) => {
    const raw = init.body as string | ArrayBuffer;
    const text = typeof raw == 'string' ? raw : gunzipSync(Buffer.from(raw)).toString();
    const envelope = JSON.parse(text) as Envelope;
    calls.push({ url, init, envelope, bytes: typeof raw == 'string' ? Buffer.byteLength(raw) : raw.byteLength });
    const next = script.length ? script.shift()! : otherwise;
    const { status, retryAfter } = typeof next == 'number' ? { status: next, retryAfter: undefined } : next;
    if (!status) throw new TypeError('Failed to fetch');
    if (status >= 200 && status < 300) for (const e of envelope.events) ids.add(e.id);
    return new Response(null, { status, headers: retryAfter ? { 'retry-after': retryAfter } : {} });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, script, calls, ids };
}

export function clock(start = 1_700_000_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

let db = 0;
export function options(over: Partial<PipelineOptions> = {}): PipelineOptions & { dropLog: Array<[number, string]> } {
  const dropLog: Array<[number, string]> = [];
  return {
    endpoint: 'https://ingest.test/ingest',
    _header: () => ({ v: 1, sdk: 'chat-vitals@test', app: 'widget', session: 's1', page: '/chat' }),
    maxQueueEvents: 5000,
    maxQueueBytes: 1_000_000,
    flushIntervalMs: 5000,
    maxEventAgeMs: 86_400_000,
    _dbName: 'cv-test-' + ++db,
    _now: Date.now,
    _random: () => 0.5,
    _onDropped: (n, reason) => dropLog.push([n, reason]),
    dropLog,
    ...over,
  };
}

let n = 0;
export const render = (ts: number, extra: Partial<ChatVitalsEvent> = {}): ChatVitalsEvent =>
  ({ id: 'e' + ++n, type: 'render', ts, messageId: 'm' + n, renderTime: 12.5, contentLength: 140, ...extra }) as ChatVitalsEvent;

const open: Pipeline[] = [];
/** A pipeline that `shutAll()` (each test file's afterEach) shuts down, so no timer or listener outlives its test. */
export function start(o: PipelineOptions): Pipeline {
  const p = createPipeline(o);
  open.push(p);
  return p;
}
export const shutAll = () => Promise.all(open.splice(0).map((p) => p.shutdown()));

/** What IndexedDB holds for a pipeline's database, read independently of the pipeline. */
export const storedIds = async (dbName: string) => {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(dbName);
    req.onupgradeneeded = () => req.result.createObjectStore('queue');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  try {
    const all = await entries(async (mode, fn) => fn(db.transaction('queue', mode).objectStore('queue')));
    return all.filter(([k]) => String(k).startsWith('b:')).flatMap(([, b]) => (b as { e: { id: string }[] }).e.map((e) => e.id));
  } finally {
    db.close(); // our own connection must not block a deleteDatabase
  }
};
