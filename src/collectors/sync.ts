// syncChannel(): the widget's cross-tab messages over BroadcastChannel, measured. Each message carries
// its sender, a sequence number and its send time on timeOrigin + now() (comparable across tabs); the
// receiving tab records the latency and acknowledges. The sender records a failure when a tab known to
// be listening does not acknowledge within timeoutMs. Tabs announce themselves (hello/here) and leave
// (bye at pagehide or close), so a lone tab, or one whose peers have left, never reports false failures.
import { randomChars } from '../core/ids';
import { record } from '../core/record';
import { DEV } from '../core/warn';
import { optionMs, say } from './say';
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

const PAGE_EVENTS = ['pagehide', 'pageshow'];

export function syncChannel(name: string, options?: SyncChannelOptions): SyncChannel {
  const me = randomChars(8);
  /**
   * The tabs known to be listening, each with the last sequence number it has answered for (or ours
   * when it joined: nothing sent before is expected of it). Messages up to that number are settled.
   */
  const peers = new Map<string, number>();
  const lastSeq = new Map<string, number>();
  const listeners = new Set<(data: unknown) => void>();
  const stats = { gaps: 0, reordered: 0 };
  let seq = 0;
  // Both set by the setup below before the BroadcastChannel opens; read only once it is open.
  let channel: string;
  let timeoutMs: number;
  let bc: BroadcastChannel | undefined;
  let closed = true;

  const report = (latency: number, success: boolean) => record({ type: 'tabsync', latency, success, channel });
  const send = (k: number, extra?: Partial<Wire>) => bc!.postMessage({ k, s: me, ...extra });
  // A page entering the back/forward cache cannot answer: it says bye and forgets its peers (nothing
  // pending can fail), and says hello again when shown, which the others answer.
  const onPage = (e: Event) => {
    try {
      e.type == 'pagehide' ? (send(BYE), peers.clear()) : send(HELLO);
    } catch {}
  };

  try {
    channel = String(name).slice(0, 64);
    timeoutMs = optionMs(options?.timeoutMs, 1000, 10, 60_000, 'syncChannel: bad timeoutMs');
    bc = new BroadcastChannel('chat-vitals:' + channel);
    bc.onmessage = (e: MessageEvent<Wire>) => {
      try {
        const w = e.data;
        const from = w.s;
        if (typeof from != 'string') return; // not ours
        if (w.k == BYE) {
          peers.delete(from);
          lastSeq.delete(from);
          return;
        }
        // Any word from a tab means it is listening (again); an acknowledgement settles up to its number.
        peers.set(from, Math.max(peers.get(from) ?? seq, w.k == ACK && w.to == me ? w.q! : 0));
        if (w.k == HELLO) send(HERE);
        if (w.k == MSG) {
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
          for (const cb of listeners)
            try {
              cb(w.d);
            } catch (err) {
              // `if (DEV)`: without it the minifier keeps an empty call here in production builds.
              if (DEV) say('syncChannel: callback threw', err);
            }
        }
      } catch {}
    };
    // Page lifecycle listeners where the global scope takes them (a page; not Node).
    for (const type of PAGE_EVENTS) globalThis.addEventListener?.(type, onPage);
    send(HELLO);
    closed = false;
  } catch (e) {
    say('syncChannel: off', e);
  }

  return {
    post(data) {
      if (closed) {
        if (bc) say('syncChannel: post after close');
        return false;
      }
      const q = seq + 1;
      try {
        send(MSG, { q, t: wallNow(), d: data });
      } catch (e) {
        say('syncChannel: post failed', e);
        return false;
      }
      seq = q;
      if (peers.size)
        setTimeout(() => {
          // A tab that missed the deadline leaves the expected set until it speaks again, so a crashed
          // tab costs one failure, not one per message forever.
          const listening = peers.size;
          for (const [p, settled] of peers) if (settled < q) peers.delete(p);
          if (peers.size < listening) report(timeoutMs, false);
        }, timeoutMs);
      return true;
    },
    onMessage(cb) {
      if (typeof cb != 'function') {
        say('syncChannel: bad callback');
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
      peers.clear();
      listeners.clear();
      for (const type of PAGE_EVENTS) globalThis.removeEventListener?.(type, onPage);
    },
    stats,
  };
}
