// The contract between the core (which stamps and filters events) and the delivery pipeline.
import type { ChatVitalsEvent, Envelope } from '../types';

/** Everything in a request body except the events and the send time. */
export type Header = Omit<Envelope, 'events' | 'sentAt'>;

export interface PipelineOptions {
  /** Absolute or page-relative URL of POST /ingest. */
  endpoint: string;
  _header(): Header;
  /** While delivery is failing, at most this many queued events per type after each flush; the oldest go first. */
  maxQueueEvents: number;
  /** While delivery is failing, at most this many queued bytes (serialised); the oldest batches go first. */
  maxQueueBytes: number;
  /** Flush period; the timer runs only while something is queued. */
  flushIntervalMs: number;
  /** Queued events older than this are dropped as 'expired'. */
  maxEventAgeMs: number;
  /** gzip (./gzip.ts) for regular flushes (`?enc=gzip`); the exit beacon stays plain JSON. */
  compress?: (body: string) => Promise<ArrayBuffer>;
  /** IndexedDB database name (object store 'queue'); also names the Web Lock `<dbName>:send`. */
  _dbName: string;
  _now(): number;
  _random(): number;
  _onDropped(count: number, reason: string): void;
  /** Defaults to the globals, looked up at call time. */
  _fetch?: typeof fetch;
  _sendBeacon?: (url: string, body: string) => boolean;
}

export interface PipelineStats {
  /** Events in memory (not yet batched, or batched but IndexedDB could not take them). */
  queued: number;
  /** Events in IndexedDB as last seen by this tab. */
  stored: number;
  /** Events delivered with a 2xx. */
  sent: number;
  dropped: number;
  /** Failed attempts that will be retried. */
  retries: number;
  /** Consecutive failed attempts. */
  failures: number;
  /** Epoch ms before which no request is made (0: now). */
  nextAt: number;
}

export interface Pipeline {
  /** Hot path: an array push, no I/O, no JSON, no timer per call. */
  push(ev: ChatVitalsEvent): void;
  /** Persists memory to IndexedDB (one write), then sends everything due. Never rejects. */
  flush(): Promise<void>;
  /** Final flush; removes every listener and timer. */
  shutdown(): Promise<void>;
  /** Development builds only (undefined in production ones, like the console warnings). */
  stats?(): PipelineStats;
}

/**
 * One request body's worth of events, as stored in IndexedDB under its key `k` (`b:<time><seq><random>`,
 * so keys sort by time): the header of the visit that made it, its events, its serialised size in bytes.
 */
export interface Batch {
  h: Header;
  e: ChatVitalsEvent[];
  s: number;
  k: string;
  /** Set once an exit beacon has taken it (and stored with it): no later hide sends it again; flushes still deliver it. */
  x?: 1;
}
