/**
 * The data-quality page in a real browser against the real server: a risk analyst finds the
 * lowest-scoring field, opens its scores per month and the traders lowest on it, and switches to
 * traders; a trader sees its own scorecard and nobody else's. Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { Role } from '../governance/roles.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import {
  aDeclaration,
  anItem,
  createUserToken,
  otherTrader,
  storageTargets,
  testTrader,
} from '../testing/harness.ts';

const pct = (s: string) => `${s}\u00a0%`;
const noTrend = '–no trend: fewer than two periods with declarations';
const header = 'Declarations | Completeness | Validity | Consistency | Overall';
const fieldHeader =
  'Field | Name | Overall | Trend of overall | Completeness | Validity | Consistency | Declarations';
const traderHeader =
  'Trader | Overall | Trend of overall | Completeness | Validity | Consistency | Declarations';

/** A row of a score table as the page writes it: key (and name), overall, trend, dimensions, declarations. */
const scoreRow = (key: string, checked: number, scores: [string, string, string, string], trend: string) => {
  const [completeness, validity, consistency, overall] = scores.map(pct);
  return `${key} | ${overall} | ${trend} | ${completeness} | ${validity} | ${consistency} | ${checked}`;
};

/** The cells of each row of the table named `name`, the header row included. */
async function rowsOf(page: Page, name: string): Promise<string[]> {
  return page
    .getByRole('table', { name, exact: true })
    .locator('tr')
    .evaluateAll((rows) =>
      rows.map((r) =>
        Array.from((r as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells)
          .map((c) => (c.textContent ?? '').trim())
          .join(' | '),
      ),
    );
}

/** Waits until the first rows of the table named `name` are `expected`, then asserts them. */
async function expectRows(page: Page, name: string, expected: string[]): Promise<void> {
  let seen: string[] = [];
  for (let i = 0; i < 50; i++) {
    seen = (await rowsOf(page, name).catch(() => [])).slice(0, expected.length);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(seen, expected, `table ${name}`);
}

/** The terms and descriptions of the first list of scores inside `within`, as "term: description". */
async function factsOf(page: Page, within: string): Promise<string[]> {
  const list = page.locator(within).locator('dl.facts').first();
  await list.waitFor();
  return list.locator('dt, dd').evaluateAll((nodes) => {
    const text = nodes.map((n) => (n.textContent ?? '').trim());
    const pairs: string[] = [];
    for (let i = 0; i + 1 < text.length; i += 2) pairs.push(`${text[i]}: ${text[i + 1]}`);
    return pairs;
  });
}

async function showJanuaryAndFebruary(page: Page) {
  await page.getByRole('heading', { name: 'Data quality', level: 1 }).waitFor();
  await page.getByLabel('From', { exact: true }).fill('2026-01-01');
  await page.getByLabel('To', { exact: true }).fill('2026-02-28');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
}

for (const target of storageTargets()) {
  describe(`the data-quality page in Chromium (${target})`, () => {
    const suite = browserSuite(target);

    before(async () => {
      const otherToken = await createUserToken(suite.ctx, {
        username: 'trader-b',
        role: Role.Trader,
        partyId: otherTrader,
      });
      const lodge = async (token: string, status: number, overrides: Record<string, unknown>) => {
        const response = await suite.server.request('POST', '/api/declarations', {
          token,
          body: aDeclaration(overrides),
        });
        assert.equal(response.status, status, JSON.stringify(response.body));
      };
      // January, TRADER-A: a sound declaration; one dispatched from ZZ (not known) with a vague description
      await lodge(suite.tokens.trader, 201, { date: '2026-01-10' });
      await lodge(suite.tokens.trader, 201, {
        date: '2026-01-20',
        dispatchCountry: 'ZZ',
        items: [anItem({ description: 'gift' })],
      });
      // February, TRADER-A: dispatched from ZZ again; a refused draft with a quantity but no unit
      await lodge(suite.tokens.trader, 201, { date: '2026-02-05', dispatchCountry: 'ZZ' });
      await lodge(suite.tokens.trader, 422, {
        date: '2026-02-20',
        items: [anItem({ supplementaryUnit: undefined })],
      });
      // February, TRADER-B: dispatched from ZZ, and an invoice total far from its items' value
      await lodge(otherToken, 201, {
        date: '2026-02-15',
        trader: otherTrader,
        dispatchCountry: 'ZZ',
        invoiceTotal: 5000,
      });
    });

    test('a risk analyst finds the lowest field, opens its scores and the traders lowest on it', async () => {
      const page = await suite.at('risk-analyst', '/quality');
      await showJanuaryAndFebruary(page);
      await assertEveryInputLabelled(page);

      // five declarations validated: dispatchCountry failed validity in three (40 %), the others
      // one consistency check each (80 %); overall is the mean of the three dimensions
      await expectRows(page, 'Lowest-scoring fields', [
        fieldHeader,
        scoreRow(
          'dispatchCountry | Country of exportation, coded',
          5,
          ['100.0', '40.0', '100.0', '80.0'],
          '▼ down 5.6 points',
        ),
        scoreRow(
          'invoiceTotal | Total invoice amount',
          5,
          ['100.0', '100.0', '80.0', '93.3'],
          '▼ down 11.1 points',
        ),
        scoreRow(
          'items[].description | Description of goods',
          5,
          ['100.0', '100.0', '80.0', '93.3'],
          '▲ up 16.7 points',
        ),
        scoreRow(
          'items[].supplementaryUnit | Tariff quantity/ Supplementary quantity',
          5,
          ['100.0', '100.0', '80.0', '93.3'],
          '▼ down 11.1 points',
        ),
        scoreRow(
          'additionalProcedure | Government procedure, coded',
          5,
          ['100.0', '100.0', '100.0', '100.0'],
          '→ no change',
        ),
      ]);

      await page.getByRole('button', { name: 'dispatchCountry', exact: true }).click();
      const title = page.getByRole('heading', { name: 'Country of exportation, coded (dispatchCountry)' });
      await title.waitFor();
      const focused = await page.evaluate('document.activeElement ? document.activeElement.textContent : ""');
      assert.equal(focused, 'Country of exportation, coded (dispatchCountry)', 'the detail takes the focus');
      assert.deepEqual(await factsOf(page, 'article.detail'), [
        'Declarations validated: 5',
        `Completeness: ${pct('100.0')}`,
        `Validity: ${pct('40.0')}`,
        `Consistency: ${pct('100.0')}`,
        `Overall: ${pct('80.0')}`,
        'Trend of overall: ▼ down 5.6 points',
      ]);
      // January: one of two from ZZ; February: two of three
      await expectRows(page, 'Scores of dispatchCountry per month', [
        `Period | ${header}`,
        `2026-01 | 2 | ${pct('100.0')} | ${pct('50.0')} | ${pct('100.0')} | ${pct('83.3')}`,
        `2026-02 | 3 | ${pct('100.0')} | ${pct('33.3')} | ${pct('100.0')} | ${pct('77.8')}`,
      ]);
      await page
        .getByRole('img', {
          name: `Overall score per month, ${pct('70.0')} to ${pct('100.0')}: 2026-01 ${pct('83.3')}, 2026-02 ${pct('77.8')}`,
        })
        .waitFor();
      await expectRows(page, 'Traders lowest on dispatchCountry', [
        traderHeader,
        scoreRow(otherTrader, 1, ['100.0', '0.0', '100.0', '66.7'], noTrend),
        scoreRow(testTrader, 4, ['100.0', '50.0', '100.0', '83.3'], '→ no change'),
      ]);
      await assertContrast(page);
      await screenshot(page, 'risk-analyst-quality-field');

      // a trader's scorecard: 39 dictionary fields a declaration, so TRADER-B's one failed validity
      // check of 39 is 97.4 %
      await page.getByRole('button', { name: otherTrader, exact: true }).click();
      await page.getByRole('heading', { name: `Scorecard of ${otherTrader}` }).waitFor();
      assert.deepEqual(await factsOf(page, 'article.detail'), [
        'Declarations validated: 1',
        `Completeness: ${pct('100.0')}`,
        `Validity: ${pct('97.4')}`,
        `Consistency: ${pct('97.4')}`,
        `Overall: ${pct('98.3')}`,
        `Trend of overall: ${noTrend}`,
      ]);
      await page.keyboard.press('Escape');
      await page.locator('article.detail').waitFor({ state: 'detached' });

      await page.getByLabel('Scores by').selectOption('trader');
      // TRADER-A: four declarations x 39 fields, two failed validity and two consistency checks
      await expectRows(page, 'Lowest-scoring traders', [
        traderHeader,
        scoreRow(otherTrader, 1, ['100.0', '97.4', '97.4', '98.3'], noTrend),
        scoreRow(testTrader, 4, ['100.0', '98.7', '98.7', '99.2'], '→ no change'),
      ]);
      await screenshot(page, 'risk-analyst-quality-traders');

      // a window without declarations, and one the server refuses
      await page.getByLabel('From', { exact: true }).fill('2025-01-01');
      await page.getByLabel('To', { exact: true }).fill('2025-01-31');
      await page.getByRole('button', { name: 'Show', exact: true }).click();
      await page.getByText('No declarations were validated in this window.').waitFor();
      await page.getByLabel('From', { exact: true }).fill('2026-03-01');
      await page.getByLabel('To', { exact: true }).fill('2026-02-01');
      await page.getByRole('button', { name: 'Show', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'from 2026-03-01 is after to 2026-02-01' }).waitFor();
      assert.equal(await page.getByRole('table').count(), 0, 'no stale table beside the alert');
      await page.close();
    });

    test('a trader sees its own scorecard and no other trader', async () => {
      const page = await suite.at('trader', '/quality');
      await showJanuaryAndFebruary(page);
      await page.getByRole('heading', { name: `Scorecard of ${testTrader}` }).waitFor();
      assert.equal(await page.getByLabel('Scores by').count(), 0, 'traders do not list other traders');
      await assertEveryInputLabelled(page);

      assert.deepEqual(await factsOf(page, 'main'), [
        'Declarations validated: 4',
        `Completeness: ${pct('100.0')}`,
        `Validity: ${pct('98.7')}`,
        `Consistency: ${pct('98.7')}`,
        `Overall: ${pct('99.2')}`,
        'Trend of overall: → no change',
      ]);
      await expectRows(page, `Scores of ${testTrader} per month`, [
        `Period | ${header}`,
        `2026-01 | 2 | ${pct('100.0')} | ${pct('98.7')} | ${pct('98.7')} | ${pct('99.2')}`,
        `2026-02 | 2 | ${pct('100.0')} | ${pct('98.7')} | ${pct('98.7')} | ${pct('99.2')}`,
      ]);
      // only the fields with defects, until every field is asked for; TRADER-B's invoice total is not here
      await expectRows(page, `Fields of ${testTrader}`, [
        fieldHeader,
        scoreRow(
          'dispatchCountry | Country of exportation, coded',
          4,
          ['100.0', '50.0', '100.0', '83.3'],
          '→ no change',
        ),
        scoreRow(
          'items[].description | Description of goods',
          4,
          ['100.0', '100.0', '75.0', '91.7'],
          '▲ up 16.7 points',
        ),
        scoreRow(
          'items[].supplementaryUnit | Tariff quantity/ Supplementary quantity',
          4,
          ['100.0', '100.0', '75.0', '91.7'],
          '▼ down 16.7 points',
        ),
      ]);
      assert.equal((await rowsOf(page, `Fields of ${testTrader}`)).length, 4);
      await page.getByLabel('List every field').check();
      const fields = page.getByRole('table', { name: `Fields of ${testTrader}` }).locator('tbody tr');
      await fields.nth(38).waitFor();
      assert.equal(await fields.count(), 39, 'every field of the dictionary');

      await page.getByRole('button', { name: 'dispatchCountry', exact: true }).click();
      await expectRows(page, 'Scores of dispatchCountry per month', [
        `Period | ${header}`,
        `2026-01 | 2 | ${pct('100.0')} | ${pct('50.0')} | ${pct('100.0')} | ${pct('83.3')}`,
        `2026-02 | 2 | ${pct('100.0')} | ${pct('50.0')} | ${pct('100.0')} | ${pct('83.3')}`,
      ]);
      assert.equal(await page.getByRole('table', { name: 'Traders lowest on dispatchCountry' }).count(), 0);
      const text = await page.locator('body').innerText();
      assert.ok(!text.includes(otherTrader), `no other trader on the page: ${text}`);
      await assertContrast(page);
      await screenshot(page, 'trader-quality');
      await page.close();
    });
  });
}
