/**
 * Releases of public trade statistics in a real browser against the real server: a risk analyst
 * prepares a release from the declarations stored here, sees its parameters' defaults and a refused
 * field named where it is, and finds no way to approve it; a supervisor (another person) reads each
 * table's suppression pattern with its legend, approves and publishes it; then a visitor who has
 * not signed in opens the Open data page, sees the release with its checksums and key, draws a
 * table's chart (a confidential chapter said so, not drawn as zero) and downloads its CSV.
 * Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { storageTargets } from '../testing/harness.ts';
import { storeGoods as store } from '../testing/open-data.ts';

for (const target of storageTargets()) {
  describe(`releases and the Open data page in Chromium (${target})`, () => {
    const suite = browserSuite(target, { CLEARWAY_ADMINISTRATION: 'AA' });

    before(async () => {
      const db = suite.ctx.db;
      // coffee (chapter 09) from four traders: published, but one partner has a single trader
      for (const trader of ['A', 'B', 'C', 'D']) {
        await store(db, { trader, hs: '09011100', country: 'BR', value: 1000 });
        await store(db, { trader, hs: '09011200', country: 'CO', value: 500 });
        await store(db, { trader, hs: '09011200', country: 'BR', value: 400 });
        await store(db, { trader, hs: '85171300', country: 'CN', value: 2000 });
        await store(db, { trader, hs: '85171300', country: 'KR', value: 800 });
      }
      await store(db, { trader: 'E', hs: '09011100', country: 'CO', value: 3000 });
      // chapter 61 has one trader: confidential on the public page
      await store(db, { trader: 'F', hs: '61091000', country: 'BD', value: 900 });
    });

    test('an analyst prepares a release and may not approve it; a supervisor checks, approves and publishes it; a visitor reads it', async () => {
      const analyst = await suite.at('risk-analyst', '/releases');
      await analyst.getByRole('heading', { name: 'Releases of trade statistics', level: 1 }).waitFor();
      const form = analyst.getByRole('form', { name: 'Prepare a release' });
      // the defaults are shown
      assert.equal(await form.getByLabel('Minimum traders').inputValue(), '3');
      assert.equal(await form.getByLabel('Protection (percent)').inputValue(), '20');
      assert.equal(await form.getByLabel('Rule 1 n').inputValue(), '1');
      assert.equal(await form.getByLabel('Rule 1 k').inputValue(), '85');
      assert.equal(await form.getByLabel('Rule 2 k').inputValue(), '95');
      await form.getByLabel('From month').fill('2026-10');
      await form.getByLabel('To month').fill('2026-10');
      await form.getByLabel('Currency').fill('USD');
      // a refused field says so beside it, and nothing is prepared
      await form.getByLabel('Rule 2 k').fill('120');
      await form.getByRole('button', { name: 'Prepare the release' }).click();
      const k = form.getByLabel('Rule 2 k');
      assert.equal(await k.getAttribute('aria-invalid'), 'true');
      await form.getByText('dominance[1].k must be a percentage above 0 and below 100').waitFor();
      await assertEveryInputLabelled(analyst);
      await assertContrast(analyst);
      await k.fill('95');
      await form.getByRole('button', { name: 'Prepare the release' }).click();
      await analyst.getByRole('heading', { name: 'trade-2026-10 version 1', level: 2 }).waitFor();
      await analyst.waitForURL((url) => url.searchParams.get('open') !== null);
      await analyst.getByTestId('release-status').getByText('Prepared, waiting for a decision').waitFor();
      // the preparer has no way to approve it
      await analyst.getByTestId('four-eyes').getByText('You prepared this release').waitFor();
      assert.equal(await analyst.getByRole('button', { name: 'Approve' }).count(), 0);
      const address = new URL(analyst.url()).pathname + new URL(analyst.url()).search;
      await screenshot(analyst, 'risk-analyst-release-prepared');

      const supervisor = await suite.at('supervisor', address);
      await supervisor.getByRole('heading', { name: 'trade-2026-10 version 1', level: 2 }).waitFor();
      const summary = await supervisor.getByTestId('release-summary').textContent();
      assert.match(
        summary ?? '',
        /^1 table, \d+ cells: [1-9]\d* primary and [1-9]\d* secondary suppressions$/,
      );
      // the imports table's pattern: coffee from CO has two traders besides E's large share
      await supervisor
        .getByRole('button', { name: 'Show the pattern of Imports, 2026-10, procedure 4000' })
        .click();
      const grid = supervisor.getByRole('table', { name: /^Imports, 2026-10, procedure 4000: value in USD/ });
      await grid.waitFor();
      const legend = supervisor.getByRole('list', { name: 'Legend' });
      await legend.getByText('primary: confidential itself').waitFor();
      await legend.getByText('secondary: withheld to protect a primary cell').waitFor();
      // the one-trader chapter 61 is primary, marked with a letter and its reason in words
      const row61 = grid.getByRole('row', { name: /^61 / });
      const cell61 = row61.locator('td[data-status="primary"]').first();
      assert.match((await cell61.textContent()) ?? '', /^P 900\.00, 1 trader, too few$/);
      assert.ok(
        (await grid.locator('td[data-status="secondary"]').count()) > 0,
        'secondary cells are marked',
      );
      await supervisor.getByText(/^Why each primary cell is confidential/).click();
      await supervisor.getByRole('cell', { name: '1 trader, too few' }).first().waitFor();
      await assertEveryInputLabelled(supervisor);
      await assertContrast(supervisor);
      await screenshot(supervisor, 'supervisor-release-check');

      await supervisor.getByLabel('Note').fill('pattern checked');
      await supervisor.getByRole('button', { name: 'Approve' }).click();
      await supervisor.getByRole('status').getByText('trade-2026-10 version 1: approved').waitFor();
      await supervisor.getByRole('button', { name: 'Publish' }).click();
      await supervisor.getByRole('status').getByText('trade-2026-10 version 1: published.').waitFor();
      await supervisor.getByTestId('release-status').getByText('Published', { exact: true }).waitFor();

      // a visitor: no session, straight to the Open data page
      const visitor = await suite.browser.newPage();
      visitor.on('pageerror', (error) => {
        throw new Error(`the page threw: ${error.message}`);
      });
      await visitor.goto(`${suite.server.url}/open-data`);
      await visitor.getByRole('heading', { name: 'Open data: trade statistics', level: 1 }).waitFor();
      assert.equal(await visitor.getByRole('button', { name: 'Sign out' }).count(), 0);
      const card = visitor.getByRole('article', { name: 'trade-2026-10, version 1' });
      await card.getByText(/^Ed25519, key /).waitFor();
      await card.getByText('Every file with its SHA-256').click();
      const files = card.getByRole('table', { name: 'Files of trade-2026-10 version 1' });
      await files.getByRole('link', { name: 'imports-2026-10-4000.csv' }).waitFor();
      const digests = await files.locator('code.digest').allTextContents();
      assert.ok(digests.length === 5 && digests.every((d) => /^[0-9a-f]{64}$/.test(d)), digests.join(' '));
      await card.getByRole('link', { name: 'Methodology note' }).waitFor();

      await card.getByRole('button', { name: 'Chart of Imports, 2026-10, procedure 4000' }).click();
      const figure = card.getByRole('figure');
      await figure
        .getByRole('img', { name: /^Bar chart: Imports, 2026-10, procedure 4000/ })
        .locator('canvas')
        .waitFor();
      const data = figure.getByRole('table');
      assert.deepEqual(await data.locator('tbody th').allTextContents(), ['85', '09', '61']);
      assert.equal(
        await data.getByRole('row', { name: /^85 / }).locator('td').first().textContent(),
        '11,200.00',
      );
      assert.equal(
        await data.getByRole('row', { name: /^61 / }).locator('td').first().textContent(),
        'confidential',
      );
      await figure.getByText('1 chapter is confidential', { exact: false }).waitFor();
      await assertContrast(visitor);
      await screenshot(visitor, 'visitor-open-data');

      // the CSV link downloads the published table, confidential cells flagged C without values
      const href = await card
        .getByRole('link', { name: 'Imports, 2026-10, procedure 4000 as CSV' })
        .getAttribute('href');
      assert.equal(href, '/open/releases/trade-2026-10/1/imports-2026-10-4000.csv');
      const csv = await visitor.request.get(`${suite.server.url}${href}`);
      assert.equal(csv.status(), 200);
      const text = await csv.text();
      assert.match(text, /^flow,month,procedure,hs,level,partner,value,/);
      assert.match(text, /\r\nimports,2026-10,4000,61,chapter,TOTAL,,,,,C\r\n/);
      await visitor.close();

      // the rest of the application still asks to sign in
      const elsewhere = await suite.browser.newPage();
      await elsewhere.goto(`${suite.server.url}/releases`);
      await elsewhere.getByLabel('Username').waitFor();
      await elsewhere.close();
    });
  });
}
