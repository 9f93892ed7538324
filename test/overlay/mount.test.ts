// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mountOverlay, type OverlaySdk } from '../../src/overlay/index';
import { dashboardPage } from '../../src/dashboard/page';
import { alert, summaryWith } from './fixture';

const flush = () => new Promise((r) => setTimeout(r, 0));
const shadow = () => document.querySelector('chat-vitals-overlay')!.shadowRoot!;
const $ = (s: string) => shadow().querySelector(s) as HTMLElement;

function fakeSdk(): OverlaySdk & { resolved: string[]; calls: number } {
  const open = [alert()];
  const sdk = {
    resolved: [] as string[],
    calls: 0,
    getSnapshot() {
      sdk.calls++;
      return { ...summaryWith({ renderMs: 30 }), alerts: { active: open.filter((a) => !sdk.resolved.includes(a.id)) } };
    },
    resolveAlert(id: string) {
      sdk.resolved.push(id);
      return true;
    },
  };
  return sdk;
}

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
  delete (globalThis as { ChatVitals?: unknown }).ChatVitals;
  vi.useRealTimers();
});

describe('mountOverlay', () => {
  it('renders the snapshot in a shadow root and unmounts cleanly', async () => {
    const sdk = fakeSdk();
    unmount = mountOverlay({ sdk, refreshMs: 0 });
    await flush();
    expect(document.querySelectorAll('chat-vitals-overlay')).toHaveLength(1);
    expect($('[data-score]').textContent).toBe(String(sdk.getSnapshot()!.health.overall));
    // Host styles cannot reach the panel: its markup lives only in the shadow tree.
    expect(document.querySelector('[role=tab]')).toBeNull();
    unmount();
    unmount = undefined;
    expect(document.querySelector('chat-vitals-overlay')).toBeNull();
  });

  it('switches tabs by click and by arrow keys', async () => {
    unmount = mountOverlay({ sdk: fakeSdk(), refreshMs: 0 });
    await flush();
    $('[data-tab=performance]').click();
    expect($('[data-tab=performance]').getAttribute('aria-selected')).toBe('true');
    expect($('[data-panel]').textContent).toContain('Message renders');
    $('[data-tab=performance]').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect($('[data-tab=memory]').getAttribute('aria-selected')).toBe('true');
    expect($('[data-tab=performance]').tabIndex).toBe(-1);
    expect($('[data-panel]').textContent).toContain('JS heap');
    $('[data-tab=memory]').dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    expect($('[data-panel]').textContent).toContain('Slow Message Renders');
  });

  it('resolves an alert through the SDK and refreshes', async () => {
    const sdk = fakeSdk();
    unmount = mountOverlay({ sdk, refreshMs: 0 });
    await flush();
    $('[data-tab=alerts]').click();
    expect($('[data-tab=alerts]').textContent).toBe('Alerts1');
    $('[data-resolve="render-p95-1"]').click();
    await flush();
    await flush();
    expect(sdk.resolved).toEqual(['render-p95-1']);
    expect($('[data-panel]').textContent).toContain('No active alerts');
    expect($('[data-tab=alerts]').textContent).toBe('Alerts');
  });

  it('collapses with the button and with Escape, and expands again', async () => {
    unmount = mountOverlay({ sdk: fakeSdk(), refreshMs: 0 });
    await flush();
    const host = document.querySelector('chat-vitals-overlay')!;
    $('[data-toggle]').click();
    expect(host.hasAttribute('data-collapsed')).toBe(true);
    expect($('[data-toggle]').getAttribute('aria-expanded')).toBe('false');
    $('[data-toggle]').click();
    expect(host.hasAttribute('data-collapsed')).toBe(false);
    $('[data-tab=persistence]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(host.hasAttribute('data-collapsed')).toBe(true);
  });

  it('moves with the arrow keys on its move handle', async () => {
    unmount = mountOverlay({ sdk: fakeSdk(), refreshMs: 0, position: 'top-left' });
    await flush();
    const host = document.querySelector('chat-vitals-overlay') as HTMLElement;
    $('[data-move]').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(host.style.top).toMatch(/px$/);
    expect(host.style.bottom).toBe('auto');
  });

  it('refreshes on its interval and keeps a history for the charts', async () => {
    vi.useFakeTimers();
    const sdk = fakeSdk();
    unmount = mountOverlay({ sdk, refreshMs: 5000 });
    await vi.advanceTimersByTimeAsync(15_000);
    expect(sdk.calls).toBe(4);
    $('[data-tab=performance]').click();
    expect($('[data-panel]').innerHTML).toContain('<polyline');
  });

  it('falls back to window.ChatVitals, and says so when there is no SDK', async () => {
    unmount = mountOverlay({ refreshMs: 0 });
    await flush();
    expect($('[data-foot]').textContent).toMatch(/SDK not found/);
    (globalThis as { ChatVitals?: unknown }).ChatVitals = fakeSdk();
    $('[data-refresh]').click();
    await flush();
    expect($('[data-score]').textContent).toMatch(/^\d+$/);
  });

  it('computes health itself from subscribe() when the SDK is the script-tag build', async () => {
    const listeners: ((e: never) => void)[] = [];
    const sdk = {
      getSnapshot: () => ({ session: 's' }), // the script-tag build: no health in the snapshot
      subscribe(l: (e: never) => void) {
        listeners.push(l);
        return () => listeners.splice(listeners.indexOf(l), 1);
      },
      info: () => ({}),
    };
    unmount = mountOverlay({ sdk, refreshMs: 0 });
    await flush();
    expect($('[data-score]').textContent).toBe('–');
    for (let i = 0; i < 25; i++) for (const l of listeners) l({ id: 'r' + i, type: 'render', ts: Date.now(), messageId: 'm', renderTime: 40 } as never);
    $('[data-refresh]').click();
    await flush();
    $('[data-tab=alerts]').click();
    expect($('[data-panel]').textContent).toContain('Slow Message Renders');
    unmount();
    unmount = undefined;
    expect(listeners).toHaveLength(0);
  });

  it('survives a getSnapshot that throws', async () => {
    const sdk = { getSnapshot: () => { throw new Error('boom'); } };
    expect(() => (unmount = mountOverlay({ sdk, refreshMs: 0 }))).not.toThrow();
    await flush();
    expect($('[data-foot]').textContent).toBe('Could not load: boom');
  });
});

describe('dashboardPage', () => {
  it('is one HTML page with the window picker and filters, and says when its script is not built', () => {
    const html = dashboardPage('acme <support>');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('acme &#60;support&#62; dashboard');
    for (const w of ['5 min', '15 min', '1 h', '6 h', '24 h']) expect(html).toContain(`>${w}</option>`);
    expect(html).toContain('name="app"');
    expect(html).toContain('name="release"');
    // Under vitest the build-time client is absent: the page says how to get it instead of half-working.
    expect(html).toContain('npm run build');
  });
});
