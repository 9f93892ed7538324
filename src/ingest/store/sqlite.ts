// The default store: one SQLite file (better-sqlite3, synchronous API, so a commit is done when the call
// returns). Durability choice, see docs/ingest.md: WAL with synchronous=NORMAL writes every commit to the
// WAL before returning, so a committed batch survives the process being killed (SIGKILL, OOM, crash); only
// an OS crash or power loss can lose the last commits before a checkpoint. `synchronous: 'FULL'` fsyncs each
// commit for power-loss durability at a throughput cost.
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
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE TABLE IF NOT EXISTS buckets (
  minute INTEGER NOT NULL, app TEXT NOT NULL, release TEXT NOT NULL, agg TEXT NOT NULL,
  PRIMARY KEY (minute, app, release)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Rows deleted per retention statement, so a big cleanup never holds the write lock for long. */
const DELETE_CHUNK = 5000;

export function createSqliteStore(opts: SqliteStoreOptions): IngestStore {
  if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true });
  const db = new Database(opts.file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const insertEvent = db.prepare(
    'INSERT OR IGNORE INTO events (id, ts, received, app, release, type, session, page, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const getBucket = db.prepare<[number, string, string], { agg: string }>(
    'SELECT agg FROM buckets WHERE minute = ? AND app = ? AND release = ?',
  );
  const putBucket = db.prepare('INSERT OR REPLACE INTO buckets (minute, app, release, agg) VALUES (?, ?, ?, ?)');
  const getState = db.prepare<[string], { value: string }>('SELECT value FROM state WHERE key = ?');
  const putState = db.prepare('INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)');
  const deleteEvents = db.prepare(`DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE ts < ? LIMIT ${DELETE_CHUNK})`);
  const deleteBuckets = db.prepare('DELETE FROM buckets WHERE minute < ?');

  const commit = db.transaction((batch: Batch, receivedAt: number, slowRenderMs: number): CommitResult => {
    const fresh: ChatVitalsEvent[] = [];
    const touched = new Map<number, Aggregates>();
    for (const ev of batch.events) {
      const { id, type, ts } = ev;
      const r = insertEvent.run(id, ts, receivedAt, batch.app, batch.release, type, batch.session, batch.page, JSON.stringify(ev));
      if (!r.changes) continue;
      fresh.push(ev);
      const minute = minuteOf(ts);
      let agg = touched.get(minute);
      if (!agg) {
        const row = getBucket.get(minute, batch.app, batch.release);
        touched.set(minute, (agg = row ? (JSON.parse(row.agg) as Aggregates) : createAggregates()));
      }
      foldEvent(agg, ev, slowRenderMs);
    }
    for (const [minute, agg] of touched) putBucket.run(minute, batch.app, batch.release, JSON.stringify(agg));
    return { accepted: fresh.length, duplicates: batch.events.length - fresh.length, fresh };
  });

  return {
    commit: (batch, receivedAt, slowRenderMs) => commit.immediate(batch, receivedAt, slowRenderMs),
    buckets(q: BucketQuery) {
      let sql = 'SELECT minute, app, release, agg FROM buckets WHERE minute >= ? AND minute <= ?';
      const args: Array<string | number> = [q.fromMinute, q.toMinute];
      if (q.app !== undefined) (sql += ' AND app = ?'), args.push(q.app);
      if (q.release !== undefined) (sql += ' AND release = ?'), args.push(q.release);
      const rows = db.prepare<typeof args, Scope & { minute: number; agg: string }>(sql).all(...args);
      return rows.map((r) => ({ minute: r.minute, app: r.app, release: r.release, agg: JSON.parse(r.agg) as Aggregates }));
    },
    scopes: () => db.prepare<[], Scope>('SELECT DISTINCT app, release FROM buckets').all(),
    countEvents(q = {}) {
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
      let events = 0;
      for (let n; (n = deleteEvents.run(eventsBefore).changes); ) events += n;
      const buckets = deleteBuckets.run(minuteOf(bucketsBefore)).changes;
      return { events, buckets };
    },
    close() {
      if (db.open) db.close();
    },
  };
}
