/**
 * The browser side of the test harness: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), signing in through the real sign-in form, and screenshots in test-output/web.
 */
import assert from 'node:assert/strict';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { Role } from '../governance/roles.ts';
import { webDist } from '../http/web-app.ts';
import { apiSuite, opened } from './api-suite.ts';
import { testPassword, type StorageTarget, type TestContext, type TestServer } from './harness.ts';

export const screenshots = path.resolve(import.meta.dirname, '../../test-output/web');

/**
 * Refuses at once, saying what to do, when the web application is not built: without it every
 * page is the server's "not built" text and each browser test would wait for its first control
 * until it timed out.
 */
export async function requireWebBuild(): Promise<void> {
  const index = path.join(webDist, 'index.html');
  try {
    await access(index);
  } catch {
    throw new Error(`the web application is not built (${index} is missing): run \`npm run build\` first`);
  }
}

export async function launchBrowser(): Promise<Browser> {
  await requireWebBuild();
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

/** What a browser suite gives its tests and its file's own `before` hooks. */
export interface BrowserSuite {
  readonly ctx: TestContext;
  readonly server: TestServer;
  readonly browser: Browser;
  /** An API token of each role's user (made by createRoleUsers). */
  readonly tokens: Record<Role, string>;
  /** A new page signed in as `username` at `path` of the app. */
  at(username: string, path?: string): Promise<Page>;
}

/**
 * Called in a `describe`: registers a `before` hook that opens a fresh database on `target` (with
 * `env` as configuration), makes a user of each role, starts the server and launches Chromium, and an
 * `after` hook that closes them again. The file's own `before` hooks, registered after this call,
 * run once all of it is open: the place for its declarations and extra users.
 */
export function browserSuite(target: StorageTarget, env: Record<string, string> = {}): BrowserSuite {
  let browser: Browser | undefined;
  before(requireWebBuild);
  // registered first, so that the browser closes before the server and the database
  after(async () => {
    await browser?.close();
  });
  const api = apiSuite(target, {}, env);
  before(async () => {
    browser = await launchBrowser();
  });
  return {
    get ctx() {
      return api.ctx;
    },
    get server() {
      return api.server;
    },
    get browser() {
      return opened(browser, 'browser');
    },
    get tokens() {
      return api.tokens;
    },
    at(username, address) {
      return signIn(opened(browser, 'browser'), api.server.url, username, address);
    },
  };
}

/**
 * The value of an input once it has one, within `ms`: a form filled from the API after it is shown
 * (an amendment starting from the declaration) is empty for a moment.
 */
export async function filledValue(input: Locator, ms = 10_000): Promise<string> {
  const until = Date.now() + ms;
  let value = await input.inputValue();
  while (value === '' && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await input.inputValue();
  }
  return value;
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

/**
 * Every piece of visible text on the page meets WCAG AA contrast against the background it is
 * drawn on: 4.5:1, or 3:1 for large text (24px, or 18.66px bold). Disabled controls and text
 * inside charts (canvas) are not text nodes and are not checked.
 */
export async function assertContrast(page: Page): Promise<void> {
  const failures = (await page.evaluate(`(() => {
    const rgba = (s) => {
      const m = s.match(/rgba?\\(([^)]+)\\)/);
      if (!m) return [0, 0, 0, 0];
      const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, bottom) => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
    };
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] === 1) break;
      }
      return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]);
    };
    const luminance = (c) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const bad = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent.trim()) continue;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || box.width === 0 || box.height === 0 || el.closest('[disabled]')) continue;
      if (el.closest('.visually-hidden, .skip')) continue;
      const bg = background(el);
      const fg = over(rgba(style.color), bg);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) bad.push(n.textContent.trim().slice(0, 40) + ' (' + ratio.toFixed(2) + ':1)');
    }
    return bad;
  })()`)) as string[];
  assert.deepEqual(failures, [], 'text below WCAG AA contrast');
}

/**
 * The options the open list of a code picker `field` shows, as `code description` lines, once it has
 * answered what was typed last.
 */
export async function pickerOptions(page: Page, field: Locator): Promise<string[]> {
  const listId = await field.getAttribute('aria-controls');
  assert.ok(listId, 'the combobox names its listbox');
  const list = page.locator(`[id="${listId}"]`);
  await list.waitFor({ state: 'visible' });
  assert.equal(await list.getAttribute('role'), 'listbox');
  for (let waited = 0; (await list.getAttribute('aria-busy')) === 'true'; waited += 25) {
    assert.ok(waited < 5000, 'the list is still being searched after 5 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return list.getByRole('option').allInnerTexts();
}
