// Issue 6 items 14-15: many concurrent beacon clients against one ingest URL, and what the store must hold after.
// Each client has its own keep-alive connection and posts batches back to back, like widgets flushing; it
// keeps a batch until a 202 (a network error means the outcome is unknown: retry, as the SDK does), and now
// and then re-posts a batch that was already acknowledged (a lost 202), which must count as duplicates.
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface LoadOptions {
  url: () => string;
  clients: number;
  durationMs: number;
  /** Events per batch. */
  batchSize: number;
  /** Distinguishes this run's ids and app. */
  run: string;
  /** Give up retrying a batch this long after the end of the run. */
  drainMs?: number;
  /** Called when the timed run starts (every client connected and answered once). */
  onStart?: () => void;
}

export interface LoadResult {
  /** Every batch posted: its ids, and whether a 202 came back for it (first send or retry). */
  batches: Map<string, { ids: string[]; acked: boolean }>;
  /** Sum of `accepted` over all 202 answers, and of `duplicates`. */
  accepted: number;
  duplicates: number;
  /** Re-posts of acknowledged batches, and how many of their events came back as anything but duplicates. */
  replays: number;
  replaysNotDuplicate: number;
  statuses: Map<number, number>;
  networkErrors: number;
  /** Latency of every answered request, ms. */
  latencies: number[];
  /** Measured from when every client had been answered once (the warm-up batch is stored and checked too). */
  elapsedMs: number;
  warmupEvents: number;
  /** How long it took until every client had been answered once. */
  warmupMs: number;
}

const BATCH_ID = /^(.*)\.e\d+$/;
export const batchOf = (eventId: string) => BATCH_ID.exec(eventId)![1]!;

function makeEvent(id: string, ts: number, k: number) {
  switch (k % 6) {
    case 0:
    case 1:
      return { id, type: 'render', ts, messageId: `m${k}`, renderTime: 2 + (k % 23), contentLength: 120 + k };
    case 2:
      return { id, type: 'persistence', ts, operation: k % 4 ? 'save' : 'restore', success: true, duration: 3 + (k % 40) };
    case 3:
      return { id, type: 'api', ts, url: `/api/chat/${k}/messages`, method: 'POST', status: 200, duration: 60 + (k % 300), cached: k % 5 === 0 };
    case 4:
      return { id, type: 'tabsync', ts, latency: 1 + (k % 20), success: true, channel: 'chat' };
    default:
      return { id, type: 'scroll', ts, avgFps: 58, minFps: 45, jankPercentage: 3, frames: 240, duration: 4000, refreshRate: 60 };
  }
}

function post(agent: Agent, url: string, body: string): Promise<{ status: number; json: Record<string, any> | null }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/ingest`, { method: 'POST', agent, headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let json: Record<string, any> | null = null;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString());
        } catch {}
        resolve({ status: res.statusCode!, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const r: LoadResult = { batches: new Map(), accepted: 0, duplicates: 0, replays: 0, replaysNotDuplicate: 0, statuses: new Map(), networkErrors: 0, latencies: [], elapsedMs: 0, warmupEvents: 0, warmupMs: 0 };
  const warmStart = performance.now();
  let t0 = 0;
  let end = Infinity;
  let giveUp = performance.now() + 60_000; // for the warm-up

  const send = async (agent: Agent, body: string): Promise<Record<string, any> | undefined> => {
    const t = performance.now();
    try {
      const res = await post(agent, o.url(), body);
      r.latencies.push(performance.now() - t);
      r.statuses.set(res.status, (r.statuses.get(res.status) ?? 0) + 1);
      if (res.status !== 202) return undefined;
      r.accepted += res.json!.accepted;
      r.duplicates += res.json!.duplicates;
      return res.json!;
    } catch {
      r.networkErrors++;
      await new Promise((w) => setTimeout(w, 50));
      return undefined;
    }
  };

  // Every client connects and is answered once before the timed run. Under a saturated event loop Node
  // accepts new connections far more slowly than it serves open keep-alive ones, so without this the run
  // would measure ~130 busy clients while the rest wait in the accept queue, not 200 concurrent ones.
  let warm = 0;
  let go!: () => void;
  const started = new Promise<void>((r) => (go = r));
  const client = async (c: number) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let lastAcked: string | undefined;
    for (let b = 0; b === 0 || performance.now() < end; b++) {
      if (b === 1) {
        if (++warm === o.clients) {
          t0 = performance.now();
          r.warmupMs = t0 - warmStart;
          end = t0 + o.durationMs;
          giveUp = end + (o.drainMs ?? 30_000);
          r.latencies.length = 0;
          go();
          o.onStart?.();
        }
        await started;
      }
      if (lastAcked && b % 4 === 3) {
        // A client that never saw its 202 sends the same batch again.
        const json = await send(agent, lastAcked);
        if (json) {
          r.replays++;
          r.replaysNotDuplicate += o.batchSize - json.duplicates;
        }
        continue;
      }
      const key = `${o.run}.c${c}.b${b}`;
      const now = Date.now();
      const events = Array.from({ length: o.batchSize }, (_, k) => makeEvent(`${key}.e${k}`, now - 1000 + k, c * 1000 + b * 50 + k));
      const body = JSON.stringify({ v: 1, sdk: 'chat-vitals@load', app: o.run, release: `1.${c % 3}.0`, session: `s${c}`, page: '/chat', sentAt: now, events });
      const entry = { ids: events.map((e) => e.id), acked: false };
      r.batches.set(key, entry);
      while (!entry.acked && performance.now() < giveUp) entry.acked = (await send(agent, body)) !== undefined;
      lastAcked = entry.acked ? body : undefined;
    }
    agent.destroy();
  };
  await Promise.all(Array.from({ length: o.clients }, (_, c) => client(c)));
  r.elapsedMs = performance.now() - t0;
  // Throughput counts only the timed run: take the warm-up batches' events back out.
  r.warmupEvents = o.clients * o.batchSize;
  return r;
}

export function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}

export function describeLoad(label: string, r: LoadResult, batchSize: number): string {
  const lat = [...r.latencies].sort((a, b) => a - b);
  const acked = [...r.batches.values()].filter((b) => b.acked).length;
  const secs = r.elapsedMs / 1000;
  return (
    `${label}: ${r.batches.size} batches of ${batchSize} (${acked} acknowledged) in ${secs.toFixed(1)} s; ` +
    `${r.accepted} events accepted = ${Math.round((r.accepted - r.warmupEvents) / secs)} events/s, ${Math.round(r.latencies.length / secs)} requests/s; ` +
    `latency p50 ${quantile(lat, 0.5).toFixed(1)} ms, p99 ${quantile(lat, 0.99).toFixed(1)} ms, max ${lat.at(-1)?.toFixed(1)} ms; ` +
    `${r.replays} replays, statuses ${JSON.stringify(Object.fromEntries(r.statuses))}, network errors ${r.networkErrors}; ` +
    `all clients connected and answered once after ${(r.warmupMs / 1000).toFixed(1)} s (not timed)`
  );
}

/** What the SQLite file holds for one run: event ids, and the events folded into its buckets. */
export function readStore(dataDir: string, app: string) {
  const db = new Database(join(dataDir, 'chat-vitals.db'), { readonly: true });
  try {
    const ids = (db.prepare('SELECT id FROM events WHERE app = ?').pluck().all(app) as string[]);
    let folded = 0;
    for (const agg of db.prepare('SELECT agg FROM buckets WHERE app = ?').pluck().all(app) as string[]) folded += JSON.parse(agg).events.n;
    const integrity = db.pragma('quick_check', { simple: true });
    return { ids, folded, integrity };
  } finally {
    db.close();
  }
}
