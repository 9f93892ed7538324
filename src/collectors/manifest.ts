// Data-loss detection for persistentStore: beside each value a small manifest "count:checksum" (item
// count and FNV-1a of the serialized value). A restore that finds fewer items, or bytes that do not
// match, knows something was lost behind the store's back (eviction, another script, a partial write).

/** 32-bit FNV-1a over UTF-16 code units: tiny and fast; it detects change, it is not a security hash. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Items in a value: an array's length, an object's own keys, else 1 (0 for null). */
export function itemCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value === null) return 0;
  return typeof value === 'object' ? Object.keys(value as object).length : 1;
}

export const manifestOf = (serialized: string, value: unknown): string =>
  itemCount(value) + ':' + fnv1a(serialized).toString(36);

/**
 * Items lost between the save that wrote `manifest` and what a restore found. `serialized` is the
 * stored text (null: gone, so every saved item is lost), `value` its parse (undefined: unreadable).
 * 0 means intact, or no manifest to judge by. A changed checksum with as many items still counts as at
 * least one item lost.
 */
export function lostItems(manifest: string | null, serialized: string | null, value: unknown): number {
  const colon = manifest ? manifest.indexOf(':') : -1;
  if (colon < 0) return 0;
  const saved = Number(manifest!.slice(0, colon)) || 0;
  if (serialized === null) return saved;
  if (value === undefined) return Math.max(saved, 1);
  if (manifest!.slice(colon + 1) === fnv1a(serialized).toString(36)) return 0;
  return Math.max(saved - itemCount(value), 1);
}
