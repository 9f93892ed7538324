// Node's BroadcastChannel is real: two channels of one name in this process talk like two tabs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { syncChannel, type SyncChannel } from '../../src/collectors/sync';
import type { TabSyncEvent } from '../../src/types';
import { captureEvents } from './capture';

const cap = captureEvents();
const tabsync = () => cap.events.filter((e): e is TabSyncEvent => e.type === 'tabsync');
const open: { close(): void }[] = [];
const channel = (name: string, timeoutMs = 100): SyncChannel => {
  const c = syncChannel(name, { timeoutMs });
  open.push(c);
  return c;
};
/** A raw peer on the wire, to play a tab that misbehaves. */
const raw = (name: string) => {
  const bc = new BroadcastChannel('chat-vitals:' + name);
  open.push(bc);
  return bc;
};
const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error('timed out waiting for ' + what);
};
const settle = () => new Promise((r) => setTimeout(r, 30));

afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

describe('syncChannel', () => {
  it('the receiving tab gets the data and records a successful latency', async () => {
    const a = channel('t1');
    const b = channel('t1');
    const got: unknown[] = [];
    b.onMessage((d) => got.push(d));
    await settle(); // hello / here
    expect(a.post({ draft: 'hi' })).toBe(true);
    await until(() => got.length === 1, 'delivery');
    expect(got).toEqual([{ draft: 'hi' }]);
    const [ev] = tabsync();
    expect(ev).toMatchObject({ success: true, channel: 't1' });
    expect(ev.latency).toBeGreaterThanOrEqual(0);
    // acked in time: no failure follows
    await new Promise((r) => setTimeout(r, 150));
    expect(tabsync().filter((e) => !e.success)).toHaveLength(0);
  });

  it('a lone tab posts without false failures', async () => {
    const a = channel('alone');
    expect(a.post(1)).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(tabsync()).toHaveLength(0);
  });

  it('a tab that left with bye is not waited for', async () => {
    const a = channel('left');
    const b = channel('left');
    await settle();
    b.close();
    await settle();
    a.post(1);
    await new Promise((r) => setTimeout(r, 150));
    expect(tabsync()).toHaveLength(0);
  });

  it('a listening tab that does not acknowledge → success:false once, then it is no longer expected', async () => {
    const ghost = raw('mute');
    const a = channel('mute', 50);
    ghost.postMessage({ k: 1, s: 'ghost' }); // "here", then silence
    await settle();
    a.post(1);
    await until(() => tabsync().length === 1, 'timeout failure');
    expect(tabsync()[0]).toMatchObject({ success: false, latency: 50, channel: 'mute' });
    a.post(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(tabsync()).toHaveLength(1);
  });

  it('a timeoutMs out of 10-60000 warns once and waits the default 1000 ms', async () => {
    const bad = [5, 60_001, NaN];
    const tabs = bad.map((t) => {
      const ghost = raw('slow' + t);
      const tab = channel('slow' + t, t);
      ghost.postMessage({ k: 1, s: 'ghost' }); // "here", then silence
      return tab;
    });
    await settle();
    for (const tab of tabs) tab.post(1);
    await new Promise((r) => setTimeout(r, 900));
    expect(tabsync()).toHaveLength(0);
    await until(() => tabsync().length === 3, 'timeout failures');
    expect(tabsync().map((e) => [e.success, e.latency])).toEqual(bad.map(() => [false, 1000]));
    expect(cap.warnings).toEqual(['[chat-vitals] syncChannel: bad timeoutMs; 1000 used']);
  });

  it('a sequence gap is counted and reported as a failed tabsync; a late message as reordered', async () => {
    const a = channel('seq');
    const peer = raw('seq');
    const t = performance.timeOrigin + performance.now();
    for (const q of [1, 4, 3]) peer.postMessage({ k: 3, s: 'p', q, t, d: q });
    await until(() => tabsync().length === 4, 'three messages');
    expect(a.stats).toEqual({ gaps: 2, reordered: 1 });
    expect(tabsync().map((e) => e.success)).toEqual([true, false, true, true]);
  });

  it('acknowledges each message to its sender', async () => {
    const a = channel('ack');
    const peer = raw('ack');
    const acks: unknown[] = [];
    peer.onmessage = (e) => e.data.k === 4 && acks.push(e.data);
    peer.postMessage({ k: 3, s: 'p', q: 1, t: performance.timeOrigin + performance.now(), d: 0 });
    await until(() => acks.length === 1, 'ack');
    expect(acks[0]).toMatchObject({ to: 'p', q: 1 });
    void a;
  });

  it('uncloneable data and post after close return false with a warning, never throw', async () => {
    const a = channel('bad');
    expect(a.post(() => 1)).toBe(false);
    a.close();
    expect(a.post(1)).toBe(false);
    expect(cap.warnings.join('\n')).toMatch(/post failed: DataCloneError[\s\S]*syncChannel: post after close/);
    expect(tabsync()).toHaveLength(0);
  });

  it('without BroadcastChannel: post is false, one warning, nothing reported', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    try {
      const a = syncChannel('none');
      expect(a.post(1)).toBe(false);
      expect(() => a.close()).not.toThrow();
      expect(cap.warnings.filter((w) => /syncChannel: off: .*BroadcastChannel/.test(w))).toHaveLength(1);
      expect(cap.warnings).toHaveLength(1); // post on a channel that never opened: no second warning
      expect(tabsync()).toHaveLength(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
