// The API token check. A plain `!==` stops at the first differing character, so its timing tells an
// attacker how much of a guess was right; this comparison always reads the whole guess.

/** True when `guess` equals `secret`; the time taken depends only on the guess's length. */
export function sameSecret(guess: string, secret: string): boolean {
  let diff = guess.length ^ secret.length;
  for (let i = 0; i < guess.length; i++) diff |= guess.charCodeAt(i) ^ (secret.charCodeAt(i) || 0);
  return diff === 0;
}
