import { defineConfig } from 'vitest/config';

// Unit and integration tests. Browser-only behaviour is proved in e2e/ (Playwright, real Chromium).
// Files that need a DOM say so with `// @vitest-environment happy-dom` on their first line.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
