// The public API's own behaviour: validation, pre-init buffering, beforeSend, sampling, shutdown.
// The delivery pipeline is replaced by a recorder here; delivery itself is proved in test/pipeline and e2e/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatVitalsEvent } from '../../src/types';

const pushed: ChatVitalsEvent[] = [];
const pipelineOptions: Record<string, unknown>[] = [];
let dropOnShutdown = 0;
vi.mock('../../src/pipeline', () => ({
  createPipeline: (opts: Record<string, unknown>) => {
    pipelineOptions.push(opts);
    return {
      push: (ev: ChatVitalsEvent) => pushed.push(ev),
      flush: () => Promise.resolve(),
      // Like the real pipeline, the final flush may still report what it had to drop.
      shutdown: () => Promise.resolve().then(() => dropOnShutdown && (opts._onDropped as (n: number, r: string) => void)(dropOnShutdown, 'overflow')),
      stats: () => ({ queued: pushed.length, stored: 0, sent: 0, dropped: 0, retries: 0, failures: 0, nextAt: 0 }),
    };
  },
}));

// Fresh module state per test: the SDK is a page singleton.
async function load() {
  vi.resetModules();
  return import('../../src/index');
}

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  dropOnShutdown = 0;
  pushed.length = 0;
  pipelineOptions.length = 0;
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

describe('init', () => {
  it('requires an endpoint, warns, and stays off without throwing', async () => {
    const cv = await load();
    expect(cv.init(undefined as never)).toBeUndefined();
    expect(cv.init({} as never)).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/endpoint/);
  });

  it('is idempotent: a second call warns and keeps the first configuration', async () => {
    const cv = await load();
    const a = cv.init({ endpoint: '/a', app: 'one' });
    const b = cv.init({ endpoint: '/b', app: 'two' });
    expect(a!.session).toBe(b!.session);
    expect(pipelineOptions).toHaveLength(1);
    expect(pipelineOptions[0].endpoint).toBe('/a');
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('debug: logs the session and its sampling decision once at init, nothing without it', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    try {
      const cv = await load();
      const m = cv.init({ endpoint: '/i', debug: true })!;
      expect(info).toHaveBeenCalledTimes(1);
      expect(info.mock.calls[0][1]).toMatchObject({ session: m.session, sampled: true });
      await cv.shutdown();
      cv.init({ endpoint: '/i' });
      expect(info).toHaveBeenCalledTimes(1);
    } finally {
      info.mockRestore();
    }
  });

  it('replaces bad optional values by defaults with one warning each', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i', sampleRate: 7, flushIntervalMs: NaN, app: 42 as never });
    expect(warn).toHaveBeenCalledTimes(3);
    expect(pipelineOptions[0].flushIntervalMs).toBe(5000);
  });

  it('compress takes the gzip export; anything else (true, the old boolean) is ignored with a warning', async () => {
    let cv = await load();
    cv.init({ endpoint: '/i', compress: cv.gzip });
    expect(pipelineOptions[0].compress).toBe(cv.gzip);
    expect(warn).not.toHaveBeenCalled();
    cv = await load();
    cv.init({ endpoint: '/i', compress: true as never });
    expect(pipelineOptions[1].compress).toBeUndefined();
    expect(warn.mock.calls.map(([m]) => m)).toEqual(['[chat-vitals] init: bad compress; ignored.']);
  });

  it('a collectors value that is not an array (null, an object) is a bad option, not a failed init', async () => {
    for (const collectors of [null, {}]) {
      const cv = await load();
      warn.mockClear();
      const monitor = cv.init({ endpoint: '/i', collectors: collectors as never });
      expect(monitor?.session).toMatch(/^[0-9a-z]{16}$/);
      expect(warn.mock.calls.map(([m]) => m)).toEqual(['[chat-vitals] init: bad collectors; bad entries ignored.']);
      cv.trackRender({ messageId: 'm', renderTime: 3 });
      expect(pushed.filter((e) => e.type === 'render')).toHaveLength(1);
      pushed.length = 0;
      await cv.shutdown();
    }
  });
});

describe('track calls', () => {
  it('stamp a unique id and a timestamp and keep the seed 001 field names', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    cv.trackRender({ messageId: 'm1', renderTime: 12.5, contentLength: 200 });
    cv.trackPersistence({ operation: 'save', success: false, duration: 4, error: 'QuotaExceededError', sessionId: 's' });
    cv.trackTabSync({ latency: 3, success: true, channel: 'chat' });
    cv.trackApi({ url: 'https://x.test/api/messages?token=secret#frag', method: 'post', status: 201, duration: 80, cached: false });
    expect(pushed.map((e) => e.type)).toEqual(['render', 'persistence', 'tabsync', 'api']);
    expect(pushed[0]).toMatchObject({ messageId: 'm1', renderTime: 12.5, contentLength: 200 });
    expect(pushed[1]).toMatchObject({ operation: 'save', success: false, duration: 4, error: 'QuotaExceededError', sessionId: 's' });
    expect(pushed[3]).toMatchObject({ url: 'https://x.test/api/messages', method: 'POST', status: 201 });
    expect(new Set(pushed.map((e) => e.id)).size).toBe(4);
    for (const e of pushed) expect(Math.abs(e.ts - Date.now())).toBeLessThan(5000);
  });

  it('ignore bad arguments with one warning per kind and never throw', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const junk = [undefined, null, NaN, 'x', Symbol('s'), cyclic, { messageId: 'a', renderTime: -1 }, { messageId: 'a', renderTime: NaN }, { renderTime: 3 }];
    for (let i = 0; i < 3; i++) for (const j of junk) {
      expect(() => cv.trackRender(j as never)).not.toThrow();
      expect(() => cv.trackPersistence(j as never)).not.toThrow();
      expect(() => cv.trackTabSync(j as never)).not.toThrow();
      expect(() => cv.trackApi(j as never)).not.toThrow();
    }
    const throwing = { get messageId(): string { throw new Error('getter'); }, renderTime: 1 };
    expect(() => cv.trackRender(throwing as never)).not.toThrow();
    expect(pushed).toHaveLength(0);
    const kinds = warn.mock.calls.map((c: unknown[]) => String(c[0]));
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  it('use the caller timestamp only when it is plausible', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    const earlier = Date.now() - 60_000;
    cv.trackRender({ messageId: 'a', renderTime: 1, timestamp: new Date(earlier) });
    cv.trackRender({ messageId: 'b', renderTime: 1, timestamp: 86_400_000 * 3 });
    expect(pushed[0].ts).toBe(earlier);
    expect(Math.abs(pushed[1].ts - Date.now())).toBeLessThan(5000);
  });
});

describe('before init and after shutdown', () => {
  it('buffers calls made before init and replays them with their own time', async () => {
    const cv = await load();
    cv.trackRender({ messageId: 'early', renderTime: 5 });
    const at = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    cv.init({ endpoint: '/i' });
    expect(pushed).toHaveLength(1);
    expect(pushed[0]).toMatchObject({ type: 'render', messageId: 'early' });
    expect(pushed[0].ts).toBeLessThanOrEqual(at);
  });

  it('bounds the pre-init buffer and reports the overflow as a dropped event', async () => {
    const cv = await load();
    for (let i = 0; i < 1005; i++) cv.trackRender({ messageId: 'm' + i, renderTime: 1 });
    cv.init({ endpoint: '/i' });
    expect(pushed.filter((e) => e.type === 'render')).toHaveLength(1000);
    expect(pushed.find((e) => e.type === 'dropped')).toMatchObject({ count: 5, reason: 'before-init-overflow' });
  });

  it('still sends what the final flush reports as dropped', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    dropOnShutdown = 7;
    await cv.shutdown();
    expect(pushed).toEqual([expect.objectContaining({ type: 'dropped', count: 7, reason: 'overflow' })]);
  });

  it('turns every call after shutdown into a no-op', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    await cv.shutdown();
    cv.trackRender({ messageId: 'late', renderTime: 1 });
    await expect(cv.flush()).resolves.toBeUndefined();
    await expect(cv.shutdown()).resolves.toBeUndefined();
    expect(pushed).toHaveLength(0);
  });
});

describe('init again after shutdown (a widget unmounted and remounted)', () => {
  it('starts a new pipeline and records again', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    await cv.shutdown();
    cv.trackRender({ messageId: 'while-off', renderTime: 1 });
    expect(cv.init({ endpoint: '/i' })).toBeDefined();
    cv.trackRender({ messageId: 'again', renderTime: 1 });
    expect(pipelineOptions).toHaveLength(2);
    expect(pushed.map((e) => (e as { messageId?: string }).messageId)).toEqual(['again']);
  });
});

describe('beforeSend', () => {
  it('can scrub, drop, and a throwing one drops the event with a dropped event', async () => {
    const cv = await load();
    let mode = 'scrub';
    cv.init({
      endpoint: '/i',
      beforeSend: (e) => {
        if (mode === 'drop') return null;
        if (mode === 'throw') throw new Error('bug');
        return { ...e, messageId: 'scrubbed' } as ChatVitalsEvent;
      },
    });
    cv.trackRender({ messageId: 'secret', renderTime: 1 });
    mode = 'drop';
    cv.trackRender({ messageId: 'x', renderTime: 1 });
    mode = 'throw';
    cv.trackRender({ messageId: 'y', renderTime: 1 });
    expect(pushed.map((e) => e.type)).toEqual(['render', 'dropped']);
    expect(pushed[0]).toMatchObject({ messageId: 'scrubbed' });
    expect(pushed[1]).toMatchObject({ count: 1, reason: 'beforeSend-error' });
  });
});

describe('sampling', () => {
  it('decides per session, deterministically', async () => {
    const { isSampled } = await import('../../src/core/session');
    expect(isSampled('000000aaaaaaaaaa', 0.5)).toBe(true);
    expect(isSampled('zzzzzzaaaaaaaaaa', 0.5)).toBe(false);
    expect(isSampled('zzzzzzaaaaaaaaaa', 1)).toBe(true);
    expect(isSampled('000000aaaaaaaaaa', 0)).toBe(false);
  });

  it('a session left out sends nothing', async () => {
    const cv = await load();
    const m = cv.init({ endpoint: '/i', sampleRate: 0 });
    cv.trackRender({ messageId: 'a', renderTime: 1 });
    expect(m!.sampled).toBe(false);
    expect(pipelineOptions).toHaveLength(0);
    expect(pushed).toHaveLength(0);
  });
});

describe('ids', () => {
  it('are unique, short, and share a per-load prefix', async () => {
    const { nextId } = await import('../../src/core/ids');
    const ids = Array.from({ length: 10_000 }, nextId);
    expect(new Set(ids).size).toBe(10_000);
    expect(ids.every((id) => /^[0-9a-z]{11,14}$/.test(id))).toBe(true);
    expect(new Set(ids.map((id) => id.slice(0, 10))).size).toBe(1);
  });
});
