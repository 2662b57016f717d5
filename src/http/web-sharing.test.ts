/**
 * Data sharing in a real browser against the real server: an agency's user pages through its feed
 * and sees only the columns its agreement grants, then finds those reads in its access log; a
 * supervisor sees every agency's deliveries there and narrows them to one; a trader sees which agency
 * received its declaration. Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { DeclarationInput } from '../declarations/model.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { storageTargets, testTrader } from '../testing/harness.ts';
import { createAgency, createAgencyUser, insertAgreement, storeDeclaration } from '../testing/sharing.ts';

const declaration = (n: number, hsCode: string): DeclarationInput => ({
  type: 'IM',
  functionalReference: `WEB-SHARE-${n}`,
  date: '2026-03-02',
  office: '030',
  declarant: 'BROKER-A',
  trader: testTrader,
  currency: 'USD',
  procedure: '4000',
  items: [{ sequence: 1, hsCode, value: 100 + n, netMass: 10 + n, description: 'frozen beef cuts' }],
});

for (const target of storageTargets()) {
  describe(`data sharing in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let agreement: number;

    before(async () => {
      await createAgency(suite.ctx.db, 'VET', 'Veterinary Service');
      await createAgencyUser(suite.ctx, 'vet-reader', 'VET');
      agreement = await insertAgreement(suite.ctx.db, {
        agency: 'VET',
        purpose: 'Checks on meat imports',
        fields: ['date', 'office', 'items[].hsCode'],
        hsPrefixes: ['0201'],
      });
      // 55 covered declarations: two pages of 50; one of another chapter, not covered
      for (let n = 1; n <= 55; n++) await storeDeclaration(suite.ctx.db, declaration(n, '02013000'));
      await storeDeclaration(suite.ctx.db, declaration(99, '85171300'));
    });

    test("an agency's user pages through its feed with the granted columns only, then finds the reads in its access log", async () => {
      const page = await suite.at('vet-reader', '/feed');
      await page.getByRole('heading', { name: 'Feed', level: 1 }).waitFor();
      assert.match(await page.getByLabel('Agreement').inputValue(), new RegExp(`^${agreement}$`));
      await page.getByLabel('From').fill('2026-01-01');
      await page.getByRole('button', { name: 'Show' }).click();
      const table = page.getByRole('table', { name: 'Shared declarations' });
      await table.waitFor();
      const columns = await table.getByRole('columnheader').allTextContents();
      assert.deepEqual(columns, ['Declaration', 'Date', 'Office of lodgement', 'Items']);
      assert.equal(await table.getByRole('row').count(), 51);
      assert.doesNotMatch((await table.textContent()) ?? '', /frozen beef|TRADER-A|WEB-SHARE|85171300/);
      assert.match(
        (await table.getByRole('row').nth(1).textContent()) ?? '',
        /2026-03-02.*030.*1: .*02013000/,
      );
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'agency-feed');

      await page.getByRole('button', { name: 'Next page' }).click();
      await page.getByText('5 declarations.').waitFor();
      assert.equal(await table.getByRole('row').count(), 6);
      assert.equal(await page.getByRole('button', { name: 'Next page' }).count(), 0);

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download JSON Lines' }).click();
      const file = await download;
      assert.equal(file.suggestedFilename(), `agreement-${agreement}.jsonl`);

      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: 'Access log' })
        .click();
      const log = page.getByRole('table', { name: 'Access log' });
      await log.waitFor();
      const rows = await log.getByRole('row').allTextContents();
      // newest first: the download (55), the second page (5), the first page (50)
      assert.equal(rows.length, 4, rows.join('\n'));
      assert.match(
        rows[1] ?? '',
        new RegExp(`${agreement}feed55Date, Office of lodgement, Item 1, HS codevet-reader`),
      );
      assert.match(rows[2] ?? '', /feed5/);
      assert.match(rows[3] ?? '', /feed50/);
      await screenshot(page, 'agency-access-log');
      await page.close();
    });

    test('a supervisor sees who received what in the access log, narrowed to one agency', async () => {
      const page = await suite.at('supervisor', '/access-log');
      const log = page.getByRole('table', { name: 'Access log' });
      await log.waitFor();
      assert.deepEqual(await log.getByRole('columnheader').allTextContents(), [
        'When',
        'Agency',
        'Agreement',
        'Channel',
        'Declarations',
        'Fields',
        'By',
      ]);
      const rows = await log.getByRole('row').allTextContents();
      assert.equal(rows.length, 4, rows.join('\n'));
      assert.match(
        rows[1] ?? '',
        new RegExp(`VET${agreement}feed55Date, Office of lodgement, Item 1, HS codevet-reader`),
      );
      await page.getByLabel('Agency').fill('health');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByText('No deliveries yet.').waitFor();
      await page.getByLabel('Agency').fill('vet');
      await page.getByRole('button', { name: 'Show' }).click();
      await log.waitFor();
      assert.equal(await log.getByRole('row').count(), 4);
      await assertEveryInputLabelled(page);
      await page.close();
    });

    test('a trader sees which agency received its declaration', async () => {
      const page = await suite.at('trader', '/shared');
      const table = page.getByRole('table', { name: 'Shared with agencies' });
      await table.waitFor();
      const row = page.getByRole('row', { name: /WEB-SHARE-55\b/ }).first();
      assert.match(
        (await row.textContent()) ?? '',
        /Veterinary Service \(VET\).*Checks on meat imports.*feed/,
      );
      assert.equal(await page.getByRole('row', { name: /WEB-SHARE-99/ }).count(), 0);
      await assertContrast(page);
      await screenshot(page, 'trader-shared-with-agencies');
      await page.close();
    });
  });
}
