// Playwright fixtures shared by the e2e specs: a fresh receiver per test, and a page opened on it.
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
