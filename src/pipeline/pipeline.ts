// Memory → IndexedDB → ingest, losing nothing silently. See types.ts for the contract.
import type { ChatVitalsEvent } from '../types';
import { CAP_MS, retryable, wait } from './backoff';
import { chunk } from './chunk';
import { beacon } from './exit';
import { withLock } from './lock';
import { openStore } from './store';
import { post } from './transport';
import { trim } from './trim';
import type { Batch, Pipeline, PipelineOptions } from './types';

/** Backoff state kept beside the queue (key 's'), so a reload does not reset it into a request storm. */
interface Backoff {
  k: 's';
  f: number;
  n: number;
}

const count = (list: Batch[]) => list.reduce((n, b) => n + b.e.length, 0);

export function createPipeline(o: PipelineOptions): Pipeline {
  const store = openStore(o.dbName);
  /** Hot path buffer: events not yet batched. */
  let mem: ChatVitalsEvent[] = [];
  /** Per type counts of `mem`, for the backlog cap. */
  let perType: Record<string, number> = {};
  /** Batches IndexedDB could not take (missing, hung, failing): the memory fallback. */
  let outbox: Batch[] = [];
  let drops: Record<string, number> = {};
  /** Events in IndexedDB as last seen. */
  let stored = 0;
  /** Until the first read, IndexedDB may hold batches from earlier visits: keep a timer for them. */
  let unread = 1;
  let sent = 0;
  let dropped = 0;
  let retries = 0;
  let failures = 0;
  let nextAt = 0;
  let seq = 0;
  let closed = 0;
  /** Falsy when no flush is scheduled; one that fired keeps its stale handle until that flush reschedules. */
  let timer: ReturnType<typeof setTimeout> | 0 | false | undefined;

  const warn = (what: string) => (e: unknown) => o.warn('pipeline:' + what, what + ' failed: ' + e);

  const drop = (reason: string, n = 1) => {
    if (n) (drops[reason] = (drops[reason] || 0) + n), (dropped += n);
  };

  /** Drains memory into keyed request-sized batches (synchronous); first hands drop counts to the core, which pushes `dropped` events in. */
  function take(): Batch[] {
    const d = drops;
    drops = {};
    for (const reason in d)
      try {
        o.onDropped(d[reason], reason);
      } catch (e) {
        warn('onDropped')(e);
      }
    const batches = chunk(
      mem,
      o.header(),
      o.maxBatchBytes,
      // Keys sort by time (a 13-digit epoch); the sequence and the random part keep every batch of every tab apart.
      () => 'b:' + o.now() + seq++ + o.random(),
      () => drop('oversize'),
    );
    mem = [];
    perType = {};
    return batches;
  }

  /** One IndexedDB write of the new batches plus any the memory fallback holds; on failure they stay in memory. */
  async function save(recs: Batch[]) {
    const all = outbox.concat(recs);
    const n = count(all); // now: delivery may empty these batches meanwhile
    if (!n) return;
    outbox = [];
    try {
      await store._write(all).catch(async (e) => {
        if (e?.name != 'QuotaExceededError') throw e;
        // Disk full: delete our oldest stored batches, as many events as we need to write, counted as dropped.
        const gone: string[] = [];
        let freed = 0;
        for (const b of await store._read()) if (freed < n) gone.push(b.k), (freed += b.e.length);
        await store._write([], gone);
        stored = Math.max(0, stored - freed);
        drop('quota', freed);
        await store._write(all);
      });
      stored += n;
    } catch (e) {
      warn('storage')(e);
      outbox.push(...all);
    }
  }

  /**
   * Under the send lock: read every stored batch (ours, other tabs', earlier visits'), bound, send
   * oldest first until a failure worth retrying; what got a final answer (2xx, or a 4xx: dropped) goes.
   */
  async function deliver() {
    const disk = await store._read().catch(() => []); // no IndexedDB: only the memory fallback is left
    unread = 0;
    const all = outbox.concat(disk);
    const changed = trim(all, o.now(), o, failures, drop);
    stored = count(all) - count(outbox);
    const before = failures;
    for (const b of all.filter((b) => b.e.length)) {
      const [status, retryAfter] = await post(o, b);
      if (retryable(status)) {
        failures++;
        retries++;
        nextAt = o.now() + wait(failures, o.random, retryAfter, o.now());
        break;
      }
      if (status < 300) sent += b.e.length;
      else drop('rejected-' + status, b.e.length);
      failures = nextAt = 0;
      // Where it is now: an exit handler may have moved it from memory to disk meanwhile.
      if (!outbox.includes(b)) stored -= b.e.length;
      b.e = [];
      changed.push(b);
    }
    // Emptied batches leave memory (no await from reading `outbox` to replacing it: nothing added meanwhile is lost)...
    outbox = outbox.filter((b) => b.e.length);
    // ...and disk, in one write that also rewrites what the bounds changed and, while delivery fails
    // or has just recovered, keeps the backoff (deleting a key that is not on disk is harmless).
    const put: (Batch | Backoff)[] = changed.filter((b) => b.e.length && !outbox.includes(b));
    if (failures || before) put.push({ k: 's', f: failures, n: nextAt });
    await store._write(put, changed.map((b) => b.k)).catch(warn('storage'));
  }

  async function run() {
    try {
      await save(take());
      if (o.now() >= nextAt) await withLock(o.dbName + ':send', deliver);
      // Drops found while delivering (and events tracked meanwhile) are persisted now, sent next time.
      await save(take());
    } catch (e) {
      warn('flush')(e);
    }
    schedule();
  }

  /** The timer runs only while something waits: an idle page has none. */
  function schedule() {
    clearTimeout(timer as undefined);
    timer =
      !closed &&
      (mem.length || stored || outbox.length || unread) &&
      setTimeout(flush, Math.max(o.flushIntervalMs, nextAt - o.now()));
  }

  let chain: Promise<void> = store
    ._get<Backoff>('s')
    .then((b) => {
      // Clamp: a stored time far ahead (clock changed) must not silence us for longer than one cap.
      if (b && b.f > failures) (failures = b.f), (nextAt = Math.min(b.n, o.now() + CAP_MS));
    })
    .catch(() => {});

  /** Flushes run one after another; this never rejects. */
  function flush(): Promise<void> {
    return (chain = chain.then(run));
  }

  function onExit(e: Event) {
    try {
      if (e.type == 'pagehide' || document.visibilityState == 'hidden') {
        const recs = take();
        // While the ingest is failing a beacon would fail too (and we could not tell): only persist then.
        if (!failures) beacon(recs, o);
        // Start the IndexedDB write now, not after some await: it may not finish; if it does and the
        // beacon also arrived, the next flush sends these again, which the ingest dedupes by id.
        save(recs).then(schedule);
      }
    } catch (err) {
      warn('page exit')(err);
    }
  }

  // Without a window or document (a worker, Node) there is no page exit to watch.
  try {
    addEventListener('pagehide', onExit);
    document.addEventListener('visibilitychange', onExit);
  } catch {}
  // Batches left by earlier visits (reload, closed tab, crashed renderer) go out now.
  flush();

  return {
    push(ev) {
      if (closed) return;
      mem.push(ev);
      const t = ev.type;
      // While delivery fails, bound memory per type (oldest out); while it works, a burst goes out whole.
      if ((perType[t] = (perType[t] || 0) + 1) > o.maxEventsPerType && failures) {
        mem.splice(
          mem.findIndex((x) => x.type == t),
          1,
        );
        perType[t]--;
        drop('overflow');
      }
      if (!timer) schedule();
    },
    flush,
    async shutdown() {
      try {
        removeEventListener('pagehide', onExit);
        document.removeEventListener('visibilitychange', onExit);
      } catch {}
      closed = 1; // before the last flush runs: it schedules nothing
      await flush();
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
