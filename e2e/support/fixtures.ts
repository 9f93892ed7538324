// Playwright fixtures shared by the e2e specs: a fresh receiver per test, and a page opened on it.
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { startReceiver, type Receiver } from './receiver';

export const test = base.extend<{ receiver: Receiver; pageErrors: string[] }>({
  receiver: async ({}, use) => {
    const receiver = await startReceiver();
    await use(receiver);
    await receiver.close();
  },
  // Every uncaught error and unhandled rejection in the page; most specs assert it stays empty.
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await use(errors);
  },
});

export { expect };

/** Opens e2e/pages/<name> on the receiver's origin (same origin as the endpoint). */
export async function openPage(page: Page, receiver: Receiver, name = 'sdk.html') {
  await page.goto(`${receiver.origin}/pages/${name}`);
}

/**
 * Serves the development script tag (console warnings, queue figures in info()) wherever a page of this
 * tab loads the production one. For the tests that read those; everything else runs what chat users get.
 */
export async function useDevBuild(page: Page) {
  const dev = fileURLToPath(new URL('../../dist/chat-vitals.dev.iife.js', import.meta.url));
  await page.route(/\/dist\/chat-vitals\.iife\.js$/, (route) => route.fulfill({ path: dev, contentType: 'text/javascript' }));
}
