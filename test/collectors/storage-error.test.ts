import { describe, expect, it } from 'vitest';
import { storageErrorName } from '../../src/collectors/storage-error';

/** An error shaped like a browser's: DOMException's code is read-only, so define it. */
const err = (name: string, code?: number) => {
  const e = new DOMException('storage failed', name);
  if (code !== undefined) Object.defineProperty(e, 'code', { value: code });
  return e;
};

describe('storageErrorName', () => {
  it.each([
    ['QuotaExceededError by name (Chromium, Safari, spec subclass)', err('QuotaExceededError')],
    ['code 22 under another name (old WebKit)', err('Error', 22)],
    ['NS_ERROR_DOM_QUOTA_REACHED code 1014 (old Firefox)', err('NS_ERROR_DOM_QUOTA_REACHED', 1014)],
    ['code 1014 alone', { name: 'Error', code: 1014 }],
    ['NS_ERROR_DOM_QUOTA_REACHED without a code', { name: 'NS_ERROR_DOM_QUOTA_REACHED' }],
  ])('%s → QuotaExceededError', (_label, e) => {
    expect(storageErrorName(e)).toBe('QuotaExceededError');
  });

  it('access denied → SecurityError', () => {
    expect(storageErrorName(err('SecurityError'))).toBe('SecurityError');
    expect(storageErrorName({ name: 'Error', code: 18 })).toBe('SecurityError');
  });

  it('anything else keeps its own name; nameless values are "Error"', () => {
    expect(storageErrorName(new TypeError('x'))).toBe('TypeError');
    expect(storageErrorName(err('InvalidStateError'))).toBe('InvalidStateError');
    expect(storageErrorName('a string')).toBe('Error');
    expect(storageErrorName(null)).toBe('Error');
    expect(storageErrorName(undefined)).toBe('Error');
  });
});
