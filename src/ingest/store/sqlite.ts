// The default store: one SQLite file (better-sqlite3, synchronous API, so a commit is done when the call
// returns). Durability choice, see docs/ingest.md: WAL with synchronous=NORMAL writes every commit to the
// WAL before returning, so a committed batch survives the process being killed (SIGKILL, OOM, crash); only
// an OS crash or power loss can lose the last commits before a checkpoint. `synchronous: 'FULL'` fsyncs each
// commit for power-loss durability at a throughput cost.
// Concurrent commits are grouped into one transaction (see commitGroup). Raw-event retention counts from
// receipt (the `received` column), which rowids follow.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createAggregates, foldEvent, type Aggregates, type AlertState } from '../../health';
import type { ChatVitalsEvent } from '../../types';
import { minuteOf, type Batch, type BucketQuery, type CommitResult, type IngestStore, type Scope } from './types';

export interface SqliteStoreOptions {
  /** File path; ':memory:' for a throwaway database. */
  file: string;
  synchronous?: 'NORMAL' | 'FULL';
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY, ts INTEGER NOT NULL, received INTEGER NOT NULL, app TEXT NOT NULL, release TEXT NOT NULL,
  type TEXT NOT NULL, session TEXT NOT NULL, page TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS buckets (
  minute INTEGER NOT NULL, app TEXT NOT NULL, release TEXT NOT NULL, agg TEXT NOT NULL,
  PRIMARY KEY (minute, app, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Rows deleted per retention statement, so a big cleanup never holds the write lock for long. */
const DELETE_CHUNK = 5000;
/** Rows per INSERT statement (9 parameters each; SQLite allows 32766). */
const INSERT_CHUNK = 100;
/** Parsed buckets kept in memory (a minute × scope each; recent minutes are the ones written). */
const HOT_BUCKETS = 512;

interface Pending {
  batch: Batch;
  receivedAt: number;
  slowRenderMs: number;
  resolve(r: CommitResult): void;
  reject(e: unknown): void;
}

export function createSqliteStore(opts: SqliteStoreOptions): IngestStore {
  let db: Database.Database;
  try {
    if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true });
    db = new Database(opts.file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
  } catch (e) {
    // SQLite's own messages ("unable to open database file", "file is not a database") do not say which file.
    throw new Error(`cannot open SQLite database ${opts.file}: ${(e as Error)?.message ?? e}`, { cause: e });
  }

  // One multi-row INSERT per chunk of a batch: OR IGNORE skips known ids and RETURNING names the new ones,
  // so dedupe costs no extra query. Statements are cached per row count.
  const inserts = new Map<number, Database.Statement<unknown[], { id: string }>>();
  const insertRows = (n: number) => {
    let st = inserts.get(n);
    if (!st) {
      const rows = new Array<string>(n).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
      st = db.prepare(`INSERT OR IGNORE INTO events (id, ts, received, app, release, type, session, page, data) VALUES ${rows} RETURNING id`);
      inserts.set(n, st);
    }
    return st;
  };
  const getBucket = db.prepare<[number, string, string], { agg: string }>(
    'SELECT agg FROM buckets WHERE minute = ? AND app = ? AND release = ?',
  );
  const putBucket = db.prepare('INSERT OR REPLACE INTO buckets (minute, app, release, agg) VALUES (?, ?, ?, ?)');
  const getState = db.prepare<[string], { value: string }>('SELECT value FROM state WHERE key = ?');
  const putState = db.prepare('INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)');
  // No index on time (each one costs every insert a b-tree write): rowids grow with receipt, so retention
  // binary-searches the first rowid received at or after the cutoff and deletes below it in chunks.
  const rowidBounds = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT min(rowid) AS lo, max(rowid) AS hi FROM events');
  const receivedAt = db.prepare<[number], { rowid: number; received: number }>(
    'SELECT rowid, received FROM events WHERE rowid >= ? ORDER BY rowid LIMIT 1',
  );
  const deleteBelow = db.prepare('DELETE FROM events WHERE rowid >= ? AND rowid < ?');
  const firstRowidFrom = (cutoff: number): number | undefined => {
    const { lo, hi } = rowidBounds.get()!;
    if (lo === null || hi === null) return undefined;
    let a = lo;
    let b = hi + 1; // invariant: rows before a are older than cutoff; b is past the answer
    while (a < b) {
      const mid = a + Math.floor((b - a) / 2);
      const row = receivedAt.get(mid);
      if (!row || row.received >= cutoff) b = mid;
      else a = row.rowid + 1;
    }
    return a;
  };
  const deleteBuckets = db.prepare('DELETE FROM buckets WHERE minute < ?');

  // Parsed aggregates of recently written buckets, so a commit folds into memory and only serialises.
  // Valid because this process is the database's only writer (see docs/ingest.md); dropped on any failed commit.
  const hot = new Map<string, Aggregates>();
  // Another connection's commit (a second process or mounted handler on this file, or its retention) makes the
  // cache stale; data_version changes only on such commits, so the cache is dropped then instead of overwriting them.
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get();
  const bucketFor = (key: string, minute: number, app: string, release: string): Aggregates => {
    let agg = hot.get(key);
    if (agg) return agg;
    const row = getBucket.get(minute, app, release);
    agg = row ? (JSON.parse(row.agg) as Aggregates) : createAggregates();
    if (hot.size >= HOT_BUCKETS) hot.delete(hot.keys().next().value!);
    hot.set(key, agg);
    return agg;
  };

  // Group commit: commit() queues its batch and the queue is committed on the next turn of the event loop
  // (setImmediate), so the requests that arrived together share one transaction, one pass over the touched
  // buckets and one WAL write. Each promise resolves only after that COMMIT returns, so a 202 still means
  // committed. Ids repeated across the group count as duplicates of the later batches, as if sent one by one.
  const commitGroup = db.transaction((group: Pending[]): CommitResult[] => {
    const version = dataVersion.get();
    if (version !== seenVersion) hot.clear(), (seenVersion = version);
    const results = group.map((): CommitResult => ({ accepted: 0, duplicates: 0, fresh: [] }));
    const owner = new Map<string, number>();
    const events = new Map<string, ChatVitalsEvent>();
    const args: unknown[] = [];
    let rows = 0;
    const insert = () => {
      for (const { id } of insertRows(rows).all(...args)) results[owner.get(id)!]!.fresh.push(events.get(id)!);
      args.length = 0;
      rows = 0;
    };
    group.forEach(({ batch, receivedAt }, i) => {
      const { app, release, session, page } = batch;
      for (const ev of batch.events) {
        if (owner.has(ev.id)) continue;
        owner.set(ev.id, i);
        events.set(ev.id, ev);
        args.push(ev.id, ev.ts, receivedAt, app, release, ev.type, session, page, JSON.stringify(ev));
        if (++rows === INSERT_CHUNK) insert();
      }
    });
    if (rows) insert();
    // Fold the new events into their buckets in memory, then write each touched bucket once.
    const touched = new Map<string, { minute: number; app: string; release: string; agg: Aggregates }>();
    group.forEach(({ batch: { app, release }, slowRenderMs }, i) => {
      const r = results[i]!;
      r.accepted = r.fresh.length;
      r.duplicates = group[i]!.batch.events.length - r.accepted;
      for (const ev of r.fresh) {
        const minute = minuteOf(ev.ts);
        // app and release are the client's: with a bare "|" join, app "a" release "b|c" and app "a|b" release "c"
        // shared one key (one cached aggregate, written under both). The app's length makes the key unambiguous.
        const key = `${minute}|${app.length}|${app}|${release}`;
        let t = touched.get(key);
        if (!t) touched.set(key, (t = { minute, app, release, agg: bucketFor(key, minute, app, release) }));
        foldEvent(t.agg, ev, slowRenderMs);
      }
    });
    for (const t of touched.values()) putBucket.run(t.minute, t.app, t.release, JSON.stringify(t.agg));
    return results;
  });

  let queue: Pending[] = [];
  const runGroup = (group: Pending[]): void => {
    try {
      const results = commitGroup.immediate(group);
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (e) {
      hot.clear(); // rolled back: cached aggregates may hold folds that were never committed
      // One batch's failure must not fail the others: retry each on its own.
      if (group.length === 1) group[0]!.reject(e);
      else for (const p of group) runGroup([p]);
    }
  };
  const flush = () => {
    const group = queue;
    queue = [];
    if (group.length) runGroup(group);
  };
  const commit = (batch: Batch, receivedAt: number, slowRenderMs: number): CommitResult | Promise<CommitResult> => {
    if (!batch.events.length) return { accepted: 0, duplicates: 0, fresh: [] };
    return new Promise((resolve, reject) => {
      if (queue.push({ batch, receivedAt, slowRenderMs, resolve, reject }) === 1) setImmediate(flush);
    });
  };

  return {
    commit,
    buckets(q: BucketQuery) {
      flush();
      let sql = 'SELECT minute, app, release, agg FROM buckets WHERE minute >= ? AND minute <= ?';
      const args: Array<string | number> = [q.fromMinute, q.toMinute];
      if (q.app !== undefined) (sql += ' AND app = ?'), args.push(q.app);
      if (q.release !== undefined) (sql += ' AND release = ?'), args.push(q.release);
      const rows = db.prepare<typeof args, Scope & { minute: number; agg: string }>(sql).all(...args);
      return rows.map((r) => ({ minute: r.minute, app: r.app, release: r.release, agg: JSON.parse(r.agg) as Aggregates }));
    },
    scopes: () => db.prepare<[], Scope>('SELECT DISTINCT app, release FROM buckets').all(),
    countEvents(q = {}) {
      flush();
      let sql = 'SELECT count(*) AS n FROM events WHERE 1';
      const args: string[] = [];
      if (q.app) (sql += ' AND app = ?'), args.push(q.app);
      if (q.type) (sql += ' AND type = ?'), args.push(q.type);
      return db.prepare<string[], { n: number }>(sql).get(...args)!.n;
    },
    loadAlertState() {
      const row = getState.get('alerts');
      return row ? (JSON.parse(row.value) as AlertState) : undefined;
    },
    saveAlertState(state: AlertState) {
      putState.run('alerts', JSON.stringify(state));
    },
    cleanup(eventsBefore: number, bucketsBefore: number) {
      flush();
      let events = 0;
      const end = firstRowidFrom(eventsBefore);
      for (let from = rowidBounds.get()!.lo ?? 0; end !== undefined && from < end; from += DELETE_CHUNK)
        events += deleteBelow.run(from, Math.min(from + DELETE_CHUNK, end)).changes;
      const buckets = deleteBuckets.run(minuteOf(bucketsBefore)).changes;
      if (buckets) hot.clear();
      return { events, buckets };
    },
    close() {
      flush(); // what was queued is committed (and answered) before the file closes
      if (db.open) db.close();
    },
  };
}
