// The manual track calls of SPEC §2, with seed 001's shapes. Each validates, then records one event.
// Each is wrapped so that nothing (a getter that throws, a Proxy) can throw into the host page.
import type { PersistenceOperation } from '../types';
import { record } from '../core/record';
import { isObject, nonNegative, reject, shortText, timestamp } from '../core/validate';
import { warnOnce } from '../core/warn';

const HOUR = 3_600_000;
const OPERATIONS: readonly PersistenceOperation[] = ['save', 'restore', 'sync', 'delete', 'navigation'];

function guarded<T>(name: string, body: (m: T) => void): (m: T) => void {
  return (m) => {
    try {
      body(m);
    } catch (e) {
      warnOnce('throw:' + name, `${name}: the call was ignored (${String(e)}).`);
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

export const trackRender = guarded<RenderMetric>('trackRender', (m) => {
  if (!isObject(m)) return reject('trackRender', 'expects { messageId, renderTime }');
  const messageId = shortText(m.messageId);
  const renderTime = nonNegative(m.renderTime, HOUR);
  if (messageId === undefined) return reject('trackRender', 'messageId must be a string');
  if (renderTime === undefined) return reject('trackRender', 'renderTime must be a number of ms from 0 to 3600000');
  const fields: Record<string, unknown> = { type: 'render', messageId, renderTime };
  const contentLength = nonNegative(m.contentLength, 1e9);
  if (contentLength !== undefined) fields.contentLength = contentLength;
  record(fields, timestamp(m.timestamp));
});

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

export const trackPersistence = guarded<PersistenceMetric>('trackPersistence', (m) => {
  if (!isObject(m)) return reject('trackPersistence', 'expects { operation, success, duration }');
  if (!OPERATIONS.includes(m.operation as PersistenceOperation))
    return reject('trackPersistence', 'operation must be one of ' + OPERATIONS.join(', '));
  if (typeof m.success !== 'boolean') return reject('trackPersistence', 'success must be a boolean');
  const duration = nonNegative(m.duration, HOUR);
  if (duration === undefined) return reject('trackPersistence', 'duration must be a number of ms');
  const fields: Record<string, unknown> = { type: 'persistence', operation: m.operation, success: m.success, duration };
  const sessionId = shortText(m.sessionId);
  if (sessionId !== undefined) fields.sessionId = sessionId;
  const error = m.error instanceof Error ? m.error.name : shortText(m.error);
  if (error) fields.error = error;
  const lost = nonNegative(m.lost, 1e9);
  if (lost) fields.lost = lost;
  record(fields, timestamp(m.timestamp));
});

export interface TabSyncMetric {
  latency: number;
  success: boolean;
  channel?: string;
  timestamp?: number | Date;
}

export const trackTabSync = guarded<TabSyncMetric>('trackTabSync', (m) => {
  if (!isObject(m)) return reject('trackTabSync', 'expects { latency, success }');
  const latency = nonNegative(m.latency, HOUR);
  if (latency === undefined) return reject('trackTabSync', 'latency must be a number of ms');
  if (typeof m.success !== 'boolean') return reject('trackTabSync', 'success must be a boolean');
  const fields: Record<string, unknown> = { type: 'tabsync', latency, success: m.success };
  const channel = shortText(m.channel);
  if (channel !== undefined) fields.channel = channel;
  record(fields, timestamp(m.timestamp));
});

export interface ApiMetric {
  url: string;
  method?: string;
  status: number;
  duration: number;
  cached?: boolean;
  timestamp?: number | Date;
}

export const trackApi = guarded<ApiMetric>('trackApi', (m) => {
  if (!isObject(m)) return reject('trackApi', 'expects { url, method, status, duration }');
  if (typeof m.url !== 'string' || !m.url) return reject('trackApi', 'url must be a string');
  const status = nonNegative(m.status, 999);
  if (status === undefined) return reject('trackApi', 'status must be an HTTP status number (0 for a network error)');
  const duration = nonNegative(m.duration, HOUR);
  if (duration === undefined) return reject('trackApi', 'duration must be a number of ms');
  const method = typeof m.method === 'string' ? m.method.slice(0, 10).toUpperCase() : 'GET';
  record(
    { type: 'api', url: stripQuery(m.url), method, status: status | 0, duration, cached: m.cached === true },
    timestamp(m.timestamp),
  );
});

/** URLs go on the wire without query string or fragment (SPEC §3): they may carry tokens or content. */
export function stripQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return (cut < 0 ? url : url.slice(0, cut)).slice(0, 256);
}
