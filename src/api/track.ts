// The manual track calls of SPEC §2, with seed 001's shapes. Each is made from a field list: one
// small validator serves all four (bytes matter). A call with a bad field warns once per kind and is
// ignored; nothing (a throwing getter, a Proxy) can throw out of it into the host page.
import type { PersistenceOperation } from '../types';
import { record } from '../core/record';
import { nonNegative, shortText, timestamp } from '../core/validate';
import { warnBad } from '../core/warn';

const HOUR = 3_600_000;
const OPERATIONS = ['save', 'restore', 'sync', 'delete', 'navigation'];

/** Field kinds: each turns an argument into its wire value, or undefined when it is not acceptable. */
const KINDS: Record<string, (v: unknown) => unknown> = {
  s: shortText,
  t: (v) => nonNegative(v, HOUR), // a duration in ms
  n: (v) => nonNegative(v, 1e9), // a count
  b: (v) => (typeof v === 'boolean' ? v : undefined),
  o: (v) => (OPERATIONS.includes(v as string) ? v : undefined),
  e: (v) => (v instanceof Error ? v.name : shortText(v)),
  u: (v) => (typeof v === 'string' && v ? stripQuery(v) : undefined),
  m: (v) => (typeof v === 'string' ? v.slice(0, 10).toUpperCase() : 'GET'),
  c: (v) => nonNegative(v, 999) && (v as number) | 0, // HTTP status, an integer; 0 is a network error
};

/** The track call of each type, as development warnings name it (trackTabSync, not tracktabsync). */
const CALLS: Record<string, string> = { render: 'Render', persistence: 'Persistence', tabsync: 'TabSync', api: 'Api' };

/** `spec`: "name:kind" pairs; a trailing "?" makes the field optional. */
function track<T>(type: string, spec: string): (metric: T) => void {
  // Flat arrays and an index loop: this runs once per tracked message, so no destructuring per call.
  const names: string[] = [];
  const checks: ((v: unknown) => unknown)[] = [];
  const optional: boolean[] = [];
  for (const f of spec.split(' ')) {
    const [name, kind] = f.split(':');
    names.push(name);
    checks.push(KINDS[kind[0]]);
    optional.push(kind.length > 1);
  }
  return (m) => {
    try {
      const ev: Record<string, unknown> = { type };
      for (let i = 0; i < names.length; i++) {
        const raw = (m as Record<string, unknown>)[names[i]];
        const value = checks[i](raw);
        if (value !== undefined) ev[names[i]] = value;
        else if (!optional[i] || raw !== undefined) throw names[i];
      }
      record(ev, timestamp((m as { timestamp?: unknown }).timestamp));
    } catch (e) {
      // A field name for a bad field; anything else (null, a throwing getter) is a bad argument.
      warnBad('track' + CALLS[type], typeof e === 'string' ? e : 'argument', 'ignored');
    }
  };
}

export interface RenderMetric {
  messageId: string | number;
  /** Milliseconds from the start of the render to the next paint. */
  renderTime: number;
  contentLength?: number;
  timestamp?: number | Date;
}

export const trackRender = /* @__PURE__ */ track<RenderMetric>('render', 'messageId:s renderTime:t contentLength:n?');

export interface PersistenceMetric {
  operation: PersistenceOperation;
  success: boolean;
  duration: number;
  sessionId?: string;
  /** An error class name (QuotaExceededError …) or the Error itself. */
  error?: string | Error;
  /** Items lost, for a data-loss incident. */
  lost?: number;
  timestamp?: number | Date;
}

export const trackPersistence = /* @__PURE__ */ track<PersistenceMetric>(
  'persistence',
  'operation:o success:b duration:t sessionId:s? error:e? lost:n?',
);

export interface TabSyncMetric {
  latency: number;
  success: boolean;
  channel?: string;
  timestamp?: number | Date;
}

export const trackTabSync = /* @__PURE__ */ track<TabSyncMetric>('tabsync', 'latency:t success:b channel:s?');

export interface ApiMetric {
  url: string;
  method?: string;
  status: number;
  duration: number;
  cached?: boolean;
  timestamp?: number | Date;
}

export const trackApi = /* @__PURE__ */ track<ApiMetric>('api', 'url:u method:m? status:c duration:t cached:b?');

/** URLs go on the wire without query string or fragment (SPEC §3): they may carry tokens or content. */
export function stripQuery(url: string): string {
  return url.split(/[?#]/)[0].slice(0, 256);
}
