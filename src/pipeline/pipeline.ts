// Memory → IndexedDB → ingest, losing nothing silently. See types.ts for the contract.
import { DEV, warnOnce } from '../core/warn';
import type { ChatVitalsEvent } from '../types';
import { MAX_WAIT_MS, retryable, wait } from './backoff';
import { BATCH_BYTES, chunk } from './chunk';
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
  const store = openStore(o._dbName);
  /** Hot path buffer: events not yet batched. */
  const mem: ChatVitalsEvent[] = [];
  /** Batches IndexedDB could not take (missing, hung, failing): the memory fallback. */
  let outbox: Batch[] = [];
  const drops: Record<string, number> = {};
  /** Events in IndexedDB as last seen. */
  let stored = 0;
  /** Keys of batches a page-exit beacon delivered: the next flush deletes their persisted copies unsent. */
  const beaconed = new Set<string>();
  /** This tab's page-exit spill in localStorage (see onExit); read back by any later start. */
  const spillKey = o._dbName + 'b:~' + o._random();
  /** Until the first read, IndexedDB may hold batches from earlier visits: keep a timer for them. */
  let unread = 1;
  let sent = 0;
  let dropped = 0;
  let retries = 0;
  let failures = 0;
  let nextAt = 0;
  let seq = 0;
  let closed = 0;
  /** The next flush, if any (falsy when nothing waits). */
  let timer: ReturnType<typeof setTimeout> | 0 | false | undefined;

  const warn = (what: string, e: unknown) => warnOnce('pipeline:' + what, what + ' failed: ' + e);

  const drop = (reason: string, n = 1) => {
    if (n) (drops[reason] = (drops[reason] || 0) + n), (dropped += n);
  };

  /**
   * Drains memory into keyed request-sized batches, then makes one IndexedDB write of them plus any the
   * memory fallback holds. First hands drop counts to the core, which pushes `dropped` events in; while
   * delivery fails the counts wait here (until it works or the page goes away), so an outage that trims
   * every flush does not fill the queue with one report each. Up to the write all is synchronous: a page
   * exit starts it before anything else. The batches stay in memory until it is done, so a page exit
   * meanwhile spills them too (a closing page may never see that write commit); on failure (a full disk,
   * QuotaExceededError, included) they simply stay: still delivered while the page lives, and bounded
   * like the rest of the queue.
   */
  async function save(exit?: unknown, reportOnly?: unknown) {
    if (!failures || exit) {
      for (const reason in drops) {
        o._onDropped(drops[reason], reason); // the core's push: it does not throw
        delete drops[reason]; // (deleting the key being visited is safe in for-in)
      }
    }
    if (reportOnly) return;
    const all = (outbox = outbox.concat(
      chunk(
        mem.splice(0),
        o._header(),
        BATCH_BYTES,
        // Keys sort by time (a 13-digit epoch); the sequence and the random part keep every batch of every tab apart.
        () => 'b:' + o._now() + seq++ + o._random(),
        drop,
      ),
    ));
    const n = count(all); // now: delivery may empty these batches meanwhile
    if (!n) return;
    try {
      await store._write(all);
      outbox = outbox.filter((b) => !all.includes(b));
      return (stored += n);
    } catch (e) {
      warn('storage', e);
    }
  }

  /**
   * Under the send lock: read every stored batch (ours, other tabs', earlier visits'), bound (on every
   * flush while delivery fails, so the queue stays bounded between probes), and if a delivery is due
   * send oldest first until a failure worth retrying; what got a final answer (2xx, or a 4xx: dropped) goes.
   */
  async function deliver() {
    // No IndexedDB: only the memory fallback is left.
    const disk = (await store._read().catch(() => [] as Batch[])).filter((b) => {
      // A batch memory also holds (a save in flight, or a write after a read that failed: see below)
      // is taken from memory.
      if (b.k != 's') return !outbox.some((x) => x.k == b.k);
      // The backoff an earlier page left (read once): a reload must not restart it into a request storm.
      const s = b as unknown as Backoff;
      if (unread && s.f > failures) (failures = s.f), (nextAt = s.n);
    });
    const all = outbox.concat(disk);
    unread = 0;
    // Never further off than the longest wait: a stored time far ahead, or a wall clock stepped back
    // (NTP, a VM resumed) since the wait began, must not silence delivery for as long as the step.
    nextAt = Math.min(nextAt, o._now() + MAX_WAIT_MS);
    // Copies of what a page-exit beacon delivered: emptied, so trim() lists them and they are deleted.
    for (const b of all) if (beaconed.delete(b.k)) b.e = [];
    const changed = trim(all, o._now(), o, failures, drop);
    stored = count(disk); // what was read, as bounded and emptied above (in place)
    for (const b of all.filter((b) => b.e.length && o._now() >= nextAt)) {
      const [status, retryAfter] = await post(o, b);
      if (retryable(status)) {
        failures++;
        retries++;
        nextAt = o._now() + wait(failures, o._random, retryAfter);
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
    // ...and disk, in one write that also rewrites what the bounds changed and keeps the backoff
    // (deleting a key that is not on disk is harmless).
    await store
      ._write<Batch | Backoff>([{ k: 's', f: failures, n: nextAt }, ...changed.filter((b) => b.e.length && !outbox.includes(b))], changed.map((b) => b.k))
      .catch((e) => {
        // The stored copies are stale now: what was sent or dropped would go again. Memory keeps these
        // batches (the emptied ones too: their keys are deleted once a write works) in their place.
        warn('storage', e);
        outbox.push(...changed.filter((b) => !outbox.includes(b)));
      });
  }

  async function run() {
    try {
      // (A shutdown hands over the drop counts even while delivery fails: this is the last flush.)
      await save(closed);
      await withLock(o._dbName + ':send', deliver);
      // What delivering dropped is reported now; it and what was tracked meanwhile wait in memory for the next
      // flush, like any event: written now, they would sit undelivered in IndexedDB, out of reach of an exit
      // beacon until a next visit. A shutdown is the last flush: it writes them.
      await save(closed, !closed);
    } catch (e) {
      warn('flush', e);
    }
    schedule();
  }

  /**
   * The timer runs only while something waits: an idle page has none. Events in memory are flushed
   * (so persisted and bounded) every interval even during a backoff; only stored ones wait for it.
   */
  function schedule() {
    clearTimeout(timer as undefined);
    timer =
      !closed &&
      (mem.length || stored || outbox.length || unread) &&
      setTimeout(flush, Math.max(o.flushIntervalMs, mem.length ? 0 : nextAt - o._now()));
  }

  let chain = Promise.resolve();

  /** Flushes run one after another; this never rejects. */
  function flush(): Promise<void> {
    return (chain = chain.then(run));
  }

  function onExit(e: Event) {
    try {
      if (e.type == 'pagehide' || document.visibilityState == 'hidden') {
        // Start the IndexedDB write now, not after some await. Before it returns, save() has moved this
        // exit's batches into the memory fallback, so `outbox` is all that memory holds: them, and those
        // a flush took into a write still in flight (closed right after tracking) or IndexedDB refused.
        // (The beacon's marks still go into the write: its puts run after an await.)
        const saved = save(1);
        // While the ingest is failing a beacon would fail too (and we could not tell): only persist then.
        if (!failures) beacon(outbox, o, beaconed);
        // A closing page may be gone before the write is done, so what memory holds also goes to
        // localStorage now, synchronously: the memory fallback (what a save is still writing, this
        // exit's, an earlier hide's or a flush's, which may never commit either, and what IndexedDB
        // refused), the newest 8 batches (< 500 kB). All of them, not only what the beacon could not
        // carry: a refused beacon's keepalive fallback can be cut off by the close too (and it is the
        // smaller code). One spill per tab, rewritten at each hide; the next start moves it into the
        // queue; once the write is done it goes. No localStorage, or full: the IndexedDB write is all
        // there is.
        try {
          if (outbox.length) localStorage[spillKey] = JSON.stringify(outbox.slice(-8));
        } catch {}
        // If the page lives on, the next flush also deletes what the beacon took (see deliver).
        saved.then((ok) => {
          try {
            if (ok) delete localStorage[spillKey];
          } catch {}
          schedule();
        });
      }
    } catch (err) {
      warn('flush', err);
    }
  }

  // What a closing page spilled (see onExit) joins the queue; the first flush writes it to IndexedDB.
  // Each spill is read, removed, then parsed (JSON.parse's second argument is only there to delete
  // first), so garbage cannot fail every start; a record that is no batch (no key, no event array) is
  // left out: one with `e: null` in the memory fallback made every later save throw, losing its events.
  try {
    for (const k in localStorage)
      if (k.startsWith(o._dbName + 'b:'))
        for (const b of JSON.parse(localStorage[k], void delete localStorage[k])) if (typeof b?.k == 'string' && Array.isArray(b.e)) outbox.push(b);
  } catch {}
  // Without a window or document (a worker, Node) there is no page exit to watch.
  try {
    addEventListener('pagehide', onExit);
    document.addEventListener('visibilitychange', onExit);
  } catch {}
  // Batches left by earlier visits (reload, closed tab, crashed renderer) go out now.
  flush();

  return {
    push(ev) {
      // Not refused once closed: the final flush of shutdown() hands the drop counts to the core, which
      // pushes them back in here (the core itself ignores track calls after shutdown).
      // No bound here: every flush (each flushIntervalMs, backoff or not) applies it to the queue.
      if (mem.push(ev) < 2) schedule(); // the first event: the flush interval applies, not a backoff
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
    // Diagnostics, like the warnings: development builds only (core/warn.ts).
    stats: DEV
      ? () => ({
          queued: mem.length + count(outbox),
          stored,
          sent,
          dropped,
          retries,
          failures,
          nextAt,
        })
      : undefined,
  };
}
