// persistentStore(): localStorage with every operation timed and its outcome recorded (`persistence`
// events), errors classified by name, and data loss detected through a manifest beside the value
// (key + ':manifest'). Never throws: save returns whether the value is stored, restore the value or
// undefined.
import { record } from '../core/record';
import { say } from './say';
import { lostItems, manifestOf } from './manifest';
import { arrivedByNavigation } from './navigation';
import { storageErrorName } from './storage-error';
import { since } from './time';

export interface PersistentStore<T = unknown> {
  /** Stores `value` (JSON). False when it is not stored; a bad value (not JSON-serializable) warns and records nothing. */
  save(value: T): boolean;
  /** The stored value, or undefined (nothing stored, unreadable or storage blocked). */
  restore(): T | undefined;
  /** Removes the value and its manifest. False when storage refused. */
  remove(): boolean;
}

/** Keys whose first restore on this page has happened (the one that may count as 'navigation'). */
const restored = new Set<string>();

export function persistentStore<T = unknown>(key: string): PersistentStore<T> {
  let k: string;
  try {
    k = String(key);
  } catch (e) {
    say('persistentStore: bad key; off', e); // e.g. a Proxy whose traps throw
  }
  const mk = k! + ':manifest';
  const navigated = arrivedByNavigation();

  /** Runs `op` on localStorage and records the outcome; `op` returns the items lost, if any. */
  const run = (operation: string, op: (s: Storage) => number | void): boolean => {
    if (k === undefined) return false;
    const t0 = performance.now();
    let error: string | undefined;
    let lost: number | void | undefined;
    try {
      // No Web Storage at all (not a browser page): off. Where it exists but is denied, reading
      // window.localStorage itself throws SecurityError, which is an outcome to record.
      if (typeof localStorage == 'undefined') return say('persistentStore: no localStorage; off'), false;
      if ((lost = op(localStorage))) error = 'DataLoss';
    } catch (e) {
      error = storageErrorName(e);
    }
    record({ type: 'persistence', operation, success: !error, duration: since(t0), error, lost: lost || undefined });
    return !error;
  };

  return {
    save(value) {
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch {}
      return text === undefined
        ? (say('persistentStore: value not JSON'), false)
        : run('save', (s) => {
            // Manifest out first: whichever write fails (quota), no stale manifest is left to cry DataLoss
            // over a value it does not describe.
            s.removeItem(mk);
            s.setItem(k, text!);
            // Counted from what a restore will parse: undefined or function members and toJSON (a Date)
            // are not stored, and must not read as lost.
            s.setItem(mk, manifestOf(text!, JSON.parse(text!)));
          });
    },
    restore() {
      let value: T | undefined;
      run(navigated && !restored.has(k) ? 'navigation' : 'restore', (s) => {
        const text = s.getItem(k);
        try {
          value = JSON.parse(text ?? ''); // nothing stored: '' throws, so undefined
        } catch {}
        return lostItems(s.getItem(mk), text, value);
      });
      restored.add(k);
      return value;
    },
    remove: () =>
      run('delete', (s) => {
        s.removeItem(k);
        s.removeItem(mk);
      }),
  };
}
