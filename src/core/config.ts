// init() configuration: validated with a clear warning per mistake, never an exception. A bad
// optional value falls back to its default; only a missing endpoint stops init.
import type { ChatVitalsEvent } from '../types';
import type { Collector } from './collector';
import { warnOnce } from './warn';

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
  /** Gzip regular flushes where CompressionStream exists (default true). */
  compress?: boolean;
  /** Renders slower than this count as slow (default 16 ms). */
  slowRenderMs?: number;
  /** Collectors that measure by themselves (heap, vitals, API timing …); none by default in the ESM build. */
  collectors?: Collector[];
  /** Alert threshold overrides (SPEC §6), used by getSnapshot() and onAlert(). */
  thresholds?: Record<string, Record<string, number>>;
  /** Sees every event before it is queued: return it (changed or not) to keep it, null/false to drop it. */
  beforeSend?: (event: ChatVitalsEvent) => ChatVitalsEvent | null | false | undefined | void;
  /** Logs what the SDK does to the console. */
  debug?: boolean;
}

export interface ResolvedConfig extends Required<Omit<ChatVitalsConfig, 'app' | 'release' | 'environment' | 'beforeSend' | 'thresholds'>> {
  app?: string;
  release?: string;
  environment?: string;
  beforeSend?: ChatVitalsConfig['beforeSend'];
  thresholds?: ChatVitalsConfig['thresholds'];
}

const DEFAULTS = {
  sampleRate: 1,
  flushIntervalMs: 5000,
  maxQueueEvents: 5000,
  maxQueueBytes: 1_000_000,
  maxEventAgeMs: 86_400_000,
  slowRenderMs: 16,
} as const;

function numberIn(value: unknown, key: keyof typeof DEFAULTS, min: number, max: number): number {
  if (value === undefined) return DEFAULTS[key];
  if (typeof value === 'number' && value >= min && value <= max) return value;
  warnOnce('config:' + key, `init: ${key} must be a number from ${min} to ${max}; using ${DEFAULTS[key]}.`);
  return DEFAULTS[key];
}

function label(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value.slice(0, 128);
  warnOnce('config:' + key, `init: ${key} must be a string; ignored.`);
  return undefined;
}

export function resolveConfig(input: unknown): ResolvedConfig | undefined {
  const c = (input && typeof input === 'object' ? input : {}) as Partial<ChatVitalsConfig>;
  if (typeof c.endpoint !== 'string' || !c.endpoint) {
    warnOnce('config:endpoint', 'init: `endpoint` (the ingest URL) is required; chat-vitals stays off.');
    return undefined;
  }
  if (c.beforeSend !== undefined && typeof c.beforeSend !== 'function')
    warnOnce('config:beforeSend', 'init: beforeSend must be a function; ignored.');
  const collectors = Array.isArray(c.collectors) ? c.collectors.filter((x) => x && typeof x.start === 'function') : [];
  if (c.collectors !== undefined && collectors.length !== (Array.isArray(c.collectors) ? c.collectors.length : -1))
    warnOnce('config:collectors', 'init: collectors must be an array of collectors (e.g. heap(), vitals()); bad entries ignored.');
  return {
    endpoint: c.endpoint,
    app: label(c.app, 'app'),
    release: label(c.release, 'release'),
    environment: label(c.environment, 'environment'),
    sampleRate: numberIn(c.sampleRate, 'sampleRate', 0, 1),
    flushIntervalMs: numberIn(c.flushIntervalMs, 'flushIntervalMs', 100, 3_600_000),
    maxQueueEvents: numberIn(c.maxQueueEvents, 'maxQueueEvents', 10, 1_000_000),
    maxQueueBytes: numberIn(c.maxQueueBytes, 'maxQueueBytes', 10_000, 100_000_000),
    maxEventAgeMs: numberIn(c.maxEventAgeMs, 'maxEventAgeMs', 60_000, 30 * 86_400_000),
    slowRenderMs: numberIn(c.slowRenderMs, 'slowRenderMs', 1, 60_000),
    compress: c.compress !== false,
    collectors,
    thresholds: c.thresholds && typeof c.thresholds === 'object' ? c.thresholds : undefined,
    beforeSend: typeof c.beforeSend === 'function' ? c.beforeSend : undefined,
    debug: c.debug === true,
  };
}
