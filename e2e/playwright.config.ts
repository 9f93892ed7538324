import { defineConfig } from '@playwright/test';

// Real Chromium (Debian's, found by e2e/run.mjs), launched with the flags of support/chromium.mjs.
import { chromiumArgs } from './support/chromium.mjs';

export { chromiumArgs };

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  // Real-browser timing scenarios (render to paint, scroll jank) can lose frames on a loaded 2-core machine;
  // one retry in CI, and Playwright reports such a test as flaky rather than hiding it.
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: '../test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: chromiumArgs,
    },
  },
});
