// The Web-standard ingest handler (SPEC §5) on Hono: routes, CORS, auth, limits. Storage, validation,
// alerting and exposition live in their own files; this one wires them and maps errors to status codes.
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { dashboardHeaders, dashboardPage } from '../dashboard/page';
import { alertStats, activeAlerts, createAggregates, mergeAggregates, mergeThresholds, summarize } from '../health';
import { createAlerting } from './alerting';
import { gunzipLimited, readDeclared, readLimited } from './body';
import { createLabelCap } from './cardinality';
import { HttpError } from './errors';
import { sameSecret } from './secret';
import { consoleChannel, webhookChannel } from './notify';
import { resolveOptions, type IngestOptions } from './options';
import { parseJsonBody } from './parse';
import { createLiveMetrics, type Gauge } from './prometheus';
import { createRateLimiter } from './rate-limit';
import type { IngestStore } from './store/types';
import { validateEnvelope } from './validate';
import { windowMinutes } from './window';

type Handler = (req: Request, env?: unknown) => Promise<Response>;

export interface Ingest {
  /** `(Request) => Promise<Response>`; the optional second argument is the adapter's env (client address). */
  fetch: Handler;
  /** The same handler under Next.js route-handler names: `export const { GET, POST, OPTIONS } = createIngest()`. */
  GET: Handler;
  POST: Handler;
  OPTIONS: Handler;
  /** Resolves once the store is open (rejects if it cannot be opened). */
  ready: Promise<void>;
  /** Runs retention now (it also runs on a timer). */
  cleanup(): Promise<{ events: number; buckets: number }>;
  /** Stops timers, waits for alert notifications in flight, closes the store. */
  close(): Promise<void>;
}

const SAFE_METHODS = /^(GET|HEAD|OPTIONS)$/;
const TEXT_TYPES = /^(text\/plain|application\/json)\s*(;|$)/i;
const MAX_DEPTH = 16;
const MINUTE = 60_000;

export function createIngest(options: IngestOptions = {}): Ingest {
  const o = resolveOptions(options);
  const thresholds = mergeThresholds(o.thresholds);
  const labels = createLabelCap(o.maxApps, o.maxReleasesPerApp);
  const live = createLiveMetrics();
  const limiter = o.rateLimit ? createRateLimiter(o.rateLimit.perSecond, o.rateLimit.burst) : undefined;
  const channels = o.channels ?? [consoleChannel(o.log), ...(o.webhookUrl ? [webhookChannel(o.webhookUrl, o.webhookTimeoutMs, o.log)] : [])];

  // The SQLite store is imported lazily so the handler also loads where better-sqlite3 cannot (pass `store`).
  const storeReady: Promise<IngestStore> = o.store
    ? Promise.resolve(o.store)
    : import('./store/sqlite').then((m) => m.createSqliteStore({ file: o.dbFile, synchronous: o.fsync ? 'FULL' : 'NORMAL' }));
  const ready = storeReady.then(async (store) => labels.seed(await store.scopes()));
  ready.catch((e) => o.log.error(`[chat-vitals] store unavailable: ${(e as Error)?.message ?? e}`));
  const alerting = storeReady.then((store) =>
    createAlerting({
      store,
      thresholds,
      windowMs: o.alertWindowMs,
      baselineMs: o.baselineWindowMs,
      intervalMs: o.alertIntervalMs,
      channels,
      now: o.now,
      log: o.log,
    }),
  );
  alerting.catch(() => {});

  const cleanup = async () => {
    const store = await storeReady;
    const now = o.now();
    return store.cleanup(now - o.eventRetentionMs, now - o.bucketRetentionMs);
  };
  const runCleanup = () => {
    cleanup().catch((e) => o.log.error(`[chat-vitals] retention failed: ${(e as Error)?.message ?? e}`));
  };
  ready.then(runCleanup, () => {});
  const cleanupTimer = setInterval(runCleanup, o.cleanupIntervalMs);
  (cleanupTimer as { unref?: () => void }).unref?.();

  const allowAll = o.allowedOrigins === '*';
  const originAllowed = (origin: string | undefined) => allowAll || !origin || o.allowedOrigins.includes(origin);

  const app = new Hono().basePath(o.basePath);
  // Any origin may post by default (widgets are embedded anywhere), but that default does not open the reads to
  // every site a browser visits: without an API token, a page elsewhere could read the metrics (app names, the
  // widget's API URLs, alert texts) off an ingest only the operator's browser reaches (127.0.0.1, an intranet).
  // An explicit allowlist is trusted with both.
  app.use(
    allowAll ? '/ingest' : '*',
    cors({
      origin: allowAll ? '*' : (o.allowedOrigins as string[]),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'X-Chat-Vitals-Key', 'Authorization'],
      exposeHeaders: ['Retry-After'],
      maxAge: 86_400,
    }),
  );

  // State-changing API routes (resolving an alert) refuse browsers on another origin's page. Without apiToken they
  // need no credentials, and a bodyless POST needs no CORS preflight, so any page the operator visits could post
  // them through the operator's browser to an ingest it can reach, 127.0.0.1 included. Checked before the token:
  // the browser is refused whatever it carries. POST /ingest is outside /api: it is cross-origin by design.
  app.use('/api/*', async (c, next) => {
    if (!SAFE_METHODS.test(c.req.method) && !sameOriginOrNotBrowser(c.req.raw)) throw new HttpError(403, 'cross-origin request refused');
    await next();
  });

  // Reads and alert resolution: open unless apiToken is set. The ingest key never grants them.
  const requireToken = async (c: Context, next: () => Promise<void>) => {
    if (o.apiToken && !sameSecret(c.req.header('authorization') ?? '', `Bearer ${o.apiToken}`)) throw new HttpError(401, 'missing or wrong API token');
    await next();
  };
  app.use('/api/*', requireToken);
  app.use('/metrics', requireToken);

  app.post('/ingest', async (c) => {
    const req = c.req.raw;
    if (!originAllowed(c.req.header('origin'))) throw new HttpError(403, 'origin not allowed');
    const key = c.req.query('key') ?? c.req.header('x-chat-vitals-key');
    if (o.ingestKeys?.length) {
      if (!key) throw new HttpError(401, 'ingest key required');
      if (!o.ingestKeys.includes(key)) throw new HttpError(403, 'unknown ingest key');
    }
    if (limiter) {
      // The key separates buckets only when it is a configured (checked) one: an unchecked ?key= is the client's
      // to invent, one per request, which would give it a fresh bucket each time (and grow the table's keys).
      const wait = limiter.take(`${o.ingestKeys?.length ? key : ''}|${clientAddress(req, c.env, o.trustProxy)}`, o.now());
      if (wait) {
        c.header('Retry-After', String(wait));
        throw new HttpError(429, 'rate limited');
      }
    }
    // No content-type is read as text too: the SDK's gzipped flushes (an ArrayBuffer body) carry none.
    const type = c.req.header('content-type');
    if (type !== undefined && !TEXT_TYPES.test(type)) throw new HttpError(415, 'content-type must be text/plain or application/json');
    const enc = c.req.query('enc');
    if (enc !== undefined && enc !== 'gzip') throw new HttpError(415, `unsupported encoding ${JSON.stringify(enc.slice(0, 20))}`);
    const length = c.req.header('content-length');
    const declared = Number(length);
    if (declared > o.maxBodyBytes) throw new HttpError(413, `body larger than ${o.maxBodyBytes} bytes`);

    // On Node (@hono/node-server passes env.incoming) Content-Length is enforced by the HTTP parser; anywhere
    // else a Request may carry any header, so the body is counted while it streams.
    const onNode = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
    let bytes =
      onNode && length !== undefined && declared >= 0
        ? await readDeclared(req, o.bodyTimeoutMs)
        : await readLimited(req.body, o.maxBodyBytes, `body larger than ${o.maxBodyBytes} bytes`, o.bodyTimeoutMs);
    if (enc === 'gzip') bytes = await gunzipLimited(bytes, o.maxDecompressedBytes);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new HttpError(400, 'body is not valid UTF-8');
    }
    const body = parseJsonBody(text, MAX_DEPTH, o.maxEvents * 32) as Record<string, unknown>;
    const now = o.now();
    const batch = validateEnvelope(body, now, o);
    const store = await storeReady;
    await ready;
    const scope = labels.resolve(batch.app, batch.release);
    const result = await store.commit({ ...scope, session: batch.session, page: batch.page, events: batch.events }, now, thresholds.performance.renderTime);
    const duplicates = result.duplicates + batch.duplicates;
    live.observe(scope.app, scope.release, result.fresh);
    live.countEvents('accepted', result.accepted);
    live.countEvents('duplicate', duplicates);
    live.countEvents('rejected', batch.rejected);
    if (result.accepted) void alerting.then((a) => a.poke());
    return c.json(
      { accepted: result.accepted, duplicates, rejected: batch.rejected, ...(batch.errors.length ? { errors: batch.errors } : {}) },
      202,
    );
  });

  app.get('/api/metrics', async (c) => {
    const windowMs = parseWindow(c.req.query('window'), o.bucketRetentionMs);
    const app_ = c.req.query('app');
    const release = c.req.query('release');
    const store = await storeReady;
    const a = await alerting;
    await a.refresh();
    const now = o.now();
    const range = windowMinutes(now, windowMs);
    const rows = await store.buckets({ ...range, app: app_, release });
    const agg = createAggregates();
    for (const r of rows) mergeAggregates(agg, r.agg);
    const state = await a.state();
    // Alerts are per app: with ?app= both the list and its statistics are that app's.
    const scoped = app_ === undefined ? state : { ...state, alerts: state.alerts.filter((x) => x.scope === app_) };
    return c.json({
      ...summarize(agg, thresholds),
      alerts: { active: activeAlerts(scoped), stats: alertStats(scoped) },
      window: { ms: windowMs, from: range.fromMinute * MINUTE, to: (range.toMinute + 1) * MINUTE, buckets: rows.length },
      filters: { app: app_ ?? null, release: release ?? null },
      generatedAt: now,
    });
  });

  app.get('/api/alerts', async (c) => {
    const a = await alerting;
    await a.refresh();
    const state = await a.state();
    const status = c.req.query('status');
    return c.json({ alerts: state.alerts.filter((x) => !status || x.status === status).reverse(), stats: alertStats(state) });
  });

  app.post('/api/alerts/:id/resolve', async (c) => {
    const alert = await (await alerting).resolve(c.req.param('id'));
    return alert ? c.json(alert) : c.json({ error: 'no such alert' }, 404);
  });

  app.get('/metrics', async (c) => {
    const store = await storeReady;
    const a = await alerting;
    const now = o.now();
    const rows = await store.buckets(windowMinutes(now, o.alertWindowMs));
    const byScope = new Map<string, ReturnType<typeof createAggregates>>();
    for (const r of rows) {
      const k = JSON.stringify([r.app, r.release]);
      mergeAggregates(byScope.get(k) ?? byScope.set(k, createAggregates()).get(k)!, r.agg);
    }
    const health: Gauge = { name: 'chat_vitals_health_score', help: `Health score 0-100 over the last ${o.alertWindowMs / MINUTE} min.`, samples: [] };
    for (const [k, agg] of byScope) {
      const [app_, release] = JSON.parse(k) as [string, string];
      const h = summarize(agg, thresholds).health;
      if (h.overall !== null) health.samples.push({ labels: { app: app_, release, category: 'overall' }, value: h.overall });
      for (const [cat, v] of Object.entries(h.scores)) if (v !== null) health.samples.push({ labels: { app: app_, release, category: cat }, value: v });
    }
    const open: Gauge = { name: 'chat_vitals_alerts_open', help: 'Open alerts by app and severity.', samples: [] };
    const counts = new Map<string, number>();
    for (const x of activeAlerts(await a.state())) counts.set(JSON.stringify([x.scope, x.severity]), (counts.get(JSON.stringify([x.scope, x.severity])) ?? 0) + 1);
    for (const [k, n] of counts) {
      const [app_, severity] = JSON.parse(k) as [string, string];
      open.samples.push({ labels: { app: app_, severity }, value: n });
    }
    return c.body(live.render([health, open]), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  app.get('/healthz', async (c) => {
    await storeReady;
    return c.json({ ok: true });
  });

  // Under a basePath, '/' is the bare prefix (/vitals) and '' the prefix with its slash (/vitals/, the address
  // docs/ingest.md gives); without one both are '/'.
  const html = dashboardPage(undefined, o.basePath ? o.basePath.replace(/^\/?/, '/').replace(/\/?$/, '/') : undefined);
  // Its CSP hashes, computed once with the page (asynchronously: Web Crypto's digest is); a runtime without
  // Web Crypto fails the page's requests, not the handler.
  const pageHeaders = dashboardHeaders();
  pageHeaders.catch(() => {});
  const page = async (c: Context) => c.html(html, 200, await pageHeaders);
  app.get('/', page);
  app.get('', page);

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message }, err.status);
    o.log.error(`[chat-vitals] ${c.req.method} ${c.req.path} failed: ${err?.stack ?? err}`);
    return c.json({ error: 'internal error' }, 500);
  });

  const fetch: Handler = async (req, env) => {
    const res = await app.fetch(req, env);
    // Here rather than in a middleware: middleware runs only under the basePath, and a 404 outside it is ours too.
    res.headers.set('X-Content-Type-Options', 'nosniff');
    if (req.method === 'POST' && new URL(req.url).pathname.endsWith('/ingest')) live.countRequest(res.status);
    return res;
  };

  return {
    fetch,
    GET: fetch,
    POST: fetch,
    OPTIONS: fetch,
    ready,
    cleanup,
    async close() {
      clearInterval(cleanupTimer);
      const store = await storeReady.catch(() => undefined);
      await (await alerting.catch(() => undefined))?.close();
      // A store passed in belongs to the caller.
      if (!o.store) await store?.close();
    },
  };
}

function parseWindow(raw: string | undefined, max: number): number {
  if (raw === undefined || raw === '') return 5 * MINUTE;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < MINUTE || ms > max) throw new HttpError(400, `window must be an integer of ms between ${MINUTE} and ${max}`);
  return ms;
}

/**
 * Whether a state-changing request may proceed: it comes from a page of this very origin, or not from a browser at
 * all (curl and scripts send neither header below; a page cannot suppress them). Hono's csrf middleware does not
 * fit: it lets any request whose Content-Type is not a form type through (a bodyless or JSON POST), and refuses
 * requests without Origin (curl).
 */
function sameOriginOrNotBrowser(req: Request): boolean {
  const site = req.headers.get('sec-fetch-site');
  // Fetch Metadata (all current browsers). 'same-site' is refused too: it covers every other port of the same host
  // (a dev server on localhost:3000 → the ingest on localhost:8787) and sibling subdomains, none of them the
  // dashboard. 'none' is the user's own doing (address bar, bookmark, an extension), not another site's.
  if (site !== null) return site === 'same-origin' || site === 'none';
  // Older browsers send Origin with every POST. Hosts are compared, not schemes: behind a TLS-terminating proxy the
  // handler sees http:// while the page is https://. 'null' (sandboxed frame, data: URL) is not a URL: refused.
  const origin = req.headers.get('origin');
  if (origin === null) return true;
  return URL.canParse(origin) && new URL(origin).host === new URL(req.url).host;
}

/** The client's address: the socket's on Node (from @hono/node-server's env), proxy headers only when trusted. */
function clientAddress(req: Request, env: unknown, trustProxy: boolean): string {
  if (trustProxy) {
    // The last X-Forwarded-For entry is the one our proxy appended; the ones before it are the client's to write.
    const fwd = req.headers.get('cf-connecting-ip') ?? req.headers.get('x-forwarded-for')?.split(',').pop() ?? req.headers.get('x-real-ip');
    if (fwd) return fwd.trim();
  }
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
