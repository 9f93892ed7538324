// @vitest-environment happy-dom
// Audit: event loss / double counting found by reading the pipeline, each proved by one test.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { entries } from 'idb-keyval';
import type { ChatVitalsEvent } from '../../src/types';
import type { Pipeline } from '../../src/pipeline';
import { clock, fakeIngest, options, render, shutAll, start } from './fakes';

afterEach(async () => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await shutAll();
  localStorage.clear();
});

const storedIds = async (dbName: string) => {
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
    db.close();
  }
};

/** What the core's _onDropped does: push a `dropped` event back into the pipeline. */
const likeCore = (c: { t: number }, get: () => Pipeline) => (count: number, reason: string) =>
  get().push({ id: 'drop-' + reason + '-' + count, type: 'dropped', ts: c.t, count, reason } as ChatVitalsEvent);

/** indexedDB.open() never settles (Safari 14, or a closing page whose IndexedDB never commits). */
const hangIndexedDB = () => vi.stubGlobal('indexedDB', { open: () => ({}) });

describe('audit', () => {
  it('a spill record with a key but no event array (another version, corrupt) does not make every later flush lose its events', async () => {
    const ingest = fakeIngest();
    const o = options({ _fetch: ingest.fetch });
    localStorage[o._dbName + 'b:~x'] = '[{"k":"b:1","e":null}]';
    const p = start(o);
    await p.flush();
    const ev = render(Date.now());
    p.push(ev);
    await p.flush();
    expect(ingest.ids.has(ev.id)).toBe(true);
  });

  it('drop counts handed over by the final flush of shutdown() reach the queue (the core pushes them back into the pipeline)', async () => {
    const c = clock();
    let p: Pipeline;
    const o = options({ _now: c.now, _fetch: fakeIngest(503).fetch });
    o._onDropped = likeCore(c, () => p);
    p = start(o);
    p.push(render(c.t - 86_000_000));
    p.push(render(c.t));
    await p.flush(); // 503: delivery failing, drop counts now wait in memory
    c.t += 500_000; // the first event is now past 24 h
    await p.flush();
    expect(p.stats().dropped).toBe(1);
    await p.shutdown(); // the last flush hands the count over: it must be stored for the next visit
    expect(await storedIds(o._dbName)).toContain('drop-expired-1');
  });
});
