/**
 * The dashboards in a real browser against the real server: declarations, value and duty by HS section
 * and by office, data quality by field and by trader, as a supervisor and as a trader who sees only
 * its own declarations. Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { Role } from '../governance/roles.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, anItem, createUserToken, otherTrader, storageTargets } from '../testing/harness.ts';

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
    const suite = browserSuite(target);

    before(async () => {
      const otherToken = await createUserToken(suite.ctx, {
        username: 'trader-b',
        role: Role.Trader,
        partyId: otherTrader,
      });
      const lodge = async (token: string, overrides: Record<string, unknown>) => {
        const response = await suite.server.request('POST', '/api/declarations', {
          token,
          body: aDeclaration(overrides),
        });
        assert.equal(response.status, 201, JSON.stringify(response.body));
      };
      // phones and laptops (section XVI); T-shirts (XI) declared as a gift with a wrong total
      await lodge(suite.tokens.trader, {
        date: '2026-01-05',
        invoiceTotal: 1500,
        items: [
          anItem({ value: 1000, dutyRate: 5 }),
          anItem({
            sequence: 2,
            hsCode: '84713000',
            description: 'laptops',
            originCountry: 'VN',
            value: 500,
            dutyRate: 2.5,
          }),
        ],
      });
      await lodge(suite.tokens.trader, {
        date: '2026-01-20',
        invoiceTotal: 999,
        items: [
          anItem({
            hsCode: '61091000',
            description: 'gift',
            value: 300,
            dutyRate: 12,
            supplementaryUnit: undefined,
            supplementaryQuantity: undefined,
          }),
        ],
      });
      // February: phones declared as "parts" at another office; another trader's coffee (II)
      await lodge(suite.tokens.trader, {
        date: '2026-02-11',
        office: '020',
        invoiceTotal: 700,
        items: [anItem({ description: 'parts', value: 700, dutyRate: 3.33 })],
      });
      await lodge(otherToken, {
        date: '2026-02-15',
        trader: otherTrader,
        invoiceTotal: 450,
        items: [
          anItem({
            hsCode: '09011100',
            description: 'green coffee beans',
            originCountry: 'BR',
            value: 400,
            dutyRate: 2,
          }),
        ],
      });
    });

    test('a supervisor reads declarations, value and duty by section and by office, and data quality by field and by trader', async () => {
      const page = await suite.at('supervisor', '/dashboards');
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
      // 1,000 × 5% + 500 × 2.5% and 300 × 12% in January; 700 × 3.33% and 400 × 2% in February
      await expectRows(page, 'Duty in USD per month', [
        ['Period', ...sections, 'All'].join(' | '),
        '2026-01 | 62.5 | 0 | 36 | 98.5',
        '2026-02 | 23.31 | 8 | 0 | 31.31',
        'Total | 85.81 | 8 | 36 | 129.81',
      ]);
      await page.getByRole('img', { name: /^Duty in USD per month by HS section, 129\.81 in all/ }).waitFor();
      const summary = page.locator('dl.summary').first();
      assert.match((await summary.textContent()) ?? '', /Duty129\.81 USD/);
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
      const page = await suite.at('trader', '/dashboards');
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
      // the other trader's coffee owes 8 of the 129.81
      await expectRows(page, 'Duty in USD per month', [
        'Period | Duty in USD',
        '2026-01 | 98.5',
        '2026-02 | 23.31',
        'Total | 121.81',
      ]);
      await screenshot(page, 'trader-dashboards');
      await page.close();
    });
  });
}
