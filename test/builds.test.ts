// The two flavours of the browser build (rollup.config.mjs), as built by `npm test` before this runs:
// production (what `import 'chat-vitals'` resolves to by default, and the script tag) validates like the
// development one but carries no console text and no queue figures; bundlers pick the development build
// through the `development` export condition.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const exported = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).exports['.'];

afterEach(() => vi.restoreAllMocks());

describe('production and development builds', () => {
  it('the package resolves the development condition to the .dev build, anything else to production', () => {
    const keys = Object.keys(exported);
    // Conditions match in order: development must come before the catch-all import.
    expect(keys.indexOf('development')).toBeLessThan(keys.indexOf('import'));
    expect(exported.development).toBe('./dist/chat-vitals.dev.mjs');
    expect(exported.import).toBe('./dist/chat-vitals.mjs');
  });

  for (const [file, dev] of [
    ['dist/chat-vitals.mjs', false],
    ['dist/chat-vitals.dev.mjs', true],
  ] as const)
    it(`${file}: bad options and arguments fall back the same way; ${dev ? 'one warning each, queue figures' : 'silent, no queue figures'}`, async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const cv = await import(pathToFileURL(resolve(root, file)).href);
      // sampleRate 7 is out of range: the default (1) applies, so this session is sampled.
      const monitor = cv.init({ endpoint: 'http://127.0.0.1:9/ingest', sampleRate: 7, flushIntervalMs: 60_000 });
      expect(monitor.sampled).toBe(true);
      expect(() => cv.trackRender({ messageId: 'm', renderTime: -1 })).not.toThrow();
      expect(warn.mock.calls.map(([m]) => String(m))).toEqual(
        dev ? ['[chat-vitals] init: bad sampleRate; 0-1; using 1.', '[chat-vitals] trackRender: bad renderTime; ignored.'] : [],
      );
      expect(cv.info().queue === undefined).toBe(!dev);
      await cv.shutdown();
    });
});
