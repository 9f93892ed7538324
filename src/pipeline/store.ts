// The durable half of the queue: batches in IndexedDB through idb-keyval's createStore.
// Every call settles within a bounded time; the pipeline keeps in memory what a failed write held.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { DEV } from '../core/warn';
import type { Batch } from './types';

export interface Store {
  /** One transaction: delete these keys, then put these values, each under its `k` (a key in both ends up rewritten). */
  _write<T extends { k: string }>(put: T[], del?: string[]): Promise<unknown>;
  /** Every record (the batches, keys `b:…`, oldest first, and the backoff, key `s`), its `k` set from the key (so even garbage can be deleted). */
  _read(): Promise<Batch[]>;
}

/** Safari 14 could leave indexedDB.open() pending forever; past this we give up on IndexedDB for the page. */
export const IDB_TIMEOUT_MS = 1500;

export function openStore(dbName: string): Store {
  let use: UseStore | undefined;
  let dead: Error | undefined;

  // Any failure (IndexedDB missing, a connection closed under us) drops the cached connection, so
  // the next call opens a fresh one; what the failed call held stays in the pipeline's memory.
  const run = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => T | PromiseLike<T>) =>
    new Promise<T>((resolve, reject) => {
      if (dead) throw dead;
      (use ||= createStore(dbName, 'queue'))(mode, (s) => {
        // Someone deletes the database (devtools, "clear site data", a test): let them, and reopen
        // on the next call. idb-keyval caches its connection promise, so we drop the whole store.
        s.transaction.db.onversionchange = function () {
          this.close();
          use = undefined;
        };
        return fn(s);
      })
        .then(resolve, (e) => {
          use = undefined;
          reject(e);
        })
        .finally(() => clearTimeout(timer));
      const timer = setTimeout(() => reject((dead = Error(DEV ? 'IndexedDB hung' : ''))), IDB_TIMEOUT_MS);
    });

  return {
    _write: (put, del = []) =>
      run('readwrite', (s) => {
        for (const k of del) s.delete(k);
        for (const v of put) s.put(v, v.k);
        // Commit now rather than when control returns to the event loop: a page that is unloading
        // may never get there, and the write started in pagehide would be lost.
        s.transaction.commit?.();
        return promisifyRequest(s.transaction);
      }),
    _read: () =>
      run('readonly', (s) =>
        Promise.all([promisifyRequest(s.getAllKeys()), promisifyRequest(s.getAll())]).then(([keys, values]) =>
          values.map((v, i) => ({ ...v, k: keys[i] as string })),
        ),
      ),
  };
}
