// The send lock's decisions, with a stand-in for navigator.locks (real Web Locks across two tabs: e2e).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withLock } from '../../src/pipeline/lock';

const setLocks = (locks: unknown) => vi.stubGlobal('navigator', { locks });
afterEach(() => vi.unstubAllGlobals());

describe('withLock', () => {
  it('runs under the lock when it is free, asking without waiting', async () => {
    const request = vi.fn((_name: string, opts: LockOptions, cb: (l: Lock | null) => unknown) => {
      expect(opts).toEqual({ ifAvailable: true });
      return Promise.resolve(cb({ name: _name, mode: 'exclusive' }));
    });
    setLocks({ request });
    const fn = vi.fn(async () => undefined);
    await withLock('db:send', fn);
    expect(fn).toHaveBeenCalledOnce();
    expect(request.mock.calls[0][0]).toBe('db:send');
  });

  it('skips when another tab holds it', async () => {
    setLocks({ request: (_n: string, _o: LockOptions, cb: (l: Lock | null) => unknown) => Promise.resolve(cb(null)) });
    const fn = vi.fn(async () => undefined);
    await withLock('db:send', fn);
    expect(fn).not.toHaveBeenCalled();
  });

  it('runs anyway without Web Locks, or when requesting one fails', async () => {
    const fn = vi.fn(async () => undefined);
    setLocks(undefined);
    await withLock('db:send', fn);
    expect(fn).toHaveBeenCalledTimes(1);
    setLocks({ request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')) });
    await withLock('db:send', fn);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('runs fn once when the lock request fails after granting it, and passes its failure on', async () => {
    const boom = new Error('boom');
    setLocks({ request: async (_n: string, _o: LockOptions, cb: (l: Lock | null) => unknown) => cb({ name: _n, mode: 'exclusive' }) });
    const fn = vi.fn(async () => {
      throw boom;
    });
    await expect(withLock('db:send', fn)).rejects.toBe(boom);
    expect(fn).toHaveBeenCalledOnce();
  });
});
