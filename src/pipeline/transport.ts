// One POST of a batch to the ingest, within the browser's shared keepalive quota.
import { body } from './chunk';
import type { Batch, PipelineOptions } from './types';

/**
 * What is left of the keepalive quota, less our own keepalive fetches in flight: in Chromium and
 * the Fetch spec, keepalive requests in flight (sendBeacon included) share 64 KiB per page.
 */
export let keepaliveRoom = 65_536;

/** [status, Retry-After]; status 0 is a network error (offline, CORS, CSP, blocked, timed out). */
export type Reply = [status: number, retryAfter?: string | null];

/**
 * POSTs the batch with no header of ours, so no CORS preflight: a string body goes as
 * text/plain;charset=UTF-8 (the Fetch default), a gzipped one (`?enc=gzip`, when the app passed
 * `compress: gzip` and CompressionStream allows) with no content-type. Cookies go as they would with
 * sendBeacon (same origin only, by the Fetch default). keepalive when it fits in the quota, so a flush
 * in flight survives the page going away; otherwise a plain request. Never rejects. On page `exit`,
 * sendBeacon first, and plain JSON: then the request is made synchronously, before the handler returns.
 */
export async function post(o: PipelineOptions, b: Batch, exit?: boolean): Promise<Reply> {
  const text = body(b, o._now());
  if (exit)
    try {
      // The page's sendBeacon, looked up now (tests and polyfills may replace it); true: the browser took it.
      if (o._sendBeacon?.(o.endpoint, text) ?? navigator.sendBeacon(o.endpoint, text)) return [202];
    } catch {} // bad URL, sandbox: fall back like a refusal
  let zipped: ArrayBuffer | undefined;
  // Where CompressionStream is missing or fails, the body goes plain.
  if (!exit && o.compress)
    try {
      zipped = await o.compress(text);
    } catch {}
  const size = zipped ? zipped.byteLength : b.s;
  const kept = size < keepaliveRoom ? size : 0;
  keepaliveRoom -= kept;
  try {
    const r = await (o._fetch || fetch)(zipped ? o.endpoint + (o.endpoint.includes('?') ? '&' : '?') + 'enc=gzip' : o.endpoint, {
      method: 'POST',
      body: zipped || text,
      keepalive: kept > 0,
      // A hung request must not hold the send lock (and so every tab's delivery) forever.
      signal: globalThis.AbortSignal?.timeout?.(30_000),
    });
    // Chromium holds a keepalive request's quota until its response body is read: read it.
    await r.text().catch(() => 0);
    return [r.status, r.headers.get('retry-after')];
  } catch {
    return [0];
  } finally {
    keepaliveRoom += kept;
  }
}

