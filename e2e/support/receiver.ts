// A real HTTP receiver on 127.0.0.1 for the e2e tests: serves the built SDK and the test pages, and
// records every POST to /ingest exactly as the browser sent it. Its answers are scriptable, so a
// test can make the endpoint fail, throttle or recover. Tests that need the real ingest use
// startIngestServer from src/ingest instead.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { ChatVitalsEvent, Envelope } from '../../src/types';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STATIC: Record<string, string> = {
  '/dist/': join(ROOT, 'dist'),
  '/pages/': join(ROOT, 'e2e', 'pages'),
};
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css',
};

export interface IngestRequest {
  path: string;
  contentType: string;
  encoding: 'gzip' | 'plain';
  /** Bytes on the wire (after compression, if any). */
  bytes: number;
  status: number;
  envelope?: Envelope;
  at: number;
}

/** Decides the answer to one POST /ingest; return undefined for the default 202. */
export type Responder = (req: IngestRequest, index: number) => { status: number; headers?: Record<string, string> } | undefined;

export interface Receiver {
  origin: string;
  endpoint: string;
  requests: IngestRequest[];
  /** Envelopes of requests that were answered 2xx. */
  accepted(): Envelope[];
  /** Every accepted event, in arrival order (duplicates included). */
  events(): ChatVitalsEvent[];
  /** Distinct accepted event ids. */
  ids(): Set<string>;
  respond: Responder | undefined;
  /** Resolves once `predicate` holds for the accepted events, or rejects after `timeoutMs`. */
  waitFor(predicate: (events: ChatVitalsEvent[]) => boolean, timeoutMs?: number): Promise<ChatVitalsEvent[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: IngestRequest[] = [];
  const waiters = new Set<() => void>();
  const receiver: Receiver = {
    origin: '',
    endpoint: '',
    requests,
    respond: undefined,
    accepted: () => requests.filter((r) => r.status < 300 && r.envelope).map((r) => r.envelope!),
    events: () => receiver.accepted().flatMap((e) => e.events),
    ids: () => new Set(receiver.events().map((e) => e.id)),
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((ok, fail) => {
        const check = () => {
          const evs = receiver.events();
          if (predicate(evs)) {
            waiters.delete(check);
            clearTimeout(timer);
            ok(evs);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`receiver.waitFor timed out; ${receiver.events().length} events arrived`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    // Idle keep-alive connections (a page in the back/forward cache keeps its own) would hold close() open.
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };

  async function ingest(req: IncomingMessage, res: ServerResponse, url: URL) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const encoding = url.searchParams.get('enc') === 'gzip' ? 'gzip' : 'plain';
    const entry: IngestRequest = {
      path: url.pathname + url.search,
      contentType: String(req.headers['content-type'] ?? ''),
      encoding,
      bytes: raw.length,
      status: 202,
      at: Date.now(),
    };
    try {
      entry.envelope = JSON.parse((encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
    } catch {
      entry.status = 400;
    }
    const scripted = entry.status === 202 ? receiver.respond?.(entry, requests.length) : undefined;
    if (scripted) entry.status = scripted.status;
    requests.push(entry);
    res.writeHead(entry.status, { 'content-type': 'application/json', ...cors, ...scripted?.headers });
    res.end(JSON.stringify(entry.status < 300 ? { accepted: entry.envelope?.events.length ?? 0, duplicates: 0 } : { error: 'scripted' }));
    for (const w of [...waiters]) w();
  }

  async function serveStatic(res: ServerResponse, pathname: string) {
    const prefix = Object.keys(STATIC).find((p) => pathname.startsWith(p));
    if (!prefix) return notFound(res);
    const file = normalize(join(STATIC[prefix], pathname.slice(prefix.length)));
    if (!file.startsWith(STATIC[prefix])) return notFound(res);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      notFound(res);
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      return res.end();
    }
    if (req.method === 'POST' && url.pathname.startsWith('/ingest')) return void ingest(req, res, url);
    if (req.method === 'GET' && url.pathname === '/stream') return void stream(res, Number(url.searchParams.get('ms')) || 0);
    if (req.method === 'GET') return void serveStatic(res, url.pathname);
    notFound(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  receiver.origin = `http://127.0.0.1:${port}`;
  receiver.endpoint = `${receiver.origin}/ingest`;
  return receiver;
}

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers': 'content-type',
};

/** A reply streamed as an assistant's would be: headers and a first token now, the rest over `ms`. */
function stream(res: ServerResponse, ms: number) {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.write('Hello');
  setTimeout(() => res.end(', world.'), ms);
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}
