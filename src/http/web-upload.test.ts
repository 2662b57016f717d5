/**
 * Uploading a file of declarations in a real browser (Debian's Chromium driven by playwright-core)
 * against the real server: the trader chooses a file, watches it sent and imported, reads the
 * rejected rows, and finds the uploaded declarations in its list.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import { otherTrader, storageTargets } from '../testing/harness.ts';

/** The value shown next to a term of a description list. */
const fact = (panel: Locator, term: string) =>
  panel.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');

for (const target of storageTargets()) {
  describe(`uploading a file of declarations in Chromium (${target})`, () => {
    const suite = browserSuite(target);

    test('a trader uploads 52 rows, watches them imported, reads the 2 rejected and finds the others', async () => {
      const refs = Array.from({ length: 52 }, (_, i) => `WEB-UP-${i + 1}`);
      // line 12 has an HS code that does not exist; line 40 is another trader's declaration
      const csv = clearwayCsv(
        refs.map((ref, i) =>
          aClearwayRow(ref, i === 10 ? { hs_code: '99999999' } : i === 38 ? { trader: otherTrader } : {}),
        ),
      );
      const page = await suite.at('trader', '/upload');
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
      for (const term of [
        'Rows read',
        'Declarations accepted',
        'Declarations rejected',
        'Already lodged',
        'Assessed',
      ])
        shown[term] = (await fact(panel, term).textContent()) ?? '';
      assert.deepEqual(shown, {
        'Rows read': '52',
        'Declarations accepted': '50',
        'Declarations rejected': '2',
        'Already lodged': '0',
        Assessed: '50',
      });
      assert.match(
        (await panel.locator('.upload-rows').textContent()) ?? '',
        /^52 rows read, holding 52 declarations\. A declaration takes one row per goods item/,
      );
      assert.equal(await page.locator('.upload-all-rejected').count(), 0);
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
      // the field by its name, and the message in words
      assert.match(
        texts[0] ?? '',
        new RegExp(`^12${refs[10]}Item 1, HS codeHS subheading 999999 does not exist`),
      );
      assert.match(texts[1] ?? '', new RegExp(`^40${refs[38]}Trader.*imports only its own declarations`));
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
      // assessed: open with its lane, or released at once when green (or blue) with no duty to pay
      assert.match(
        (await uploaded.textContent()) ?? '',
        /accepted(red|yellow|blue|green)|released(blue|green)/,
      );
      await page.close();
    });

    test('an upload whose every declaration is rejected says so plainly, with the rows against the declarations', async () => {
      // two declarations in three rows: the first of two items, the second of one; both rejected
      const csv = clearwayCsv([
        aClearwayRow('WEB-ALL-1'),
        aClearwayRow('WEB-ALL-1', { item_sequence: '2', hs_code: '99999999' }),
        aClearwayRow('WEB-ALL-2', { hs_code: '99999999' }),
      ]);
      const page = await suite.at('trader', '/upload');
      await page.getByRole('heading', { name: 'Upload', exact: true }).waitFor();
      await page
        .getByLabel('File', { exact: true })
        .setInputFiles({ name: 'all-wrong.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByLabel('File', { exact: true }).focus();
      await page.keyboard.press('Tab'); // to the format
      await page.keyboard.press('Tab'); // to the button
      await page.keyboard.press('Enter');

      const panel = page.getByRole('region', { name: /^Import \d+ · all-wrong\.csv$/ });
      const plainly = panel.locator('.upload-all-rejected');
      await plainly.waitFor({ timeout: 20_000 });
      assert.equal(
        await plainly.textContent(),
        'Every declaration in this file was rejected (2 declarations): nothing was stored. Correct the rows listed below and upload the file again.',
      );
      assert.equal(await plainly.getAttribute('role'), 'alert');
      assert.equal(await fact(panel, 'Status').textContent(), 'done: nothing stored');
      assert.equal(await fact(panel, 'Rows read').textContent(), '3');
      assert.equal(await fact(panel, 'Declarations rejected').textContent(), '2');
      assert.match(
        (await panel.locator('.upload-rows').textContent()) ?? '',
        /^3 rows read, holding 2 declarations\. A declaration takes one row per goods item, so one of several items has several rows/,
      );
      assert.equal(
        await page.getByRole('button', { name: 'See your declarations' }).count(),
        0,
        'no declarations to see',
      );
      const rejects = page.getByRole('region', { name: 'Rejected rows' });
      await rejects.getByRole('row').nth(1).waitFor();
      const texts = (await rejects.getByRole('row').allTextContents()).join(' | ');
      assert.match(texts, /3WEB-ALL-1Item 2, HS code/);
      assert.match(texts, /4WEB-ALL-2Item 1, HS code/);
      assert.doesNotMatch(texts, /items\[/);
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'trader-upload-all-rejected');
      await page.close();
    });
  });
}
