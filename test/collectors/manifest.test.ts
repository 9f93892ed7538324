import { describe, expect, it } from 'vitest';
import { fnv1a, itemCount, lostItems, manifestOf } from '../../src/collectors/manifest';

describe('fnv1a', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
  it('changes with one character', () => {
    expect(fnv1a('[{"id":1}]')).not.toBe(fnv1a('[{"id":2}]'));
  });
});

describe('itemCount', () => {
  it('counts array items, object keys, a scalar as one, null as none', () => {
    expect(itemCount([1, 2, 3])).toBe(3);
    expect(itemCount({ a: 1, b: 2 })).toBe(2);
    expect(itemCount('text')).toBe(1);
    expect(itemCount(0)).toBe(1);
    expect(itemCount(null)).toBe(0);
  });
});

describe('lostItems', () => {
  const saved = [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }];
  const text = JSON.stringify(saved);
  const manifest = manifestOf(text, saved);

  it('intact data loses nothing', () => {
    expect(manifest).toMatch(/^4:[0-9a-z]+$/);
    expect(lostItems(manifest, text, saved)).toBe(0);
  });
  it('no manifest: nothing to judge by, nothing claimed', () => {
    expect(lostItems(null, text, saved)).toBe(0);
    expect(lostItems('garbage', text, saved)).toBe(0);
  });
  it('value gone: every saved item is lost', () => {
    expect(lostItems(manifest, null, undefined)).toBe(4);
  });
  it('a shorter array: the missing items', () => {
    const fewer = saved.slice(0, 1);
    expect(lostItems(manifest, JSON.stringify(fewer), fewer)).toBe(3);
  });
  it('same count but different bytes: at least one item', () => {
    const changed = [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 5 }];
    expect(lostItems(manifest, JSON.stringify(changed), changed)).toBe(1);
  });
  it('unreadable value: all saved items', () => {
    expect(lostItems(manifest, '[{"id":1', undefined)).toBe(4);
  });
});
