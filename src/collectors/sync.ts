// syncChannel(): the widget's cross-tab messages over BroadcastChannel, measured. Each message carries
// its sender, a sequence number and its send time on timeOrigin + now() (comparable across tabs); the
// receiving tab records the latency and acknowledges. The sender records a failure when a tab known to
// be listening does not acknowledge within timeoutMs. Tabs announce themselves (hello/here) and leave
// (bye at pagehide or close), so a lone tab, or one whose peers have left, never reports false failures.
import { randomChars } from '../core/ids';
import { record } from '../core/record';
import { say } from './say';
import { sequenceGap } from './sequence';
import { tenth, wallNow } from './time';

const HELLO = 0;
const HERE = 1;
const BYE = 2;
const MSG = 3;
const ACK = 4;

/** What goes over the BroadcastChannel (short keys: they are on every message). */
interface Wire {
  k: number;
  /** sender id */
  s: string;
  /** sequence number (MSG, ACK) */
  q?: number;
  /** send time, epoch ms on timeOrigin + now() (MSG) */
  t?: number;
  /** the widget's payload (MSG) */
  d?: unknown;
  /** addressee (ACK) */
  to?: string;
}

export interface SyncChannelOptions {
  /** How long a listening tab has to acknowledge a message before it counts as failed (default 1000 ms). */
  timeoutMs?: number;
}

export interface SyncChannel {
  /** Sends `data` to the other tabs. False when it could not be sent (closed, uncloneable, no BroadcastChannel). */
  post(data: unknown): boolean;
  /** Calls `cb` with each message's data from another tab. Returns the unsubscribe. */
  onMessage(cb: (data: unknown) => void): () => void;
  close(): void;
  /** Messages found missing (sequence gaps) and messages that came late or twice, as this tab saw them. */
  stats: { gaps: number; reordered: number };
}

export function syncChannel(name: string, options?: SyncChannelOptions): SyncChannel {
  const channel = String(name).slice(0, 64);
  let timeoutMs = options?.timeoutMs ?? 1000;
  if (!(timeoutMs >= 10 && timeoutMs <= 60_000)) {
    say('syncChannel: timeoutMs must be 10–60000; using 1000');
    timeoutMs = 1000;
  }
  const me = randomChars(8);
  const peers = new Set<string>();
  /** Per message sequence number, the peers that have not acknowledged it yet. */
  const waiting = new Map<number, Set<string>>();
  const lastSeq = new Map<string, number>();
  const listeners = new Set<(data: unknown) => void>();
  const stats = { gaps: 0, reordered: 0 };
  let seq = 0;
  let bc: BroadcastChannel | undefined;

  const report = (latency: number, success: boolean) => record({ type: 'tabsync', latency, success, channel });
  const send = (k: number, extra?: Partial<Wire>) => bc?.postMessage({ k, s: me, ...extra });
  const acked = (q: number, from: string) => {
    const left = waiting.get(q);
    if (left && left.delete(from) && !left.size) waiting.delete(q);
  };

  const onWire = (e: MessageEvent<Wire>) => {
    try {
      const w = e.data;
      const from = w && w.s;
      if (typeof from !== 'string') return; // not ours
      if (w.k === BYE) {
        peers.delete(from);
        lastSeq.delete(from);
        for (const q of [...waiting.keys()]) acked(q, from);
        return;
      }
      peers.add(from); // any word from a tab means it is listening (again)
      if (w.k === HELLO) send(HERE);
      else if (w.k === ACK) {
        if (w.to === me) acked(w.q!, from);
      } else if (w.k === MSG) {
        send(ACK, { to: from, q: w.q });
        // Sub-millisecond skew between the tabs' time origins can make a fast message look negative.
        const latency = Math.max(0, tenth(wallNow() - w.t!));
        const gap = sequenceGap(lastSeq, from, w.q!);
        if (gap < 0) stats.reordered++;
        else if (gap) {
          stats.gaps += gap;
          report(latency, false);
        }
        report(latency, true);
        for (const cb of listeners) {
          try {
            cb(w.d);
          } catch (err) {
            say('syncChannel: onMessage callback threw', err);
          }
        }
      }
    } catch {}
  };
  // A page entering the back/forward cache cannot answer: it says bye, and hello again if restored.
  const onHide = () => {
    try {
      send(BYE);
      waiting.clear();
    } catch {}
  };
  const onShow = (e: PageTransitionEvent) => {
    try {
      if (e.persisted) send(HELLO);
    } catch {}
  };

  // Page lifecycle listeners where there is a page (not in Node or a worker).
  const g = globalThis as unknown as Partial<Window>;
  try {
    bc = new BroadcastChannel('chat-vitals:' + channel);
    bc.onmessage = onWire;
    g.addEventListener?.('pagehide', onHide);
    g.addEventListener?.('pageshow', onShow);
    send(HELLO);
  } catch {
    bc = undefined;
    say('syncChannel: no BroadcastChannel; off');
  }
  let closed = !bc;

  return {
    post(data) {
      if (closed) {
        if (bc) say('syncChannel: post after close');
        return false;
      }
      try {
        bc!.postMessage({ k: MSG, s: me, q: seq + 1, t: wallNow(), d: data });
      } catch (e) {
        say('syncChannel: post failed', e);
        return false;
      }
      const q = ++seq;
      if (peers.size) {
        waiting.set(q, new Set(peers));
        setTimeout(() => {
          const left = waiting.get(q);
          if (!left) return;
          waiting.delete(q);
          // A tab that missed the deadline leaves the expected set until it speaks again, so a crashed
          // tab costs one failure, not one per message forever.
          for (const p of left) peers.delete(p);
          report(timeoutMs, false);
        }, timeoutMs);
      }
      return true;
    },
    onMessage(cb) {
      if (typeof cb !== 'function') {
        say('syncChannel: onMessage needs a function');
        return () => {};
      }
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        send(BYE);
        bc!.close();
      } catch {}
      waiting.clear();
      listeners.clear();
      g.removeEventListener?.('pagehide', onHide);
      g.removeEventListener?.('pageshow', onShow);
    },
    stats,
  };
}
