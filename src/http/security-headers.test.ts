/**
 * Security headers on every kind of response, and the web application and the Swagger UI working
 * under the Content-Security-Policy in Chromium (a refused script or style is a console error).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn } from '../testing/browser.ts';
import {
  aDeclaration,
  createRoleUsers,
  openTestContext,
  startTestServer,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import type { Role } from '../governance/roles.ts';

describe('security headers', () => {
  let ctx: TestContext;
  let server: TestServer;
  let tokens: Record<Role, string>;
  let browser: Browser | undefined;
  let asset = '';

  before(async () => {
    ctx = await openTestContext('pglite');
    tokens = await createRoleUsers(ctx);
    server = await startTestServer(ctx);
    const index = await fetch(server.url + '/');
    asset = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1] ?? '';
    assert.ok(asset, 'the web application is built (npm run build)');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await ctx?.dispose();
  });

  const responses: [string, string, () => RequestInit][] = [
    ['the health check', '/health', () => ({})],
    ['a refused API call', '/api/auth/me', () => ({})],
    ['an API call', '/api/declarations', () => ({ headers: { authorization: `Bearer ${tokens.trader}` } })],
    ['an unknown API route', '/api/nothing-here', () => ({})],
    ['a page of the web application', '/declarations', () => ({})],
    ['the Swagger UI', '/api/docs/static/index.html', () => ({})],
    ['the OpenAPI document', '/api/openapi.json', () => ({})],
  ];
  for (const [what, path, init] of responses) {
    test(`${what} carries the security headers`, async () => {
      const response = await fetch(server.url + path, init());
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/, `${path}: ${csp}`);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /default-src 'self'/);
      assert.doesNotMatch(csp, /script-src[^;]*unsafe/);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
    });
  }

  for (const [what, path, init] of responses.filter(
    ([, p]) => p.startsWith('/api/') && !p.includes('/docs'),
  )) {
    test(`${what} is never stored by a cache`, async () => {
      const response = await fetch(server.url + path, init());
      assert.equal(response.headers.get('cache-control'), 'no-store');
    });
  }

  test('only the Swagger UI allows inline styles, and nothing allows inline scripts', async () => {
    const csp = async (path: string) =>
      (await fetch(server.url + path)).headers.get('content-security-policy') ?? '';
    assert.match(await csp('/api/docs/static/index.html'), /style-src 'self' 'unsafe-inline'/);
    assert.match(await csp('/declarations'), /style-src 'self';/);
  });

  test('the hashed files of the web application stay cacheable', async () => {
    const response = await fetch(server.url + asset);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  });

  /** Console errors of the page, where Chromium reports what the policy refused. */
  const refusals = (page: Page): string[] => {
    const seen: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        seen.push(message.text());
    });
    return seen;
  };

  test('the web application works under the policy, charts included', async () => {
    const lodged = await server.request('POST', '/api/declarations', {
      token: tokens.trader,
      body: aDeclaration(),
    });
    assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
    browser = await launchBrowser();
    const page = await browser.newPage();
    const refused = refusals(page);
    await page.goto(server.url + '/');
    await page.getByLabel('Username').fill('supervisor');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto(`${server.url}/declarations/${String(lodged.body.id)}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.goto(`${server.url}/dashboards`);
    await page.getByRole('heading', { name: 'Dashboards' }).waitFor();
    await page.getByLabel('From').fill('2026-03-01');
    await page.getByLabel('To').fill('2026-03-31');
    await page.getByRole('button', { name: 'Show' }).click();
    const chart = page.getByRole('img', { name: /^Declarations per month/ }).locator('canvas');
    await chart.waitFor();
    await chart.hover(); // the tooltip writes markup with styles
    await page.waitForLoadState('networkidle');
    assert.deepEqual(refused, []);
    await page.close();
  });

  test('the Swagger UI lists the operations under the policy', async () => {
    browser ??= await launchBrowser();
    const page = await signIn(browser, server.url, 'auditor');
    const refused = refusals(page);
    await page.goto(`${server.url}/api/docs`);
    await page.getByText('Clearway API').first().waitFor();
    // every tag is listed; unfolding one lists its operations
    await page.locator('#operations-tag-open-data').waitFor();
    await page.locator('#operations-tag-auth').click();
    await page.getByText('/api/auth/tokens').first().waitFor();
    assert.deepEqual(refused, []);
    await page.close();
  });
});
