// Event ids are the ingest's idempotency key, so they must be unique across page loads and tabs, yet
// cheap and short (they are on the wire once per event): a random per-load prefix plus a counter.

/** `n` random base-36 characters, from crypto where the browser has it. */
export function randomChars(n: number): string {
  let out = '';
  const c = globalThis.crypto;
  const bytes = c && c.getRandomValues ? c.getRandomValues(new Uint8Array(n)) : undefined;
  for (let i = 0; i < n; i++) out += ((bytes ? bytes[i] : Math.random() * 256) % 36 | 0).toString(36);
  return out;
}

let prefix = '';
let seq = 0;

/** 10 random characters (~51 bits) then a base-36 counter: "k3j9x2ab0q" + "1z". */
export function nextId(): string {
  if (!prefix) prefix = randomChars(10);
  return prefix + (seq++).toString(36);
}
