#!/usr/bin/env node
// Runs the Playwright suite in real Chromium. Finds a browser by itself: CHROMIUM_PATH, Debian's
// /usr/bin/chromium, or Playwright's own download; when there is none it says exactly what to run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return undefined;
}

let chromium = findChromium();
if (!chromium) {
  try {
    const { chromium: pw } = await import('playwright');
    if (existsSync(pw.executablePath())) chromium = pw.executablePath();
  } catch {}
}
if (!chromium) {
  console.error(
    'No Chromium found for the e2e tests. Install one, then rerun:\n' +
      '  Debian/Ubuntu: sudo apt-get install -y chromium\n' +
      '  elsewhere:     npx playwright install chromium\n' +
      '  or point to an existing browser: CHROMIUM_PATH=/path/to/chrome npm test',
  );
  process.exit(1);
}

const config = fileURLToPath(new URL('./playwright.config.ts', import.meta.url));
const r = spawnSync('npx', ['playwright', 'test', '-c', config, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(r.status ?? 1);
