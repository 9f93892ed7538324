// Shared by the ingest integration tests: a real server on 127.0.0.1 with a real SQLite file in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIngestServer, type ServerOptions } from '../../src/ingest';

export const quiet = { warn() {}, info() {}, error() {} };

export async function startTestServer(opts: ServerOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cv-ingest-'));
  const server = await startIngestServer({ port: 0, dataDir: dir, rateLimit: false, log: quiet, channels: [], ...opts });
  return {
    ...server,
    dir,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
export const uid = (p = 'e') => `${p}-${process.pid}-${++seq}`;

export function envelope(events: unknown[], extra: Record<string, unknown> = {}, now = Date.now()) {
  return { v: 1, sdk: 'chat-vitals@test', app: 'widget', release: '1.0.0', session: 's1', page: '/chat', sentAt: now, events, ...extra };
}

export const render = (renderTime: number, ts = Date.now()) => ({ id: uid('r'), type: 'render', ts, messageId: uid('m'), renderTime });
export const persistence = (operation: string, success: boolean, duration: number, extra: Record<string, unknown> = {}) => ({
  id: uid('p'),
  type: 'persistence',
  ts: Date.now(),
  operation,
  success,
  duration,
  ...extra,
});

export async function post(url: string, body: unknown, init: { query?: string; contentType?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${url}/ingest${init.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'text/plain;charset=UTF-8', ...init.headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json().catch(() => null)) as Record<string, any> | null };
}

export async function getJson(url: string, path: string) {
  const res = await fetch(url + path);
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

/** Rows in the server's SQLite file, read through a second (read-only) connection. */
export async function countStored(dir: string, where = '1'): Promise<number> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(dir, 'chat-vitals.db'), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM events WHERE ${where}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
