// One POST to the ingest, within the browser's shared keepalive quota.

/** Bytes of our own keepalive fetches in flight; per page, like the browser's quota itself. */
let inflight = 0;

/**
 * What is left of the keepalive quota for a request started now: in Chromium and the Fetch spec,
 * keepalive requests in flight (sendBeacon included) share 64 KiB per page.
 */
export const keepaliveRoom = (): number => 65_536 - inflight;

/** [status, Retry-After]; status 0 is a network error (offline, CORS, CSP, blocked, timed out). */
export type Reply = [status: number, retryAfter?: string | null];

/**
 * POSTs body as text/plain (no CORS preflight). keepalive when it fits in the quota, so a flush in
 * flight survives the page going away; otherwise a plain request. Never rejects.
 * The fetch itself is called synchronously, so this also works from a pagehide handler.
 */
export async function post(fetchFn: typeof fetch | undefined, url: string, body: BodyInit, size: number): Promise<Reply> {
  const keepalive = size < keepaliveRoom();
  if (keepalive) inflight += size;
  try {
    const r = await (fetchFn || fetch)(url, {
      method: 'POST',
      body,
      keepalive,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      credentials: 'omit',
      // A hung request must not hold the send lock (and so every tab's delivery) forever.
      signal: globalThis.AbortSignal?.timeout?.(30_000),
    });
    // Chromium holds a keepalive request's quota until its response body is read: read it.
    await r.text().catch(() => 0);
    return [r.status, r.headers.get('retry-after')];
  } catch {
    return [0];
  } finally {
    if (keepalive) inflight -= size;
  }
}

/** gzip with CompressionStream; undefined where it is missing or fails (the caller sends plain). */
export async function gzip(text: string): Promise<ArrayBuffer | undefined> {
  try {
    return await new Response(new Response(text).body!.pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
  } catch {
    return undefined;
  }
}
