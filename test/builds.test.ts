// The two flavours of the browser build (rollup.config.mjs), as built by `npm test` before this runs:
// production (what `import 'chat-vitals'` resolves to by default, and the script tag) validates like the
// development one but carries no console text and no queue figures; bundlers pick the development build
// through the `development` export condition.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const root = resolve(import.meta.dirname, '..');
afterEach(() => vi.restoreAllMocks());

describe('production and development builds', () => {
  it('the package resolves to the .dev build under the development condition, to production otherwise', () => {
    // Node's own resolver on the package's exports (a self-reference), as bundlers resolve conditions.
    const resolved = (...flags: string[]) =>
      execFileSync(process.execPath, [...flags, '--input-type=module', '-e', "console.log(import.meta.resolve('chat-vitals'))"], {
        cwd: root,
        encoding: 'utf8',
      }).trim();
    expect(resolved('--conditions=development')).toBe(pathToFileURL(resolve(root, 'dist/chat-vitals.dev.mjs')).href);
    expect(resolved()).toBe(pathToFileURL(resolve(root, 'dist/chat-vitals.mjs')).href);
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
