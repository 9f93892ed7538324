// Memory → IndexedDB → ingest, losing nothing silently. See types.ts for the contract.
import type { ChatVitalsEvent } from '../types';
import { backoff, CAP_MS, retryable, retryAfterMs } from './backoff';
import { body, chunk } from './chunk';
import { beacon, pageBeacon } from './exit';
import { withLock } from './lock';
import { openStore } from './store';
import { gzip, post } from './transport';
import { trim } from './trim';
import type { Batch, Keyed, Pipeline, PipelineOptions } from './types';

const isBatch = (b: Batch | undefined): b is Batch => !!b && !!b.h && Array.isArray(b.e) && b.s > 0;

export function createPipeline(o: PipelineOptions): Pipeline {
  const store = openStore(o.dbName);
  /** Hot path buffer: events not yet batched. */
  let mem: ChatVitalsEvent[] = [];
  /** Per type counts of `mem`, for the backlog cap. */
  let perType: Record<string, number> = {};
  /** Batches IndexedDB could not take (missing, hung, failing): the memory fallback. */
  let outbox: Keyed[] = [];
  const drops: Record<string, number> = {};
  let stored = 0;
  /** Until the first read, IndexedDB may hold batches from earlier visits: keep a timer for them. */
  let unread = true;
  let sent = 0;
  let dropped = 0;
  let retries = 0;
  let failures = 0;
  let nextAt = 0;
  let seq = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const guard = (what: string, e: unknown) => {
    try {
      o.warn('pipeline:' + what, `chat-vitals delivery: ${what} failed: ${String(e)}`);
    } catch {
      // a throwing warn must not take the pipeline down with it
    }
  };

  const drop = (reason: string, n: number) => {
    drops[reason] = (drops[reason] || 0) + n;
    dropped += n;
  };

  /** Hands accumulated drop counts to the core, which pushes `dropped` events back in. */
  function report() {
    for (const reason in drops) {
      const n = drops[reason];
      delete drops[reason];
      try {
        o.onDropped(n, reason);
      } catch (e) {
        guard('onDropped', e);
      }
    }
  }

  const key = () => `b:${o.now()}:${o.random().toString(36).slice(2, 8)}${seq++}`;

  /** Drains memory into keyed request-sized batches (synchronous). */
  function take(): Keyed[] {
    report();
    if (!mem.length) return [];
    const { batches, oversize } = chunk(mem, o.header(), o.maxBatchBytes);
    mem = [];
    perType = {};
    if (oversize) drop('oversize', oversize);
    return batches.map((b): Keyed => [key(), b]);
  }

  const count = (list: Keyed[]) => list.reduce((n, r) => n + r[1].e.length, 0);

  /** One IndexedDB write of the new batches plus any the memory fallback holds; on failure they stay in memory. */
  async function save(recs: Keyed[]): Promise<void> {
    const all = outbox.concat(recs);
    if (!all.length) return;
    outbox = [];
    try {
      try {
        await store._write(all);
      } catch (e) {
        if ((e as Error)?.name !== 'QuotaExceededError') throw e;
        await makeRoom(count(all));
        await store._write(all);
      }
      stored += count(all);
    } catch (e) {
      guard('storage', e);
      outbox.push(...all);
    }
  }

  /** Disk full: delete our oldest stored batches, as many events as we need to write, counted as dropped. */
  async function makeRoom(events: number) {
    const old = await store._read();
    const gone: string[] = [];
    let n = 0;
    for (const [k, b] of old) {
      if (n >= events) break;
      gone.push(k);
      n += b.e.length;
    }
    await store._write([], gone);
    stored = Math.max(0, stored - n);
    drop('quota', n);
  }

  /** Sends one batch: gzip for regular flushes when asked for and available. */
  async function send(b: Batch) {
    const text = body(b, o.now());
    const gz = o.compress ? await gzip(text) : undefined;
    const url = gz ? o.endpoint + (o.endpoint.includes('?') ? '&' : '?') + 'enc=gzip' : o.endpoint;
    return post(o.fetch, url, gz || text, gz ? gz.byteLength : b.s);
  }

  /** Under the send lock: read every stored batch (ours, other tabs', earlier visits'), bound, send, delete on 2xx. */
  async function deliver(): Promise<void> {
    let disk: Keyed[] = [];
    unread = false;
    try {
      disk = await store._read();
    } catch {
      // no IndexedDB: only the memory fallback is left to send
    }
    const bad = disk.filter((r) => !isBatch(r[1])).map((r) => r[0]);
    const mine = new Set(outbox.map((r) => r[0]));
    const t = trim(disk.filter((r) => isBatch(r[1])).concat(outbox), o.now(), o, failures > 0);
    for (const reason in t.drops) drop(reason, t.drops[reason]);
    // No await since reading `outbox` above: replacing it loses nothing pushed meanwhile.
    outbox = t.keep.filter((r) => mine.has(r[0]));
    const changed = [...t.changed].filter((k) => !mine.has(k));
    if (changed.length || bad.length)
      await store
        ._write(
          t.keep.filter((r) => t.changed.has(r[0]) && !mine.has(r[0])),
          changed.concat(bad),
        )
        .catch((e) => guard('storage', e));
    stored = count(t.keep) - count(outbox);
    const before = failures;
    for (const [k, b] of t.keep) {
      const { status, retryAfter } = await send(b);
      if (retryable(status)) {
        failures++;
        retries++;
        nextAt = o.now() + (retryAfterMs(retryAfter, o.now()) ?? backoff(failures, o.random));
        break;
      }
      if (status >= 200 && status < 300) sent += b.e.length;
      else drop('rejected-' + status, b.e.length);
      failures = 0;
      nextAt = 0;
      if (mine.has(k)) outbox = outbox.filter((r) => r[0] !== k);
      else {
        stored -= b.e.length;
        await store._write([], [k]).catch((e) => guard('storage', e));
      }
    }
    if (failures || before) await store._setBackoff({ f: failures, n: nextAt }).catch(() => undefined);
  }

  async function run(): Promise<void> {
    try {
      clearTimeout(timer);
      timer = undefined;
      await save(take());
      if (o.now() >= nextAt) await withLock(o.dbName + ':send', deliver);
      // Drops found while delivering go out with the next flush.
      if (Object.keys(drops).length) await save(take());
    } catch (e) {
      guard('flush', e);
    } finally {
      schedule();
    }
  }

  /** The timer runs only while something waits: an idle page has none. */
  function schedule() {
    clearTimeout(timer);
    timer = undefined;
    if (closed || !(mem.length || stored || outbox.length || unread)) return;
    timer = setTimeout(flush, Math.max(o.flushIntervalMs, nextAt - o.now()));
  }

  let chain: Promise<void> = store
    ._getBackoff()
    .then((b) => {
      // Clamp: a stored time far ahead (clock changed) must not silence us for longer than one cap.
      if (b && b.f > failures) (failures = b.f), (nextAt = Math.min(b.n, o.now() + CAP_MS));
    })
    .catch(() => undefined);

  /** Flushes run one after another; this never rejects. */
  function flush(): Promise<void> {
    return (chain = chain.then(run));
  }

  function onExit(e: Event) {
    try {
      if (e.type !== 'pagehide' && document.visibilityState !== 'hidden') return;
      const recs = take();
      if (!recs.length) return;
      // While the ingest is failing a beacon would fail too (and we could not tell): only persist then.
      if (!failures) beacon(recs.map((r) => r[1]), o.endpoint, o.now(), o.sendBeacon || pageBeacon(), o.fetch);
      // Start the IndexedDB write now, not after some await: it may not finish; if it does and the
      // beacon also arrived, the next flush sends these again, which the ingest dedupes by id.
      void save(recs).then(schedule);
    } catch (err) {
      guard('page exit', err);
    }
  }

  const listen = typeof addEventListener == 'function' && typeof document != 'undefined';
  if (listen) {
    addEventListener('pagehide', onExit);
    document.addEventListener('visibilitychange', onExit);
  }
  // Batches left by earlier visits (reload, closed tab, crashed renderer) go out now.
  void flush();

  return {
    push(ev) {
      if (closed) return;
      mem.push(ev);
      const t = ev.type;
      const n = (perType[t] = (perType[t] || 0) + 1);
      // While delivery fails, bound memory per type (oldest out); while it works, a burst goes out whole.
      if (failures && n > o.maxEventsPerType) {
        mem.splice(
          mem.findIndex((x) => x.type === t),
          1,
        );
        perType[t]--;
        drop('overflow', 1);
      }
      if (!timer) timer = setTimeout(flush, o.flushIntervalMs);
    },
    flush,
    async shutdown() {
      if (closed) return;
      if (listen) {
        removeEventListener('pagehide', onExit);
        document.removeEventListener('visibilitychange', onExit);
      }
      const last = flush();
      closed = true;
      await last;
      clearTimeout(timer);
      timer = undefined;
    },
    stats: () => ({
      queued: mem.length + count(outbox),
      stored,
      sent,
      dropped,
      retries,
      consecutiveFailures: failures,
      nextAttemptAt: nextAt,
    }),
  };
}
