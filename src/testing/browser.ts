/**
 * The browser side of the test harness: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), signing in through the real sign-in form, and screenshots in test-output/web.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testPassword } from './harness.ts';

export const screenshots = path.resolve(import.meta.dirname, '../../test-output/web');

export async function launchBrowser(): Promise<Browser> {
  await mkdir(screenshots, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new page signed in as `username` (a user made by createRoleUsers), at `path` of the app. */
export async function signIn(browser: Browser, baseUrl: string, username: string, at = '/'): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`the page threw: ${error.message}`);
  });
  await page.goto(baseUrl + at);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(testPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

/** Every input, select and textarea on the page has a label a screen reader announces. */
export async function assertEveryInputLabelled(page: Page): Promise<void> {
  const unlabelled = await page.locator('input, select, textarea').evaluateAll((elements) =>
    elements
      .map(
        (el) =>
          el as unknown as {
            type?: string;
            labels: { length: number } | null;
            outerHTML: string;
            getAttribute(name: string): string | null;
          },
      )
      .filter((f) => f.type !== 'hidden' && !f.labels?.length && !f.getAttribute('aria-label'))
      .map((f) => f.outerHTML.slice(0, 120)),
  );
  assert.deepEqual(unlabelled, [], 'inputs without a label');
}
