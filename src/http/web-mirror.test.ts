/**
 * Mirror analysis in a real browser against the real server: partner NL's exports arrive signed,
 * a trader lodges the import of one at a third of its value. A risk analyst opens Mirror
 * statistics from the navigation, narrows it by month and partner (kept in the address, so a
 * reload and Back show the same), reads the table and the chart and downloads the CSV; an officer reads
 * the export record beside the import with the value gap emphasised (its components a bundle of
 * their own); the trader's page neither shows nor asks for it, nor loads that bundle, and roles other than analysts and administrators have no statistics page.
 * Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { DeclarationInput } from '../declarations/model.ts';
import { signMessage } from '../exchange/envelope.ts';
import { exportPayload } from '../exchange/payload.ts';
import { signerFrom } from '../governance/ledger/signing.ts';
import { Role } from '../governance/roles.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, anItem, createUserToken, storageTargets } from '../testing/harness.ts';
import { registerPartner } from '../testing/exchange.ts';

/** The bundle of the export-record components (web/src/declaration/MirrorLoader.tsx). */
const mirrorBundle = /^\/assets\/Mirror-[A-Za-z0-9_-]+\.js$/;
for (const target of storageTargets()) {
  describe(`mirror analysis in Chromium (${target})`, () => {
    const suite = browserSuite(target, {
      CLEARWAY_ADMINISTRATION: 'KR',
      CLEARWAY_EXCHANGE_ALLOW_HTTP: 'true',
      CLEARWAY_EXCHANGE_ALLOW_PRIVATE: 'true',
      CLEARWAY_RANDOM_SHARE: '0',
    });
    let importId: number;
    const nl = signerFrom(generateKeyPairSync('ed25519').privateKey);
    const ucr = `6NL-${process.pid}-1`;

    /** An export of NL bound for KR, signed and posted as NL's sender does. */
    const receive = async (overrides: Record<string, unknown>) => {
      const payload = exportPayload(
        aDeclaration({
          type: 'EX',
          procedure: '1000',
          destinationCountry: 'KR',
          trader: 'NL-EXPORTER-1',
          ...overrides,
        }) as unknown as DeclarationInput,
      );
      const envelope = signMessage(
        {
          id: randomUUID(),
          sender: 'NL',
          receiver: 'KR',
          type: 'export_declarations',
          timestamp: new Date().toISOString(),
          contentType: 'application/xml',
        },
        payload,
        nl,
      );
      const response = await suite.server.request('POST', '/api/exchange/inbox', { body: envelope });
      assert.equal(response.status, 200, JSON.stringify(response.body));
    };

    before(async () => {
      await registerPartner(
        suite.server,
        {
          proposer: suite.tokens.administrator,
          confirmer: await createUserToken(suite.ctx, { username: 'admin-two', role: Role.Administrator }),
        },
        {
          code: 'NL',
          name: 'Dutch Customs',
          publicKeyPem: nl.publicKeyPem,
          agreementRef: 'MoU NL-KR 2026/1',
        },
      );

      // two exports of March 2026 in chapter 85: one whose import is lodged at a third of its value,
      // one that waits; and one of April in chapter 94
      await receive({
        ucr,
        invoiceTotal: 1200,
        items: [anItem({ value: 1200, netMass: 12.5, supplementaryQuantity: 40 })],
      });
      await receive({ ucr: `6NL-${process.pid}-2`, invoiceTotal: 900, items: [anItem({ value: 900 })] });
      await receive({
        date: '2026-04-14',
        ucr: `6NL-${process.pid}-3`,
        invoiceTotal: 500,
        items: [anItem({ hsCode: '94036010', description: 'wooden furniture', value: 500 })],
      });
      const lodged = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration({
          date: '2026-03-09',
          ucr,
          dispatchCountry: 'NL',
          invoiceTotal: 400,
          items: [anItem({ value: 400, netMass: 12.5, supplementaryQuantity: 40 })],
        }),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      importId = Number(lodged.body.id);
      const mirror = await suite.server.request('GET', `/api/declarations/${importId}/mirror`, {
        token: suite.tokens.officer,
      });
      assert.equal((mirror.body.matches as unknown[]).length, 1, JSON.stringify(mirror.body));
    });

    const nav = (page: Page) => page.getByRole('navigation', { name: 'Pages' });
    const texts = async (page: Page, table: string) =>
      page
        .getByRole('table', { name: table })
        .locator('tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
        );

    test('a risk analyst narrows the mirror statistics by month and partner, reads table and chart, and downloads the CSV', async () => {
      const page = await suite.at('risk-analyst');
      await nav(page).getByRole('button', { name: 'Mirror statistics' }).click();
      await page.getByRole('heading', { name: 'Mirror statistics', level: 1 }).waitFor();
      const filters = page.getByRole('form', { name: 'Filters' });
      await filters.getByLabel('From month').fill('2026-01');
      await filters.getByLabel('To month').fill('2026-06');
      await filters.getByLabel('Partner').fill(' nl ');
      await assertEveryInputLabelled(page);
      await filters.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(
        (url) => url.pathname === '/mirror' && url.search === '?from=2026-01&to=2026-06&partner=NL',
      );
      await page
        .getByRole('status')
        .getByText(
          'January 2026 to June 2026: 1 export matched, 2 unmatched, 1 with a gap beyond its threshold.',
        )
        .waitFor();
      const rows = await texts(page, 'By partner, HS chapter and month');
      assert.deepEqual(rows, [
        ['March 2026', 'NL', '85', '1', '1', '1', '1,200.00 USD', '400.00 USD', '−800.00 USD'],
        ['April 2026', 'NL', '94', '0', '1', '0', '0.00 USD', '0.00 USD', '0.00 USD'],
      ]);
      const chart = page.getByRole('img', {
        name: /^Matched and unmatched exports and the value gap per month/,
      });
      await chart.locator('canvas').waitFor();
      await assertContrast(page);
      await screenshot(page, 'risk-analyst-mirror-statistics');

      // the address holds the filters: a reload shows the same, the form filled from it
      await page.reload();
      await page.getByRole('table', { name: 'By partner, HS chapter and month' }).waitFor();
      assert.equal(await filters.getByLabel('From month').inputValue(), '2026-01');
      assert.equal(await filters.getByLabel('Partner').inputValue(), 'NL');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download CSV' }).click(),
      ]);
      const lines = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/);
      assert.equal(
        lines[0],
        'partner,chapter,month,matched,unmatched,beyond,export_value,import_value,value_gap,currency',
      );
      assert.equal(lines.length, 3);
      assert.match(lines[1] ?? '', /^NL,85,2026-03,1,1,1,1200(\.0+)?,400(\.0+)?,-800(\.0+)?,USD$/);

      // narrowed to a chapter, and a chapter that is not one refused in words
      await filters.getByLabel('HS chapter').fill('94');
      await filters.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL((url) => url.search.endsWith('&chapter=94'));
      await page
        .getByRole('status')
        .getByText(/: 0 exports matched, 1 unmatched/)
        .waitFor();
      // Back shows the months and the partner without the chapter, the form filled from the address
      await page.goBack();
      await page.waitForURL((url) => url.search === '?from=2026-01&to=2026-06&partner=NL');
      await page
        .getByRole('status')
        .getByText(/: 1 export matched, 2 unmatched/)
        .waitFor();
      assert.equal(await filters.getByLabel('HS chapter').inputValue(), '');
      assert.equal(await filters.getByLabel('Partner').inputValue(), 'NL');

      await filters.getByLabel('HS chapter').fill('9');
      await filters.getByRole('button', { name: 'Show' }).click();
      await page
        .getByRole('alert')
        .getByText(/chapter/)
        .waitFor();
      await page.close();
    });

    test("an officer reads the partner's export record beside the import, the value gap emphasised", async () => {
      const page = await suite.at('officer', `/declarations/${importId}`);
      const section = page.getByRole('region', { name: 'Export record from NL' });
      await section.waitFor();
      await section.getByText('Matched by UCR').waitFor();
      const loaded = await page.evaluate(() =>
        performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname),
      );
      assert.ok(
        loaded.some((u) => mirrorBundle.test(u)),
        'the export-record components are their own bundle',
      );
      const beyond = section
        .getByRole('list', { name: 'Gaps beyond their threshold (NL)' })
        .getByRole('listitem');
      assert.equal(await beyond.count(), 1);
      assert.match((await beyond.first().textContent()) ?? '', /^Beyond the threshold: .*400.*1,?200/);

      const header = await texts(page, 'Header, side by side');
      const byLabel = Object.fromEntries(header.map(([label, ...sides]) => [label, sides]));
      assert.deepEqual(byLabel.UCR, [ucr, ucr]);
      assert.deepEqual(byLabel['Invoice total'], ['400.00 USD', '1,200.00 USD']);
      assert.deepEqual(
        byLabel['Value of the items']?.map((t: string) => t.replace(/ \(gap.*\)$/, '')),
        ['400.00 USD', '1,200.00 USD'],
      );
      // the value gap is marked at both its figures, emphasised as beyond its threshold
      const valueRow = section
        .getByRole('table', { name: 'Header, side by side' })
        .getByRole('row', { name: /^Value of the items/ });
      assert.equal(await valueRow.locator('td.gap.beyond strong').count(), 2);
      assert.equal(
        await section.getByRole('table', { name: 'Header, side by side' }).locator('td.gap').count(),
        2,
      );

      const items = await texts(page, 'Items, side by side');
      assert.equal(items.length, 1);
      assert.deepEqual(items[0]?.slice(1), [
        '8517.13.00',
        '8517.13.00',
        '400.00 USD',
        '1,200.00 USD',
        '12.5 kg',
        '12.5 kg',
        '40 NAR',
        '40',
        'CN (China)',
        'CN (China)',
      ]);
      // the finding is why the lane is at least yellow, in the assessment's words
      const why = page.getByRole('region', { name: 'Risk assessment' }).locator('ul.lane-reasons li');
      assert.deepEqual(
        (await why.allTextContents()).map((t) => t.replace(/:.*$/, '')),
        ['Mirror'],
      );
      assert.match(
        (await why.first().textContent()) ?? '',
        /mirror with NL's export record: customs value 400/,
      );
      await assertContrast(page);
      await screenshot(page, 'officer-declaration-mirror');
      await page.close();
    });

    test("the trader's page neither shows nor asks for the partner's record", async () => {
      const page = await suite.at('trader');
      const asked: string[] = [];
      page.on('request', (r) => asked.push(r.url()));
      await page.goto(`${suite.server.url}/declarations/${importId}`);
      await page.getByRole('heading', { name: new RegExp(`^Declaration ${importId}`) }).waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.getByRole('region', { name: /Export record/ }).count(), 0);
      assert.deepEqual(
        asked.filter((u) => u.includes('/mirror') || mirrorBundle.test(new URL(u).pathname)),
        [],
        "neither the partner's record nor the components that show it",
      );
      await page.close();
      const refused = await suite.server.request('GET', `/api/declarations/${importId}/mirror`, {
        token: suite.tokens.trader,
      });
      assert.equal(refused.status, 403);
    });

    test('only risk analysts and administrators have Mirror statistics in the navigation', async () => {
      for (const [username, sees] of [
        ['risk-analyst', true],
        ['administrator', true],
        ['officer', false],
        ['trader', false],
      ] as const) {
        const page = await suite.at(username);
        await nav(page).getByRole('button').first().waitFor();
        assert.equal(
          await nav(page).getByRole('button', { name: 'Mirror statistics' }).count(),
          sees ? 1 : 0,
        );
        if (!sees) {
          await page.goto(`${suite.server.url}/mirror`);
          await page.getByRole('button', { name: 'Sign out' }).waitFor();
          assert.equal(await page.getByRole('heading', { name: 'Mirror statistics' }).count(), 0);
        }
        await page.close();
      }
    });
  });
}
