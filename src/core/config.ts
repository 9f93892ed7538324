// init() configuration: validated with a clear warning per mistake, never an exception. A bad
// optional value falls back to its default; only a missing endpoint stops init.
import type { ChatVitalsEvent } from '../types';
import type { Collector } from './collector';
import { warnBad, warnOnce } from './warn';

export interface ChatVitalsConfig {
  /** URL of the ingest's POST route, absolute or relative to the page (required). */
  endpoint: string;
  app?: string;
  release?: string;
  environment?: string;
  /** Share of sessions that send anything, 0–1 (default 1). Decided once per tab session. */
  sampleRate?: number;
  /** How long events wait in memory before a flush (default 5000 ms). */
  flushIntervalMs?: number;
  /** Per event type, the most events kept waiting; the oldest go first (default 5000, seed 001). */
  maxQueueEvents?: number;
  /** Bound on all waiting events, in bytes (default 1 MB). */
  maxQueueBytes?: number;
  /** Events still undelivered after this long are dropped and counted (default 24 h). */
  maxEventAgeMs?: number;
  /**
   * `gzip` (exported beside init) to gzip regular flushes where CompressionStream exists: a batch of
   * 20 renders goes from about 2.5 KB of JSON to 0.5 KB. Off by default, so an app that does not
   * ask for it does not ship it (about 50 B brotli); the page-exit beacon is plain JSON either way.
   */
  compress?: (body: string) => Promise<ArrayBuffer>;
  /** Renders slower than this count as slow (default 16 ms). */
  slowRenderMs?: number;
  /** Collectors that measure by themselves (heap, vitals, API timing …); none by default in the ESM build. */
  collectors?: Collector[];
  /** Alert threshold overrides (SPEC §6), used by getSnapshot() and onAlert(). */
  thresholds?: Record<string, Record<string, number>>;
  /** Sees every event before it is queued: return it (changed or not) to keep it, null/false to drop it. */
  beforeSend?: (event: ChatVitalsEvent) => ChatVitalsEvent | null | false | undefined | void;
  /** Logs the session id and its sampling decision to the console at init (development builds). */
  debug?: boolean;
}

export interface ResolvedConfig extends Required<Omit<ChatVitalsConfig, 'app' | 'release' | 'environment' | 'beforeSend' | 'compress' | 'thresholds' | 'debug'>> {
  app?: string;
  release?: string;
  environment?: string;
  beforeSend?: ChatVitalsConfig['beforeSend'];
  compress?: ChatVitalsConfig['compress'];
  thresholds?: ChatVitalsConfig['thresholds'];
  /** As given: only `true` turns the log on. */
  debug?: unknown;
}

// [default, min, max] of each numeric option.
const NUMBERS = {
  sampleRate: [1, 0, 1],
  flushIntervalMs: [5000, 100, 3_600_000],
  maxQueueEvents: [5000, 10, 1_000_000],
  maxQueueBytes: [1_000_000, 10_000, 100_000_000],
  maxEventAgeMs: [86_400_000, 60_000, 2_592_000_000],
  slowRenderMs: [16, 1, 60_000],
} as const;

export function resolveConfig(input: unknown): ResolvedConfig | undefined {
  const c = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  if (!c.endpoint || typeof c.endpoint !== 'string') {
    warnOnce('config:endpoint', 'init: endpoint (ingest URL) required; off');
    return undefined;
  }
  const out = { ...c } as Record<string, unknown>;
  for (const key of ['app', 'release', 'environment']) {
    const v = c[key];
    delete out[key];
    if (typeof v === 'string' && v) out[key] = v.slice(0, 128);
    else if (v != null && v !== '') warnBad('init', key, 'ignored');
  }
  for (const key in NUMBERS) {
    const [fallback, min, max] = NUMBERS[key as keyof typeof NUMBERS];
    const v = c[key];
    if (!(typeof v === 'number' && v >= min && v <= max)) {
      if (v !== undefined) warnBad('init', key, `${min}-${max}; using ${fallback}`);
      out[key] = fallback;
    }
  }
  // thresholds need no check here: mergeThresholds ignores what is not a number.
  for (const key of ['beforeSend', 'compress'])
    if (c[key] !== undefined && typeof c[key] !== 'function') {
      warnBad('init', key, 'ignored');
      delete out[key];
    }
  const collectors = c.collectors;
  out.collectors = Array.isArray(collectors) ? collectors.filter((x) => x && typeof x.start === 'function') : [];
  // `?.`: null is a bad value like any other, not a TypeError that turns init off.
  if (collectors !== undefined && (out.collectors as unknown[]).length !== (collectors as unknown[] | null)?.length)
    warnBad('init', 'collectors', 'bad entries ignored');
  return out as unknown as ResolvedConfig;
}
