// The standalone Node server: the ingest handler on @hono/node-server with server-side timeouts for slow clients.
// @hono/node-server is imported when a server starts, so importing chat-vitals/ingest stays Web-standard.
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createIngest } from './app';
import type { IngestOptions } from './options';

export interface ServerOptions extends IngestOptions {
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (set 0.0.0.0 to listen on every interface). */
  host?: string;
  /** Whole request (headers and body) must arrive within this. Default 15 s. */
  requestTimeoutMs?: number;
  /** Headers must arrive within this. Default 5 s. */
  headersTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startIngestServer(options: ServerOptions = {}): Promise<RunningServer> {
  const { port = 8787, host = '127.0.0.1', requestTimeoutMs = 15_000, headersTimeoutMs = 5_000, ...rest } = options;
  const { serve } = await import('@hono/node-server');
  const ingest = createIngest(rest);
  await ingest.ready;
  const server = (await new Promise<Server>((resolve, reject) => {
    const s = serve(
      { fetch: ingest.fetch, port, hostname: host, serverOptions: { requestTimeout: requestTimeoutMs, headersTimeout: headersTimeoutMs } },
      () => resolve(s as Server),
    );
    s.once('error', reject);
  })) as Server;
  // server.close() only closes connections idle at that moment: a keep-alive connection whose request was in flight
  // would go on serving new requests, and a client or proxy that keeps using it holds the shutdown open forever.
  // Once closing, every response (in flight or new) closes its connection.
  let closing = false;
  const active = new Set<ServerResponse>();
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) return void (res.shouldKeepAlive = false);
    active.add(res);
    res.once('close', () => active.delete(res));
  });
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actual}`,
    port: actual,
    async close() {
      closing = true;
      for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await ingest.close();
    },
  };
}
