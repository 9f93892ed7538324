// @vitest-environment happy-dom
// A fresh module per test: the navigation verdict is taken once per page load.
import { beforeEach, describe, expect, it, vi } from 'vitest';

beforeEach(() => {
  vi.resetModules();
  sessionStorage.clear();
  localStorage.clear();
});

async function firstOperations(navType: string | undefined, referrer: string) {
  vi.spyOn(performance, 'getEntriesByType').mockReturnValue(navType ? ([{ type: navType }] as never) : []);
  vi.spyOn(document, 'referrer', 'get').mockReturnValue(referrer);
  const { captureEventsNow } = await import('./capture');
  const events = captureEventsNow();
  const { persistentStore } = await import('../../src/collectors/persistence');
  const store = persistentStore('nav');
  store.restore();
  store.restore();
  vi.restoreAllMocks();
  return events.map((e) => (e as never as { operation: string }).operation);
}

describe('navigation restore', () => {
  it('arrived from a page of the same origin: the first restore is "navigation", the next a restore', async () => {
    expect(await firstOperations('navigate', location.origin + '/previous')).toEqual(['navigation', 'restore']);
  });
  it('a cross-origin referrer or none: restore', async () => {
    expect(await firstOperations('navigate', 'https://elsewhere.example/')).toEqual(['restore', 'restore']);
    expect(await firstOperations('navigate', '')).toEqual(['restore', 'restore']);
  });
  it('the pagehide mark of a previous page in this tab counts even with no referrer', async () => {
    sessionStorage.setItem('chat-vitals:left', '1');
    expect(await firstOperations('navigate', '')).toEqual(['navigation', 'restore']);
  });
  it('a reload is never a navigation', async () => {
    sessionStorage.setItem('chat-vitals:left', '1');
    expect(await firstOperations('reload', location.origin + '/')).toEqual(['restore', 'restore']);
  });
  it('the store writes the mark at pagehide', async () => {
    const { persistentStore } = await import('../../src/collectors/persistence');
    persistentStore('x');
    window.dispatchEvent(new Event('pagehide'));
    expect(sessionStorage.getItem('chat-vitals:left')).toBe('1');
  });
});
