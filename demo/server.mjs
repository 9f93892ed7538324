#!/usr/bin/env node
// `npm start`: the demo support chat, its API, and the chat-vitals ingest with its dashboard, all on
// ONE origin (default http://127.0.0.1:3000; PORT=0 picks a free port). One origin keeps the demo
// honest and simple: the SDK posts to /ingest with no CORS, and the dashboard at /dashboard reads
// /api/metrics. The ingest is the real handler from dist/ingest.mjs on its default SQLite store in
// .data/; Ctrl-C closes it (SQLite checkpointed) before exiting.
//
// Env: PORT, HOST (default 127.0.0.1), DEMO_WINDOW_MS (alert window, default 30000),
// DEMO_DATA_DIR (default .data), DEMO_THRESHOLDS (JSON overrides, SPEC §6), DEMO_TEST_HOOKS=1 (lets e2e tests move the ingest's clock).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { createChatApi } from './chat-api.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { createIngest } = await import('../dist/ingest.mjs').catch((e) => {
  console.error(`The ingest is not built (${e.code ?? e.message}): run \`npm run build\` first (\`npm start\` does both).`);
  process.exit(1);
});
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST || '127.0.0.1';
const windowMs = Number(process.env.DEMO_WINDOW_MS) || 30_000;
const testHooks = process.env.DEMO_TEST_HOOKS === '1';

// The ingest's clock, movable by tests only (DEMO_TEST_HOOKS): minutes pass without sleeping.
let clockOffset = 0;
const ingest = createIngest({
  dataDir: process.env.DEMO_DATA_DIR || join(ROOT, '.data'),
  alertWindowMs: windowMs,
  alertIntervalMs: 2_000,
  thresholds: process.env.DEMO_THRESHOLDS ? JSON.parse(process.env.DEMO_THRESHOLDS) : undefined,
  now: () => Date.now() + clockOffset,
});
await ingest.ready;
const toIngest = getRequestListener(ingest.fetch);
const chat = createChatApi();

const STATIC = { '/dist/': join(ROOT, 'dist'), '/demo/': join(ROOT, 'demo', 'public') };
const PAGES = { '/': 'index.html', '/script-tag.html': 'script-tag.html' };
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.svg': 'image/svg+xml' };

async function serveFile(res, file, headers = {}) {
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', ...headers });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(file.includes('/dist/') ? 'not built: run npm run build' : 'not found');
  }
}

let stopping = false;
const server = createServer(async (req, res) => {
  try {
    if (stopping) res.setHeader('connection', 'close'); // no next request on this connection
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (path === '/dashboard') {
      req.url = '/' + url.search; // the ingest serves its dashboard at its own root
      return toIngest(req, res);
    }
    if (path === '/ingest' || path.startsWith('/api/') || path === '/metrics' || path === '/healthz') return toIngest(req, res);
    if (path.startsWith('/demo-api/')) {
      if (testHooks && path === '/demo-api/test/advance-clock' && req.method === 'POST') {
        clockOffset += Number(url.searchParams.get('ms')) || 0;
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ offset: clockOffset }));
      }
      return await chat(req, res, url);
    }
    if (PAGES[path]) {
      // One conversation per browser (see chat-api.mjs): a page without the cookie starts one.
      const cookie = /(?:^|;\s*)demo-sid=/.test(req.headers.cookie ?? '') ? {} : { 'set-cookie': `demo-sid=${randomUUID()}; Path=/; SameSite=Strict; HttpOnly` };
      return await serveFile(res, join(ROOT, 'demo', 'public', PAGES[path]), cookie);
    }
    if (path === '/favicon.ico') return res.writeHead(204, { 'cache-control': 'max-age=86400' }).end();
    for (const prefix in STATIC)
      if (path.startsWith(prefix)) {
        const file = normalize(join(STATIC[prefix], path.slice(prefix.length)));
        if (!file.startsWith(STATIC[prefix])) break;
        return await serveFile(res, file);
      }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  } catch (e) {
    console.error('[demo] request failed:', e);
    if (!res.headersSent) res.writeHead(500).end('internal error');
  }
});

server.listen(port, host, () => {
  const base = `http://${host}:${server.address().port}`;
  console.log(`chat-vitals demo is up (alert window ${windowMs / 1000} s, data in ${process.env.DEMO_DATA_DIR || '.data/'})
  chat, ES module import:  ${base}/
  chat, script tag:        ${base}/script-tag.html
  ingest dashboard:        ${base}/dashboard
  ingest endpoint:         ${base}/ingest   (metrics: ${base}/api/metrics, Prometheus: ${base}/metrics)
Ctrl-C stops it.`);
});

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: closing the server and the ingest store…`);
  // An open chat keeps its keep-alive connections busy (it polls every second), which would hold
  // close() open for minutes: idle ones close now, busy ones after their current answer, and
  // whatever still runs after a grace period (a stream) is cut. The SDK keeps events until the
  // ingest acknowledged them, so a cut request loses nothing: it is sent again next time.
  const closed = new Promise((r) => server.close(r));
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), 2000);
  await closed;
  clearTimeout(cut);
  await ingest.close();
  console.log('stopped; nothing lost.');
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
