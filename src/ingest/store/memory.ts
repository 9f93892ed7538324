// An in-memory store with the SQLite store's semantics (dedupe by id, per-minute buckets), for tests and
// runtimes without a filesystem (e.g. a Worker). Nothing survives a restart.
import { createAggregates, foldEvent, type Aggregates, type AlertState } from '../../health';
import type { ChatVitalsEvent } from '../../types';
import { minuteOf, type Batch, type BucketQuery, type CommitResult, type IngestStore, type Scope } from './types';

interface Row extends Scope {
  received: number;
  type: string;
}

export function createMemoryStore(): IngestStore {
  const events = new Map<string, Row>();
  const buckets = new Map<string, Scope & { minute: number; agg: Aggregates }>();
  let alerts: AlertState | undefined;
  return {
    commit(batch: Batch, receivedAt: number, slowRenderMs: number): CommitResult {
      const fresh: ChatVitalsEvent[] = [];
      for (const ev of batch.events) {
        if (events.has(ev.id)) continue;
        events.set(ev.id, { app: batch.app, release: batch.release, received: receivedAt, type: ev.type });
        fresh.push(ev);
        const minute = minuteOf(ev.ts);
        const key = JSON.stringify([minute, batch.app, batch.release]);
        let b = buckets.get(key);
        if (!b) buckets.set(key, (b = { minute, app: batch.app, release: batch.release, agg: createAggregates() }));
        foldEvent(b.agg, ev, slowRenderMs);
      }
      return { accepted: fresh.length, duplicates: batch.events.length - fresh.length, fresh };
    },
    buckets(q: BucketQuery) {
      return [...buckets.values()]
        .filter(
          (b) =>
            b.minute >= q.fromMinute &&
            b.minute <= q.toMinute &&
            (q.app === undefined || b.app === q.app) &&
            (q.release === undefined || b.release === q.release),
        )
        .map((b) => ({ ...b, agg: structuredClone(b.agg) }));
    },
    scopes() {
      const seen = new Map<string, Scope>();
      for (const b of buckets.values()) seen.set(JSON.stringify([b.app, b.release]), { app: b.app, release: b.release });
      return [...seen.values()];
    },
    countEvents(q = {}) {
      let n = 0;
      for (const r of events.values()) if ((!q.app || r.app === q.app) && (!q.type || r.type === q.type)) n++;
      return n;
    },
    loadAlertState: () => (alerts ? structuredClone(alerts) : undefined),
    saveAlertState(state: AlertState) {
      alerts = structuredClone(state);
    },
    cleanup(eventsBefore: number, bucketsBefore: number) {
      let e = 0;
      let b = 0;
      for (const [id, r] of events) if (r.received < eventsBefore) events.delete(id), e++;
      for (const [k, r] of buckets) if (r.minute < minuteOf(bucketsBefore)) buckets.delete(k), b++;
      return { events: e, buckets: b };
    },
    close() {},
  };
}
