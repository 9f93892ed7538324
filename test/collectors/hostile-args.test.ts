// @vitest-environment happy-dom
// Every public helper and collector factory with arguments meant to break it (e2e/api.spec.ts does the
// same through window.ChatVitals): nothing throws, nothing false is recorded, one warning per kind.
import { afterEach, describe, expect, it } from 'vitest';
import * as c from '../../src/collectors/index';
import { resolveConfig } from '../../src/core/config';
import { captureEvents } from './capture';

const cap = captureEvents();
const trap = () =>
  new Proxy(
    {},
    {
      get() {
        throw new Error('trap');
      },
    },
  );
const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;
const junk = () => [undefined, null, NaN, -1, Infinity, '', 'x'.repeat(100_000), Symbol('s'), cyclic, [], () => {}, {}, trap()];
const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((f) => f()));

describe('hostile arguments', () => {
  it('persistentStore(Proxy whose traps throw): no throw, an off store, one warning, no event', () => {
    let store: c.PersistentStore | undefined;
    expect(() => (store = c.persistentStore(trap() as never))).not.toThrow();
    expect(store!.save([1])).toBe(false);
    expect(store!.restore()).toBeUndefined();
    expect(store!.remove()).toBe(false);
    expect(cap.events).toEqual([]);
    expect(cap.warnings.filter((w) => w.includes('persistentStore: bad key; off: Error: trap'))).toHaveLength(1);
    expect(localStorage.length).toBe(0);
  });

  it('syncChannel(Proxy, Proxy): no throw, an off channel, one warning, no event', () => {
    let ch: c.SyncChannel | undefined;
    expect(() => (ch = c.syncChannel(trap() as never, trap() as never))).not.toThrow();
    expect(ch!.post(1)).toBe(false);
    expect(() => ch!.close()).not.toThrow();
    expect(cap.warnings).toEqual(['[chat-vitals] syncChannel: off: Error: trap']);
    // A good name with throwing options is off too, rather than half-open.
    expect(() => (ch = c.syncChannel('ok', trap() as never))).not.toThrow();
    expect(ch!.post(1)).toBe(false);
    expect(cap.events).toEqual([]);
  });

  it('every helper and factory, with every junk value in every position', async () => {
    const config = resolveConfig({ endpoint: '/ingest' })!;
    const values = junk();
    const proxy = values[values.length - 1];
    for (const a of values)
      for (const b of values) {
        const run = () => {
          c.startRender(a as never, b as never)();
          closers.push(c.observeScroll(a as never), c.observeMessages(a as never, b as never));
          const store = c.persistentStore(a as never);
          store.save(b);
          store.restore();
          store.remove();
          const ch = c.syncChannel(a as never, b as never);
          ch.post(b);
          ch.onMessage(b as never)();
          ch.close();
          // The factories never throw; start() reads the options, and only a Proxy that throws on
          // every read makes it throw: init's guard turns that into "collector … is off" (core tests).
          for (const collector of [c.heap(a as never), c.apiTiming(a as never), c.bundle(a as never)])
            if (a !== proxy) {
              const stop = collector.start(config);
              if (stop) closers.push(stop);
            }
        };
        expect(run).not.toThrow();
      }
    await new Promise((r) => setTimeout(r, 20)); // paint tasks of the renders
    // Only what junk-but-valid arguments really did: stores under stringifiable keys, renders of
    // numeric or string message ids (as trackRender takes them); nothing else.
    expect(new Set(cap.events.map((e) => e.type))).toEqual(new Set(['persistence', 'render']));
    const ids = new Set(cap.events.map((e) => (e as { messageId?: string }).messageId).filter((x) => x !== undefined));
    expect(ids).toEqual(new Set(['-1', 'Infinity', '', 'x'.repeat(128)]));
    expect(new Set(cap.warnings).size).toBe(cap.warnings.length);
  });
});
