// The SQLite store commits concurrent requests in one transaction (group commit, src/ingest/store/sqlite.ts).
// What that must not change: each caller gets its own counts, only after COMMIT; an id sent twice in one group
// is stored and folded once; one failing batch fails alone, leaving neither rows nor aggregates behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createSqliteStore } from '../../src/ingest/store/sqlite';
import type { IngestStore } from '../../src/ingest/store/types';
import type { RenderEvent } from '../../src/types';

const MINUTE = 60_000;
const T = 1000 * MINUTE;
let dir: string;
let store: IngestStore;
let reader: Database.Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cv-group-'));
  store = createSqliteStore({ file: join(dir, 'db.sqlite') });
  reader = new Database(join(dir, 'db.sqlite'), { readonly: true });
});
afterEach(async () => {
  reader.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ev = (id: string, renderTime = 5): RenderEvent => ({ id, type: 'render', ts: T + 1000, messageId: 'm', renderTime });
const batch = (release: string, events: RenderEvent[]) => ({ app: 'a', release, session: 's', page: '/', events });
const visible = () => (reader.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
const folded = () => (reader.prepare('SELECT agg FROM buckets').pluck().all() as string[]).reduce((n, a) => n + JSON.parse(a).events.n, 0);

test('commits issued together land in one transaction; each caller gets its own counts, after COMMIT', async () => {
  const pending = [
    store.commit(batch('1', [ev('a1'), ev('a2'), ev('shared')]), T, 16),
    store.commit(batch('2', [ev('b1'), ev('shared')]), T, 16),
    store.commit(batch('1', [ev('c1'), ev('a1')]), T, 16),
  ];
  // Nothing is committed (so nothing may be acknowledged) until the group runs.
  expect(visible()).toBe(0);
  const seenAtResolve: number[] = [];
  const results = await Promise.all(pending.map((p) => Promise.resolve(p).then((r) => (seenAtResolve.push(visible()), r))));
  expect(results.map((r) => [r.accepted, r.duplicates, r.fresh.map((e) => e.id).sort()])).toEqual([
    [3, 0, ['a1', 'a2', 'shared']],
    [1, 1, ['b1']],
    [1, 1, ['c1']],
  ]);
  // Every caller resolved after the one COMMIT that holds all of them.
  expect(seenAtResolve).toEqual([5, 5, 5]);
  expect(folded()).toBe(5);
  const releases = reader.prepare("SELECT release, agg FROM buckets ORDER BY release").all() as Array<{ release: string; agg: string }>;
  expect(releases.map((r) => [r.release, JSON.parse(r.agg).events.n])).toEqual([
    ['1', 3 + 1],
    ['2', 1],
  ]);
  // A later group sees the earlier one: a retry counts as duplicates only.
  expect(await store.commit(batch('1', [ev('a1'), ev('c1')]), T, 16)).toMatchObject({ accepted: 0, duplicates: 2 });
});

test('one failing batch fails alone: the others in its group are committed, it leaves no rows and no folds', async () => {
  // A value JSON cannot serialise makes that batch's INSERT throw inside the group's transaction.
  const poison = { ...ev('bad1'), renderTime: 7n } as unknown as RenderEvent;
  const good1 = store.commit(batch('1', [ev('g1'), ev('g2')]), T, 16);
  const bad = store.commit(batch('1', [ev('bad0'), poison]), T, 16);
  const good2 = store.commit(batch('1', [ev('g3')]), T, 16);
  await expect(bad).rejects.toThrow(/BigInt/);
  expect(await good1).toMatchObject({ accepted: 2 });
  expect(await good2).toMatchObject({ accepted: 1 });
  expect(reader.prepare('SELECT id FROM events ORDER BY id').pluck().all()).toEqual(['g1', 'g2', 'g3']);
  // The rolled-back attempt's folds did not survive in the cached aggregates either.
  expect(folded()).toBe(3);
  expect(await store.commit(batch('1', [ev('g4')]), T, 16)).toMatchObject({ accepted: 1 });
  expect(folded()).toBe(4);
});

test('close() commits what is queued before the file closes', async () => {
  const p = store.commit(batch('1', [ev('q1'), ev('q2')]), T, 16);
  await store.close();
  expect(await p).toMatchObject({ accepted: 2 });
  expect(visible()).toBe(2);
});
