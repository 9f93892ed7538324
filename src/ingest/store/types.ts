// What the ingest needs from storage. SQLite is the default (./sqlite); ./memory is for tests and runtimes
// without a filesystem. Methods may be sync or async so a networked store fits the same shape.
import type { Aggregates, AlertState } from '../../health';
import type { ChatVitalsEvent } from '../../types';

type MaybePromise<T> = T | Promise<T>;

export interface Scope {
  app: string;
  release: string;
}

/** One request's validated events, all from one (app, release). */
export interface Batch extends Scope {
  session: string;
  page: string;
  events: ChatVitalsEvent[];
}

export interface CommitResult {
  accepted: number;
  duplicates: number;
  /** The events that were new (what the caller counts into its own live metrics). */
  fresh: ChatVitalsEvent[];
}

export interface BucketQuery {
  /** Epoch minute (ms / 60000), inclusive. */
  fromMinute: number;
  toMinute: number;
  app?: string;
  release?: string;
}

export interface IngestStore {
  /**
   * In ONE transaction: insert the events whose id is new, and fold exactly those into the per-minute
   * aggregate bucket of (minute of ts, app, release). Resolves only once that transaction is committed.
   */
  commit(batch: Batch, receivedAt: number, slowRenderMs: number): MaybePromise<CommitResult>;
  /** Per-minute buckets in range, each with its scope. */
  buckets(q: BucketQuery): MaybePromise<Array<Scope & { minute: number; agg: Aggregates }>>;
  /** Every (app, release) pair that has a bucket (seeds the cardinality cap after a restart). */
  scopes(): MaybePromise<Scope[]>;
  countEvents(q?: { app?: string; type?: string }): MaybePromise<number>;
  loadAlertState(): MaybePromise<AlertState | undefined>;
  saveAlertState(state: AlertState): MaybePromise<void>;
  /** Deletes raw events received before `eventsBefore` and buckets of minutes before `bucketsBefore` (epoch ms). */
  cleanup(eventsBefore: number, bucketsBefore: number): MaybePromise<{ events: number; buckets: number }>;
  close(): MaybePromise<void>;
}

export const minuteOf = (ts: number): number => Math.floor(ts / 60_000);
