// The durable half of the queue: batches in IndexedDB, one object store ('queue'), one cached connection.
// Every call settles within a bounded time; the pipeline keeps in memory what a failed write held.
import { promisifyRequest } from 'idb-keyval';
import type { Batch } from './types';

export interface Store {
  /** One transaction: delete these keys, then put these values, each under its `k` (a key in both ends up rewritten). */
  _write<T extends { k: string }>(put: T[], del?: string[]): Promise<unknown>;
  /** Every record (the batches, keys `b:…`, oldest first, and the backoff, key `s`), its `k` set from the key (so even garbage can be deleted). */
  _read(): Promise<Batch[]>;
}

/** Safari 14 could leave indexedDB.open() pending forever; past this we give up on IndexedDB for the page. */
export const IDB_TIMEOUT_MS = 1500;

/** Opens the database, creating its one object store, 'queue', on first use. */
function openDb(name: string): Promise<IDBDatabase> {
  const req = indexedDB.open(name);
  req.onupgradeneeded = () => req.result.createObjectStore('queue');
  return promisifyRequest(req);
}

export function openStore(dbName: string): Store {
  /** The open connection, cached; dropped on any failure, a close or a delete, so the next call reopens. */
  let db: Promise<IDBDatabase> | undefined;
  let dead: Error | undefined;

  // Any failure drops the cached connection, so the next call opens a fresh one; what the failed call
  // held stays in the pipeline's memory.
  const run = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => T | PromiseLike<T>) =>
    new Promise<T>((resolve, reject) => {
      if (dead) throw dead;
      (db ||= openDb(dbName))
        .then((d) => {
          // Someone deletes the database (devtools, "clear site data", a test): let them, and reopen on
          // the next call; likewise when the browser closes the connection under us (Safari).
          d.onclose = d.onversionchange = () => {
            d.close();
            db = undefined;
          };
          return fn(d.transaction('queue', mode).objectStore('queue'));
        })
        .then(resolve, (e) => {
          db = undefined;
          reject(e);
        })
        .finally(() => clearTimeout(timer));
      const timer = setTimeout(() => reject((dead = Error('IndexedDB hung'))), IDB_TIMEOUT_MS);
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
