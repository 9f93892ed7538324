// Data-loss detection for persistentStore: beside each value a small manifest "count:checksum" (item
// count and FNV-1a of the serialized value). A restore that finds fewer items, or bytes that do not
// match, knows something was lost behind the store's back (eviction, another script, a partial write).

/** 32-bit FNV-1a over UTF-16 code units: tiny and fast; it detects change, it is not a security hash. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Items in a value: an array's length, an object's own keys, else 1 (0 for null and undefined). */
export const itemCount = (value: unknown): number =>
  value == null ? 0 : typeof value == 'object' ? Object.keys(value).length : 1;

export const manifestOf = (serialized: string, value: unknown): string =>
  itemCount(value) + ':' + fnv1a(serialized).toString(36);

/**
 * Items lost between the save that wrote `manifest` and what a restore found. `serialized` is the
 * stored text (null: gone, so every saved item is lost), `value` its parse (undefined: unreadable, so
 * all saved items are lost). 0 means intact, or no manifest to judge by. A changed checksum with as
 * many items still counts as at least one item lost.
 */
export function lostItems(manifest: string | null, serialized: string | null, value: unknown): number {
  const [saved, sum] = String(manifest).split(':');
  const found = serialized !== null;
  return sum === undefined || (found && manifest == manifestOf(serialized, value)) ? 0 : Math.max(+saved - itemCount(value) || 0, +found);
}
