// The durable half of the queue: batches in IndexedDB through idb-keyval's createStore.
// Every call resolves or rejects within a bounded time; the pipeline keeps what a failed write held.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import type { Batch, Keyed } from './types';

/** Backoff state kept beside the queue, so a reload does not reset it into a request storm. */
export interface Backoff {
  f: number;
  n: number;
}

export interface Store {
  /** One transaction: delete these keys, then put these batches (a key in both ends up rewritten). */
  _write(put: Keyed[], del?: string[]): Promise<void>;
  /** Every stored batch, oldest key first. */
  _read(): Promise<Keyed[]>;
  _getBackoff(): Promise<Backoff | undefined>;
  _setBackoff(b: Backoff): Promise<void>;
}

/** Safari 14 could leave indexedDB.open() pending forever; past this we give up on IndexedDB for the page. */
export const IDB_TIMEOUT_MS = 1500;
const BACKOFF_KEY = 's';
/** Batch keys are `b:<time>:<rand>`; ';' follows ':' so this range holds exactly them. */
const batchKeys = () => IDBKeyRange.bound('b:', 'b;');

export function openStore(dbName: string): Store {
  let use: UseStore | undefined;
  let dead = false;

  const attempt = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => T | PromiseLike<T>): Promise<T> => {
    const u = (use ||= createStore(dbName, 'queue'));
    return u(mode, (s) => {
      const db = s.transaction.db;
      // Someone deletes the database (devtools, "clear site data", a test): let them, and reopen
      // on the next call. idb-keyval caches its connection promise, so we drop the whole store.
      db.onversionchange = () => {
        db.close();
        if (use === u) use = undefined;
      };
      return fn(s);
    }).catch((e: unknown) => {
      if (use === u) use = undefined;
      throw e;
    });
  };

  function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => T | PromiseLike<T>): Promise<T> {
    if (dead || typeof indexedDB == 'undefined') return Promise.reject(new Error('no IndexedDB'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        dead = true;
        reject(new Error('IndexedDB hung'));
      }, IDB_TIMEOUT_MS);
    });
    // A connection closed under us (InvalidStateError) is reopened once; a full disk is not retried.
    const op = Promise.resolve()
      .then(() => attempt(mode, fn))
      .catch((e: unknown) => {
        if ((e as Error)?.name === 'QuotaExceededError') throw e;
        return attempt(mode, fn);
      });
    return Promise.race([op, timeout]).finally(() => clearTimeout(timer));
  }

  const done = (s: IDBObjectStore) => promisifyRequest(s.transaction);

  return {
    _write: (put, del = []) =>
      run('readwrite', (s) => {
        for (const k of del) s.delete(k);
        for (const [k, b] of put) s.put(b, k);
        // Commit now rather than when control returns to the event loop: a page that is unloading
        // may never get there, and the write started in pagehide would be lost.
        s.transaction.commit?.();
        return done(s);
      }),
    _read: () =>
      run('readonly', (s) =>
        Promise.all([promisifyRequest(s.getAllKeys(batchKeys())), promisifyRequest(s.getAll(batchKeys()))]).then(
          ([keys, values]) => keys.map((k, i): Keyed => [String(k), values[i] as Batch]),
        ),
      ),
    _getBackoff: () => run('readonly', (s) => promisifyRequest(s.get(BACKOFF_KEY) as IDBRequest<Backoff | undefined>)),
    _setBackoff: (b) =>
      run('readwrite', (s) => {
        s.put(b, BACKOFF_KEY);
        return done(s);
      }),
  };
}
