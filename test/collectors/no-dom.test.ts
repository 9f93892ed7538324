// Node, no DOM: importing the collectors does nothing, and every helper and collector turns itself off
// with a warning instead of throwing (a worker, SSR, or a browser lacking the APIs).
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/config';
import { captureEvents } from './capture';

const cap = captureEvents();

describe('collectors without a DOM', () => {
  it('import runs nothing; every entry point is off, quietly, with no events', async () => {
    const c = await import('../../src/collectors/index');
    const config = resolveConfig({ endpoint: 'http://127.0.0.1:1/ingest' })!;
    expect(() => c.startRender('m')()).not.toThrow();
    expect(() => c.observeScroll()()).not.toThrow();
    expect(() => c.observeMessages({} as never)()).not.toThrow();
    const store = c.persistentStore('k');
    expect(store.save([1])).toBe(false);
    expect(store.restore()).toBeUndefined();
    expect(store.remove()).toBe(false);
    for (const collector of [c.heap(), c.apiTiming({ match: '/api' }), c.bundle(), c.vitals()]) {
      let stop: unknown;
      expect(() => (stop = collector.start(config))).not.toThrow();
      if (typeof stop === 'function') stop();
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(cap.events).toEqual([]);
    expect(cap.warnings.join('\n')).toMatch(/startRender: off: ReferenceError/);
    expect(cap.warnings.join('\n')).toMatch(/observeScroll: off: ReferenceError/);
    expect(cap.warnings.join('\n')).toMatch(/persistentStore: no localStorage/);
    expect(cap.warnings.join('\n')).toMatch(/heap: no memory API/);
    expect(cap.warnings.join('\n')).toMatch(/apiTiming: no responseStatus/);
    expect(cap.warnings.join('\n')).toMatch(/bundle: no script/);
  });
});
