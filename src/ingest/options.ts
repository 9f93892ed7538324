// Options of the ingest handler and their defaults, resolved in one place so docs/ingest.md has one source.
import type { DeepPartial, Thresholds } from '../health';
import type { IngestStore } from './store/types';
import type { AlertChannel } from './notify';

export interface IngestOptions {
  /** Where events, buckets and alert state live. Default: SQLite at `${dataDir}/chat-vitals.db`. */
  store?: IngestStore;
  /** Directory of the default SQLite store (created if missing). Default `.data`. */
  dataDir?: string;
  /** The default store's file. Default `${dataDir}/chat-vitals.db`. */
  dbFile?: string;
  /** fsync every commit (SQLite synchronous=FULL): survives power loss, not just a killed process. Default false. */
  fsync?: boolean;
  /** Path prefix when mounted under a sub-path, e.g. `/api/vitals` for a Next.js catch-all route; trailing slashes are dropped. Default ''. */
  basePath?: string;
  /** Origins allowed to post and read (exact match; an entry written as a URL is cut to its origin). Default `'*'`: any origin (demo-friendly). */
  allowedOrigins?: '*' | string[];
  /** Public submit-only keys (`?key=` or `X-Chat-Vitals-Key`). Unset: no key needed. */
  ingestKeys?: string[];
  /** Bearer token for `/api/*`, `/metrics` and resolving alerts. Unset: open reads. */
  apiToken?: string;
  /** Bytes on the wire per request (413 beyond). Default 128 KiB (the SDK sends < 64 KiB). */
  maxBodyBytes?: number;
  /** Bytes after `?enc=gzip` decompression (413 beyond). Default 1 MiB. */
  maxDecompressedBytes?: number;
  /** Events per request (400 beyond). Default 1000. */
  maxEvents?: number;
  /** Body must arrive within this many ms (408 beyond). Default 10 s. */
  bodyTimeoutMs?: number;
  /** Token bucket per key + client address. `false` disables. Default 20 req/s, burst 100. */
  rateLimit?: false | { perSecond: number; burst: number };
  /** Use X-Forwarded-For / CF-Connecting-IP for the client address (only behind a proxy you run). */
  trustProxy?: boolean;
  /** Oldest accepted event, relative to receipt (after skew correction). Default 24 h. */
  maxEventAgeMs?: number;
  /** Newest accepted event, ahead of receipt (after skew correction). Default 5 min. */
  maxFutureMs?: number;
  /** Keep raw events this long after receipt (also the dedupe horizon). Default 7 days; never below maxEventAgeMs + maxFutureMs. */
  eventRetentionMs?: number;
  /** Keep per-minute buckets this long. Default 30 days. */
  bucketRetentionMs?: number;
  /** How often retention runs (unref'd timer). Default 5 min. */
  cleanupIntervalMs?: number;
  /** Distinct apps stored; later ones fold into "other". Default 100. */
  maxApps?: number;
  /** Distinct releases per app; later ones fold into "other". Default 50. */
  maxReleasesPerApp?: number;
  /** Threshold overrides for scores and alerts (SPEC §6). */
  thresholds?: DeepPartial<Thresholds>;
  /** Alert evaluation at most this often after commits (and on every GET). Default 10 s. */
  alertIntervalMs?: number;
  /** Window alerts are evaluated over. Default 5 min. */
  alertWindowMs?: number;
  /** Baseline window for the degradation check (seed 000). Default 1 h. */
  baselineWindowMs?: number;
  /** Where opened/resolved alerts go. Default: console, plus a webhook if `webhookUrl` is set. */
  channels?: AlertChannel[];
  /** Slack-compatible webhook, posted on open and resolve. */
  webhookUrl?: string;
  /** Webhook timeout. Default 5 s. */
  webhookTimeoutMs?: number;
  /** Injected clock (tests). */
  now?: () => number;
  /** Logger for operational messages. Default console. */
  log?: Pick<Console, 'warn' | 'error' | 'info'>;
}

export type ResolvedOptions = Required<
  Omit<IngestOptions, 'store' | 'ingestKeys' | 'apiToken' | 'webhookUrl' | 'thresholds' | 'channels'>
> &
  Pick<IngestOptions, 'store' | 'ingestKeys' | 'apiToken' | 'webhookUrl' | 'thresholds' | 'channels'>;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Node runs a timer whose delay does not fit in 32 bits (about 24.8 days) after 1 ms instead: a longer interval
// would run retention, or alert evaluation, over and over, and a longer timeout would end every request body
// read (408) or webhook call at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

export function resolveOptions(o: IngestOptions = {}): ResolvedOptions {
  const maxEventAgeMs = o.maxEventAgeMs ?? DAY;
  const maxFutureMs = o.maxFutureMs ?? 5 * MIN;
  const alertWindowMs = o.alertWindowMs ?? 5 * MIN;
  const baselineWindowMs = o.baselineWindowMs ?? HOUR;
  const log = o.log ?? console;
  // A value held to a bound is reported when the operator set it; a default moved by other options is not.
  const floor = (name: keyof IngestOptions, def: number, min: number, minName: string) =>
    held(log, name, o[name] as number | undefined, def, min, 'below', minName);
  const timer = (name: keyof IngestOptions, def: number) =>
    held(log, name, o[name] as number | undefined, def, MAX_TIMER_MS, 'above', 'the longest timer delay');
  return {
    ...o,
    dataDir: o.dataDir ?? '.data',
    dbFile: o.dbFile ?? `${o.dataDir ?? '.data'}/chat-vitals.db`,
    fsync: o.fsync ?? false,
    // Hono matches the prefix as given: '/vitals/' would leave /vitals a 404. '/' (or '') means none.
    basePath: (o.basePath ?? '').replace(/\/+$/, ''),
    allowedOrigins: resolveOrigins(o.allowedOrigins, log),
    maxBodyBytes: o.maxBodyBytes ?? 128 * 1024,
    maxDecompressedBytes: o.maxDecompressedBytes ?? 1024 * 1024,
    maxEvents: o.maxEvents ?? 1000,
    bodyTimeoutMs: timer('bodyTimeoutMs', 10_000),
    rateLimit: o.rateLimit ?? { perSecond: 20, burst: 100 },
    trustProxy: o.trustProxy ?? false,
    maxEventAgeMs,
    maxFutureMs,
    // Raw events are the dedupe memory: a retry of a deleted event must be too old to accept, so they outlive
    // the accepted ts range (an event received at R has ts <= R + maxFutureMs).
    eventRetentionMs: floor('eventRetentionMs', 7 * DAY, maxEventAgeMs + maxFutureMs, 'maxEventAgeMs + maxFutureMs'),
    // Alerts read the window and the baseline before it from buckets; metrics windows start at a minute.
    bucketRetentionMs: floor('bucketRetentionMs', 30 * DAY, alertWindowMs + baselineWindowMs, 'alertWindowMs + baselineWindowMs'),
    cleanupIntervalMs: timer('cleanupIntervalMs', 5 * MIN),
    maxApps: o.maxApps ?? 100,
    maxReleasesPerApp: o.maxReleasesPerApp ?? 50,
    alertIntervalMs: timer('alertIntervalMs', 10_000),
    alertWindowMs,
    baselineWindowMs,
    webhookTimeoutMs: timer('webhookTimeoutMs', 5_000),
    now: o.now ?? Date.now,
    log,
  };
}

/**
 * `configured` (else `def`) held to `bound` from `side` (a retention below its floor is raised to it, a timer
 * delay above what timers can wait is lowered to it); the operator is told when their own value moved.
 */
function held(log: Pick<Console, 'warn'>, name: string, configured: number | undefined, def: number, bound: number, side: 'below' | 'above', boundName: string): number {
  const v = configured ?? def;
  if (side === 'below' ? v >= bound : v <= bound) return v;
  if (configured !== undefined)
    log.warn(`[chat-vitals] ${name} ${configured} is ${side} ${boundName} (${bound} ms): ${side === 'below' ? 'raised' : 'lowered'} to ${bound} ms`);
  return bound;
}

/**
 * A browser's `Origin` is scheme://host[:port], lower case, no slash: an entry copied from the address bar
 * ('https://Shop.example/') would never match it and every widget would be refused, silently. Each entry is
 * read as its origin (with a warning when that changes it); one that is no URL is dropped, with a warning;
 * '*' in a list means any origin.
 */
function resolveOrigins(list: '*' | string[] | undefined, log: Pick<Console, 'warn'>): '*' | string[] {
  if (list === undefined || list === '*' || list.includes('*')) return '*';
  const origins: string[] = [];
  for (const entry of list) {
    let origin: string | undefined;
    try {
      origin = new URL(entry).origin;
    } catch {}
    if (!origin || origin === 'null') {
      log.warn(`[chat-vitals] allowedOrigins: ${JSON.stringify(entry)} is not an origin (scheme://host[:port]); ignored`);
      continue;
    }
    if (origin !== entry) log.warn(`[chat-vitals] allowedOrigins: ${JSON.stringify(entry)} read as ${origin} (an origin is scheme://host[:port])`);
    origins.push(origin);
  }
  if (!origins.length) log.warn('[chat-vitals] allowedOrigins lists no origin: every browser is refused');
  return origins;
}
