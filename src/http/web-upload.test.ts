/**
 * Uploading a file of declarations in a real browser (Debian's Chromium driven by playwright-core)
 * against the real server: the trader chooses a file, watches it sent and imported, reads the
 * rejected rows, and finds the uploaded declarations in its list.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import {
  assertEveryInputLabelled,
  launchBrowser,
  requireWebBuild,
  screenshot,
  signIn,
} from '../testing/browser.ts';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import {
  createRoleUsers,
  openTestContext,
  otherTrader,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

/** The value shown next to a term of a description list. */
const fact = (panel: Locator, term: string) =>
  panel.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');

for (const target of storageTargets()) {
  describe(`uploading a file of declarations in Chromium (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let browser: Browser;
    before(async () => {
      await requireWebBuild();
      ctx = await openTestContext(target);
      await createRoleUsers(ctx);
      server = await startTestServer(ctx);
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await server?.close();
      await ctx?.dispose();
    });

    test('a trader uploads 52 rows, watches them imported, reads the 2 rejected and finds the others', async () => {
      const refs = Array.from({ length: 52 }, (_, i) => `WEB-UP-${i + 1}`);
      // line 12 has an HS code that does not exist; line 40 is another trader's declaration
      const csv = clearwayCsv(
        refs.map((ref, i) =>
          aClearwayRow(ref, i === 10 ? { hs_code: '99999999' } : i === 38 ? { trader: otherTrader } : {}),
        ),
      );
      const page = await signIn(browser, server.url, 'trader', '/upload');
      await page.getByRole('heading', { name: 'Upload', exact: true }).waitFor();
      await page
        .getByLabel('File', { exact: true })
        .setInputFiles({ name: 'march.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByLabel('Format').selectOption('clearway');
      await assertEveryInputLabelled(page);
      await page.getByRole('main').getByRole('button', { name: 'Upload', exact: true }).click();

      const panel = page.getByRole('region', { name: /^Import \d+ · march\.csv$/ });
      await fact(panel, 'Status').getByText('done', { exact: true }).waitFor({ timeout: 20_000 });
      const shown: Record<string, string> = {};
      for (const term of ['Rows read', 'Accepted', 'Rejected', 'Duplicates', 'Assessed'])
        shown[term] = (await fact(panel, term).textContent()) ?? '';
      assert.deepEqual(shown, {
        'Rows read': '52',
        Accepted: '50',
        Rejected: '2',
        Duplicates: '0',
        Assessed: '50',
      });
      const sent = page.getByLabel('File sent');
      assert.deepEqual(await sent.evaluate((p: { value: number; max: number }) => [p.value, p.max]), [
        Buffer.byteLength(csv),
        Buffer.byteLength(csv),
      ]);

      const rejects = page.getByRole('region', { name: 'Rejected rows' });
      const rows = rejects.getByRole('row');
      await rows.nth(2).waitFor();
      const texts = (await rows.allTextContents()).slice(1);
      assert.equal(texts.length, 2);
      assert.match(texts[0] ?? '', new RegExp(`^12${refs[10]}items\\[0\\]\\.hsCode`));
      assert.match(texts[1] ?? '', new RegExp(`^40${refs[38]}trader.*imports only its own declarations`));
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        rejects.getByRole('link', { name: 'Download the rejected rows as CSV' }).click(),
      ]);
      const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
      assert.deepEqual(
        lines.map((l) => l.split(',').slice(0, 4).join(',')),
        [
          'line,functional_reference,path,code',
          `12,${refs[10]},items[0].hsCode,unknown_hs_code`,
          `40,${refs[38]},trader,not_authorized_for_trader`,
        ],
      );
      const history = page.getByRole('region', { name: 'Your uploads' });
      assert.match(
        (await history.getByRole('row').nth(1).textContent()) ?? '',
        /march\.csv.*clearwaydone5020/,
      );
      await screenshot(page, 'trader-upload');

      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: 'Declarations' })
        .click();
      await page.getByRole('heading', { name: 'Declarations' }).waitFor();
      const uploaded = page.getByRole('row', { name: new RegExp(`${refs[51]}\\b`) });
      await uploaded.waitFor();
      assert.match((await uploaded.textContent()) ?? '', /accepted(red|yellow|blue|green)/);
      await page.close();
    });
  });
}
