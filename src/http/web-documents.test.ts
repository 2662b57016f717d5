/**
 * Attachments in a real browser against the real server: the trader attaches a PDF invoice to its
 * declaration, is told why a file whose content is not what it claims is refused, and sees the
 * invoice listed; an officer of the declaration's office sees it and opens it (the bytes as
 * uploaded); a second trader finds neither the declaration nor its documents. Once read, an
 * officer sees an invoice's fields and the discrepancy its review found, with the text it was read
 * from highlighted; the trader sees the fields, not the discrepancy.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import { attachmentById } from '../documents/store.ts';
import { aPdf, anInvoicePdf, attach } from '../testing/documents.ts';
import { aDeclaration, createUserToken, otherTrader, storageTargets } from '../testing/harness.ts';

const invoice = aPdf('Commercial invoice INV-2026-0421, total 1,200.00 USD');

for (const target of storageTargets()) {
  describe(`attachments in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let id: number;
    before(async () => {
      const res = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration(),
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      id = Number(res.body.id);
      await createUserToken(suite.ctx, { username: 'other-trader', role: Role.Trader, partyId: otherTrader });
    });

    test('the trader attaches a PDF invoice and sees it listed; a mislabelled file is refused in words', async () => {
      const page = await suite.at('trader', `/declarations/${id}`);
      const section = page.getByRole('region', { name: 'Attachments' });
      await section.getByText('No document is attached to this declaration.').waitFor();
      const form = section.getByRole('form', { name: 'Attach a document' });

      await form.getByLabel('Kind').selectOption('invoice');
      await form.getByLabel('File').setInputFiles({
        name: 'photo.png',
        mimeType: 'image/png',
        buffer: Buffer.from('not a picture at all\n'),
      });
      await form.getByRole('button', { name: 'Upload' }).click();
      const alert = form.getByRole('alert');
      await alert.waitFor();
      assert.match((await alert.textContent()) ?? '', /sent as image\/png, but its content is text\/plain/);

      await form.getByLabel('File').setInputFiles({
        name: 'INV-2026-0421.pdf',
        mimeType: 'application/pdf',
        buffer: invoice,
      });
      await form.getByRole('button', { name: 'Upload' }).click();
      await form.getByRole('status').getByText('INV-2026-0421.pdf attached.').waitFor();
      // the document's row; the row after it holds its reading
      const row = section.getByRole('row').filter({ hasText: 'INV-2026-0421.pdf' }).first();
      await row.waitFor();
      const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
      assert.deepEqual(cells.slice(0, 3), [
        'Commercial invoice',
        'INV-2026-0421.pdf',
        `${invoice.length} bytes`,
      ]);
      assert.equal(await form.getByRole('alert').count(), 0);
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'documents-trader');
      await page.close();
    });

    test("an officer of the declaration's office sees the invoice and opens it", async () => {
      const page = await suite.at('officer', `/declarations/${id}`);
      const section = page.getByRole('region', { name: 'Attachments' });
      const link = section.getByRole('link', { name: 'Download INV-2026-0421.pdf' });
      await link.waitFor();
      assert.equal(await section.getByRole('form', { name: 'Attach a document' }).count(), 0);
      await link.focus();
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      assert.equal(download.suggestedFilename(), 'INV-2026-0421.pdf');
      assert.ok((await readFile(await download.path())).equals(invoice));
      await screenshot(page, 'documents-officer');
      await page.close();
    });

    test('an officer sees the discrepancy an invoice was read with, and its evidence; the trader sees the fields only', async () => {
      const lodged = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration(),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      const differs = Number(lodged.body.id);
      const input = await declarationsRepository.findById(suite.ctx.db, differs, { kind: 'all' });
      assert.ok(input);
      const res = await attach(
        suite.server,
        suite.tokens.trader,
        differs,
        await anInvoicePdf(input, ['value']),
        {
          filename: 'total-differs.pdf',
        },
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      // the server's reader reads it, woken by the attachment
      for (let i = 0; i < 200; i++) {
        if ((await attachmentById(suite.ctx.db, Number(res.body.id)))?.readAt) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      const page = await suite.at('officer', `/declarations/${differs}`);
      const reading = page.getByRole('region', { name: 'Reading of total-differs.pdf' });
      const discrepancy = reading.getByRole('listitem').filter({ hasText: 'Invoice total' });
      await discrepancy.waitFor();
      assert.match((await discrepancy.textContent()) ?? '', /page 1: “/);
      assert.ok((await reading.locator('mark').count()) >= 1, 'the evidence line is highlighted');
      await reading
        .getByRole('row', { name: /Currency/ })
        .getByRole('cell', { name: 'USD', exact: true })
        .waitFor();
      await assertContrast(page);
      await screenshot(page, 'documents-reading-officer');
      await page.close();

      const trader = await suite.at('trader', `/declarations/${differs}`);
      const own = trader.getByRole('region', { name: 'Reading of total-differs.pdf' });
      await own.getByText('Reviewed against the declaration by customs.').waitFor();
      await own
        .getByRole('row', { name: /Currency/ })
        .getByRole('cell', { name: 'USD', exact: true })
        .waitFor();
      assert.equal(await own.getByText('Discrepancies with the declaration').count(), 0);
      assert.equal(await own.locator('mark').count(), 0);
      await assertContrast(trader);
      await trader.close();
    });

    test('a second trader finds neither the declaration nor its documents', async () => {
      const page = await suite.at('other-trader', `/declarations/${id}`);
      await page.getByRole('alert').waitFor();
      assert.equal(await page.getByRole('region', { name: 'Attachments' }).count(), 0);
      const status = await page.evaluate(
        `fetch('/api/declarations/${id}/documents', { credentials: 'same-origin' }).then((r) => r.status)`,
      );
      assert.equal(status, 404);
      await page.close();
    });
  });
}
