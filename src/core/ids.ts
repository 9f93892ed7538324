// Event ids are the ingest's idempotency key, so they must be unique across page loads and tabs, yet
// cheap and short (they are on the wire once per event): a random per-load prefix plus a counter.

/** `n` (≤ 10) random base-36 characters. Math.random is enough for uniqueness; nothing here is secret. */
export const randomChars = (n: number): string => (Math.random().toString(36) + '0000000000').slice(2, 2 + n);

let prefix = '';
let seq = 0;

/** 10 random characters (~51 bits) then a base-36 counter: "k3j9x2ab0q" + "1z". */
export function nextId(): string {
  return (prefix ||= randomChars(10)) + (seq++).toString(36);
}
