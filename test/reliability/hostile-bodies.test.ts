// Issue 6 item 13, table-driven over test/reliability/hostile-corpus.ts: each hostile body gets its expected
// status (4xx with a reason, or 202 with the bad events rejected and counted), the server (in this process, so
// the prototype check is real) still answers /healthz, a rejected body changes nothing stored (event rows and
// the per-minute buckets' event count), a 202 stores exactly what it acknowledged, and Object.prototype is untouched.
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { getJson, startTestServer } from '../ingest/helpers';
import { CASES, type HostileCase } from './hostile-corpus';

let s: Awaited<ReturnType<typeof startTestServer>>;
let db: Database.Database;
beforeAll(async () => {
  s = await startTestServer(); // the shipped defaults (rate limit off: one client address posts everything)
  db = new Database(join(s.dir, 'chat-vitals.db'), { readonly: true });
});
afterAll(async () => {
  db?.close();
  await s?.close();
});

/** What is stored: raw event rows, and events folded into buckets (both must move together, by `accepted`). */
function stored() {
  const rows = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  let folded = 0;
  for (const { agg } of db.prepare('SELECT agg FROM buckets').all() as Array<{ agg: string }>) folded += JSON.parse(agg).events.n;
  return { rows, folded };
}

const snapshot = () =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join());
const pristine = snapshot();

/** Writes a whole HTTP request to a socket; the first answer's status and JSON body (Node's own 400 has none). */
function sendRaw(request: string): Promise<{ status: number; json: Record<string, any> | null }> {
  return new Promise((resolve, reject) => {
    const sock = connect(s.port, '127.0.0.1', () => sock.end(request));
    let data = '';
    sock.on('data', (d) => (data += d));
    sock.on('error', reject);
    sock.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      const body = data.slice(data.indexOf('\r\n\r\n') + 4);
      let json: Record<string, any> | null = null;
      try {
        json = JSON.parse(body);
      } catch {}
      resolve({ status, json });
    });
  });
}

async function send(c: HostileCase, body: string | Uint8Array) {
  if (c.raw) return sendRaw(body as string);
  const headers: Record<string, string> = {};
  if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'text/plain;charset=UTF-8';
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers };
  if (c.chunked) {
    // A stream body has no Content-Length: the server must count while it reads.
    init.body = new ReadableStream({
      start(ctl) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) ctl.enqueue(bytes.subarray(i, i + 64 * 1024));
        ctl.close();
      },
    });
    init.duplex = 'half';
  } else init.body = c.contentType === null ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : (bytes as Uint8Array<ArrayBuffer>);
  const res = await fetch(`${s.url}/ingest${c.query ?? ''}`, init);
  return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, any> | null };
}

test('the corpus has at least 40 cases, each with a unique name', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
  expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
});

for (const c of CASES) {
  test(`${c.name} → ${c.expect.status}`, { timeout: c.repeat ? 180_000 : 30_000 }, async () => {
    const before = stored();
    const n = c.repeat ?? 1;
    const answers: Array<Awaited<ReturnType<typeof send>>> = new Array(n);
    // Repeated cases go 20 at a time, as many clients would.
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < n; i = next++) answers[i] = await send(c, c.bodyAt ? c.bodyAt(i) : c.body());
    };
    await Promise.all(Array.from({ length: Math.min(20, n) }, worker));

    const e = c.expect;
    for (const r of answers) {
      expect(r.status, JSON.stringify(r.json)).toBe(e.status);
      if (e.status >= 400) {
        if (!c.raw) expect(typeof r.json?.error).toBe('string');
        if (e.error) expect(r.json!.error).toMatch(e.error);
      } else {
        expect(r.json).toMatchObject({
          ...(e.accepted !== undefined && { accepted: e.accepted }),
          ...(e.rejected !== undefined && { rejected: e.rejected }),
          ...(e.duplicates !== undefined && { duplicates: e.duplicates }),
        });
        // Every rejected event is counted, with reasons for the first ten.
        if (r.json!.rejected) expect(r.json!.errors.length).toBe(Math.min(10, r.json!.rejected));
      }
    }

    const grew = (e.status === 202 ? (e.accepted ?? 0) : 0) * n;
    expect(stored()).toEqual({ rows: before.rows + grew, folded: before.folded + grew });
    expect(snapshot()).toEqual(pristine);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await getJson(s.url, '/healthz')).json).toEqual({ ok: true });
    if (e.releasesAtMost !== undefined) {
      const app = JSON.parse(c.bodyAt!(0)).app as string;
      const releases = db.prepare('SELECT count(DISTINCT release) AS n FROM buckets WHERE app = ?').get(app) as { n: number };
      expect(releases.n).toBeLessThanOrEqual(e.releasesAtMost);
    }
  });
}

test('what was stored from hostile input is clean: well-formed labels, schema keys only, strings capped', () => {
  const rows = db.prepare('SELECT app, release, session, page, data FROM events').all() as Array<Record<string, string>>;
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) {
    for (const label of [r.app, r.release, r.session, r.page]) {
      expect(label.length).toBeLessThanOrEqual(256);
      expect(label).not.toMatch(/[\u0000-\u001f]/);
      expect(label.isWellFormed()).toBe(true);
    }
    const ev = JSON.parse(r.data) as Record<string, unknown>;
    expect(Object.getPrototypeOf(ev)).toBe(Object.prototype);
    for (const k of ['__proto__', 'constructor', 'prototype', 'extra', 'x']) expect(Object.prototype.hasOwnProperty.call(ev, k)).toBe(false);
    for (const v of Object.values(ev))
      if (typeof v === 'string') {
        expect(v.length).toBeLessThanOrEqual(256);
        expect(v.isWellFormed(), JSON.stringify(v)).toBe(true); // no lone surrogate kept as a JSON escape
      }
  }
});

test('the metrics API and Prometheus exposition still answer after the whole corpus', async () => {
  const m = await getJson(s.url, '/api/metrics?window=3600000');
  expect(m.status, JSON.stringify(m.json).slice(0, 300)).toBe(200);
  // Every stored event is within the last hour; compare with the buckets of the window the API says it used.
  const { from, to } = m.json.window as { from: number; to: number };
  const rows = db.prepare('SELECT minute, agg FROM buckets').all() as Array<{ minute: number; agg: string }>;
  const inWindow = rows.filter((r) => r.minute * 60_000 >= from && r.minute * 60_000 < to);
  expect(inWindow.length, JSON.stringify({ from, to, minutes: rows.map((r) => r.minute) })).toBe(rows.length);
  expect(m.json.events.total).toBe(stored().folded);
  const prom = await fetch(`${s.url}/metrics`);
  const text = await prom.text();
  expect(prom.status, text.slice(0, 300)).toBe(200);
  expect(text.isWellFormed()).toBe(true);
  // The release cap holds in the exposition too.
  const releases = new Set([...text.matchAll(/app="hostile-releases",release="([^"]*)"/g)].map((x) => x[1]));
  expect(releases.size, [...releases].join()).toBeGreaterThan(0);
  expect(releases.size, [...releases].join()).toBeLessThanOrEqual(51);
});
