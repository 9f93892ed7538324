// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { persistentStore } from '../../src/collectors/persistence';
import { captureEvents } from './capture';

const cap = captureEvents();
const last = () => cap.events[cap.events.length - 1] as unknown as Record<string, unknown>;

beforeEach(() => localStorage.clear());

describe('persistentStore', () => {
  it('save then restore: the value back, two successful timed events', () => {
    const store = persistentStore<string[]>('chat');
    expect(store.save(['hi', 'there'])).toBe(true);
    expect(localStorage.getItem('chat:manifest')).toMatch(/^2:/);
    expect(store.restore()).toEqual(['hi', 'there']);
    expect(cap.events.map((e) => [e.type, (e as never as { operation: string }).operation, (e as never as { success: boolean }).success])).toEqual([
      ['persistence', 'save', true],
      ['persistence', 'restore', true],
    ]);
    expect(typeof last().duration).toBe('number');
    expect(last().lost).toBeUndefined();
  });

  it('nothing saved yet: restore is undefined and a success (nothing was lost)', () => {
    expect(persistentStore('empty').restore()).toBeUndefined();
    expect(last()).toMatchObject({ operation: 'restore', success: true });
  });

  it('items removed behind the store: lost = missing items, error DataLoss, the rest returned', () => {
    const store = persistentStore<number[]>('msgs');
    store.save([1, 2, 3, 4, 5]);
    localStorage.setItem('msgs', JSON.stringify([1, 2]));
    expect(store.restore()).toEqual([1, 2]);
    expect(last()).toMatchObject({ operation: 'restore', success: false, error: 'DataLoss', lost: 3 });
  });

  it('the value deleted behind the store: every item lost', () => {
    const store = persistentStore('gone');
    store.save({ a: 1, b: 2, c: 3 });
    localStorage.removeItem('gone');
    expect(store.restore()).toBeUndefined();
    expect(last()).toMatchObject({ success: false, error: 'DataLoss', lost: 3 });
  });

  it('remove() deletes value and manifest; a later restore reports no loss', () => {
    const store = persistentStore('bye');
    store.save([1]);
    expect(store.remove()).toBe(true);
    expect(last()).toMatchObject({ operation: 'delete', success: true });
    expect(localStorage.getItem('bye:manifest')).toBeNull();
    store.restore();
    expect(last()).toMatchObject({ success: true });
  });

  it('a quota failure is recorded as QuotaExceededError and save returns false; the old value stays consistent', () => {
    const store = persistentStore<number[]>('full');
    store.save([1, 2]);
    const setItem = vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    expect(store.save([1, 2, 3])).toBe(false);
    expect(last()).toMatchObject({ operation: 'save', success: false, error: 'QuotaExceededError' });
    setItem.mockRestore();
    // The manifest went out before the failed write, so the old value is not mistaken for a loss.
    expect(store.restore()).toEqual([1, 2]);
    expect(last()).toMatchObject({ success: true });
  });

  it('storage denied (third-party iframe) → SecurityError, nothing thrown', () => {
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const store = persistentStore('blocked');
    expect(store.save([1])).toBe(false);
    expect(store.restore()).toBeUndefined();
    expect(store.remove()).toBe(false);
    expect(cap.events.map((e) => (e as never as { error: string }).error)).toEqual(['SecurityError', 'SecurityError', 'SecurityError']);
  });

  it('a value that is not JSON: warning, false, no event, storage untouched', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const store = persistentStore('bad');
    expect(store.save(cyclic)).toBe(false);
    expect(store.save(undefined)).toBe(false);
    expect(cap.events).toHaveLength(0);
    expect(cap.warnings.some((w) => w.includes('not JSON'))).toBe(true);
    expect(localStorage.getItem('bad')).toBeNull();
  });

  it('corrupt stored text: undefined, DataLoss for the saved items', () => {
    const store = persistentStore('corrupt');
    store.save([1, 2, 3]);
    localStorage.setItem('corrupt', '[1,2,');
    expect(store.restore()).toBeUndefined();
    expect(last()).toMatchObject({ success: false, error: 'DataLoss', lost: 3 });
  });
});

describe('persistentStore manifest of what JSON keeps', () => {
  it('a value whose JSON has fewer keys than the object (undefined or function members) restores intact: no DataLoss', () => {
    const store = persistentStore('draft');
    store.save({ text: 'hi', replyTo: undefined, onSend() {} });
    expect(store.restore()).toEqual({ text: 'hi' });
    expect(last()).toMatchObject({ operation: 'restore', success: true });
    expect(last().lost).toBeUndefined();
  });

  it('a Date (an object that serializes to a string) restores intact: no DataLoss', () => {
    const store = persistentStore('when');
    store.save(new Date(0));
    expect(store.restore()).toBe('1970-01-01T00:00:00.000Z');
    expect(last()).toMatchObject({ operation: 'restore', success: true });
  });
});
