/**
 * The dashboards in a real browser against the real server: declarations and value by HS section
 * and by office, data quality by field and by trader, as a supervisor and as a trader who sees only
 * its own declarations. Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Role } from '../governance/roles.ts';
import {
  assertContrast,
  assertEveryInputLabelled,
  launchBrowser,
  requireWebBuild,
  screenshot,
  signIn,
} from '../testing/browser.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  createUserToken,
  openTestContext,
  otherTrader,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

/** The cells of each row of the table named `name`, header and total rows included. */
async function rowsOf(page: Page, name: string): Promise<string[]> {
  return page
    .getByRole('table', { name })
    .locator('tr')
    .evaluateAll((rows) =>
      rows.map((r) =>
        Array.from((r as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells)
          .map((c) => (c.textContent ?? '').trim())
          .join(' | '),
      ),
    );
}

/** Waits until the table named `name` shows `expected`, then asserts it (with the last seen rows). */
async function expectRows(page: Page, name: string, expected: string[]): Promise<void> {
  let seen: string[] = [];
  for (let i = 0; i < 50; i++) {
    seen = await rowsOf(page, name).catch(() => []);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(seen, expected, `table ${name}`);
}

async function showJanuaryAndFebruary(page: Page) {
  await page.getByRole('heading', { name: 'Dashboards' }).waitFor();
  await page.getByLabel('From').fill('2026-01-01');
  await page.getByLabel('To').fill('2026-02-28');
  await page.getByRole('button', { name: 'Show' }).click();
}

for (const target of storageTargets()) {
  describe(`the dashboards in Chromium (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let browser: Browser;

    before(async () => {
      await requireWebBuild();
      ctx = await openTestContext(target);
      const tokens = await createRoleUsers(ctx);
      const otherToken = await createUserToken(ctx, {
        username: 'trader-b',
        role: Role.Trader,
        partyId: otherTrader,
      });
      server = await startTestServer(ctx);
      const lodge = async (token: string, overrides: Record<string, unknown>) => {
        const response = await server.request('POST', '/api/declarations', {
          token,
          body: aDeclaration(overrides),
        });
        assert.equal(response.status, 201, JSON.stringify(response.body));
      };
      // phones and laptops (section XVI); T-shirts (XI) declared as a gift with a wrong total
      await lodge(tokens.trader, {
        date: '2026-01-05',
        invoiceTotal: 1500,
        items: [
          anItem({ value: 1000 }),
          anItem({
            sequence: 2,
            hsCode: '84713000',
            description: 'laptops',
            originCountry: 'VN',
            value: 500,
          }),
        ],
      });
      await lodge(tokens.trader, {
        date: '2026-01-20',
        invoiceTotal: 999,
        items: [
          anItem({
            hsCode: '61091000',
            description: 'gift',
            value: 300,
            supplementaryUnit: undefined,
            supplementaryQuantity: undefined,
          }),
        ],
      });
      // February: phones declared as "parts" at another office; another trader's coffee (II)
      await lodge(tokens.trader, {
        date: '2026-02-11',
        office: '020',
        invoiceTotal: 700,
        items: [anItem({ description: 'parts', value: 700 })],
      });
      await lodge(otherToken, {
        date: '2026-02-15',
        trader: otherTrader,
        invoiceTotal: 450,
        items: [
          anItem({ hsCode: '09011100', description: 'green coffee beans', originCountry: 'BR', value: 400 }),
        ],
      });
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      await server?.close();
      await ctx?.dispose();
    });

    test('a supervisor reads declarations and value by section and by office, and data quality by field and by trader', async () => {
      const page = await signIn(browser, server.url, 'supervisor', '/dashboards');
      await showJanuaryAndFebruary(page);
      await assertEveryInputLabelled(page);

      const sections = [
        'XVI Machinery and mechanical ap…',
        'II Vegetable products',
        'XI Textiles and textile articles',
      ];
      await expectRows(page, 'Declarations per month', [
        ['Period', ...sections, 'All', 'Cancelled'].join(' | '),
        '2026-01 | 1 | 0 | 1 | 2 | 0',
        '2026-02 | 1 | 1 | 0 | 2 | 0',
        'Total | 2 | 1 | 1 | 4 | 0',
      ]);
      await expectRows(page, 'Value in USD per month', [
        ['Period', ...sections, 'All'].join(' | '),
        '2026-01 | 1,500 | 0 | 300 | 1,800',
        '2026-02 | 700 | 400 | 0 | 1,100',
        'Total | 2,200 | 400 | 300 | 2,900',
      ]);
      const chart = page.getByRole('img', { name: /^Declarations per month by HS section, 4 in all/ });
      await chart.locator('canvas').waitFor();
      const box = await chart.locator('canvas').boundingBox();
      assert.ok(box && box.width > 200 && box.height > 200, `the chart is drawn: ${JSON.stringify(box)}`);

      await expectRows(page, 'Findings per month', [
        'Period | Total invoice amount | Description of goods | Findings | Declarations | With findings | Share',
        '2026-01 | 1 | 1 | 2 | 2 | 1 | 50.0\u00a0%',
        '2026-02 | 1 | 1 | 2 | 2 | 2 | 100.0\u00a0%',
        'Total | 2 | 2 | 4 | 4 | 3 | 75.0\u00a0%',
      ]);
      await assertContrast(page);
      await screenshot(page, 'supervisor-dashboards');

      await page.getByLabel('Break down by').selectOption('office');
      await expectRows(page, 'Declarations per month', [
        'Period | 030 | 020 | All | Cancelled',
        '2026-01 | 2 | 0 | 2 | 0',
        '2026-02 | 1 | 1 | 2 | 0',
        'Total | 3 | 1 | 4 | 0',
      ]);
      await page.getByLabel('Findings by').selectOption('trader');
      await expectRows(page, 'Findings per month', [
        'Period | TRADER-A | TRADER-B | Findings | Declarations | With findings | Share',
        '2026-01 | 2 | 0 | 2 | 2 | 1 | 50.0\u00a0%',
        '2026-02 | 1 | 1 | 2 | 2 | 2 | 100.0\u00a0%',
        'Total | 3 | 1 | 4 | 4 | 3 | 75.0\u00a0%',
      ]);
      await page
        .getByRole('img', { name: /^Findings per month by trader, 4 in all/ })
        .locator('canvas')
        .waitFor();
      await screenshot(page, 'supervisor-dashboards-by-office');
      await page.close();
    });

    test('a trader sees the statistics of its own declarations only', async () => {
      const page = await signIn(browser, server.url, 'trader', '/dashboards');
      await showJanuaryAndFebruary(page);
      await page.getByLabel('Findings by').selectOption('trader');
      await expectRows(page, 'Findings per month', [
        'Period | TRADER-A | Findings | Declarations | With findings | Share',
        '2026-01 | 2 | 2 | 2 | 1 | 50.0\u00a0%',
        '2026-02 | 1 | 1 | 1 | 1 | 100.0\u00a0%',
        'Total | 3 | 3 | 3 | 2 | 66.7\u00a0%',
      ]);
      await page.getByLabel('Break down by').selectOption('');
      await expectRows(page, 'Declarations per month', [
        'Period | Declarations | Cancelled',
        '2026-01 | 2 | 0',
        '2026-02 | 1 | 0',
        'Total | 3 | 0',
      ]);
      await screenshot(page, 'trader-dashboards');
      await page.close();
    });
  });
}
