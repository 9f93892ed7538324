// One session per tab (sessionStorage), shared by reloads and page navigations in that tab, so the
// session-level sampling decision is stable: a sampled session keeps all its pages.
import { randomChars } from './ids';

const KEY = 'chat-vitals:session';

export function sessionId(): string {
  const id = randomChars(8) + randomChars(8);
  try {
    const existing = sessionStorage[KEY];
    if (existing?.length === 16) return existing;
    sessionStorage[KEY] = id;
  } catch {
    // No storage (opaque origin, sandboxed iframe, Node): a session per page load.
  }
  return id;
}

/** Deterministic in the session id, so every page of a session gets the same answer. */
export function isSampled(session: string, rate: number): boolean {
  return parseInt(session.slice(0, 6), 36) / 36 ** 6 < rate;
}
