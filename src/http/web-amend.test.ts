/**
 * Amending a declaration in the Lodge form in a real browser: the form starts from the declaration
 * as stored, offers a code list for every coded field, and the amendment (which replaces the whole
 * content) keeps every field the person did not change, shown in the form or not. Screenshots go to
 * test-output/web.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  assertContrast,
  assertEveryInputLabelled,
  browserSuite,
  filledValue,
  pickerOptions as optionsOf,
  screenshot,
} from '../testing/browser.ts';
import { aDeclaration, anItem, storageTargets } from '../testing/harness.ts';

/** Every field of the model, the header's and each item's, with values unlike the defaults. */
const everyField = aDeclaration({
  functionalReference: 'WEB-AMEND-ALL',
  seller: 'SELLER-ROUND',
  buyer: 'BUYER-ROUND',
  courier: 'COURIER-7',
  exporter: 'EXPORTER-CN-1',
  transportMode: '1',
  dispatchCountry: 'CN',
  originCountry: 'CN',
  destinationCountry: 'KR',
  currency: 'USD',
  invoiceTotal: 1310.5,
  procedure: '4000',
  additionalProcedure: 'C07',
  paymentMethod: 'E',
  processingMode: 'D',
  ucr: '6KR1234567-ROUND',
  transportDocument: 'MAEU555000111',
  transportDocumentType: 'N705',
  incoterm: 'CIF',
  // sequence numbers that are not the items' positions: the form does not show them
  items: [
    anItem({ sequence: 3, originIndicator: '2', dutyTaxType: 'A00', value: 1200 }),
    anItem({
      sequence: 7,
      hsCode: '70134900',
      description: 'glass tumblers',
      netMass: 40.25,
      grossMass: 44,
      supplementaryQuantity: 120,
      supplementaryUnit: 'H87',
      value: 110.5,
      dutyTaxType: 'FCN1',
      dutyRate: 6.5,
      packageType: 'BX',
      packageCount: 12,
      originIndicator: 'E',
    }),
  ],
});

/** Moves down the open list of `field` to `code` and takes it with Enter, as a person would. */
async function pick(page: Page, field: Locator, code: string): Promise<void> {
  const options = await optionsOf(page, field);
  for (let i = 0; i < options.length; i++) {
    await field.press('ArrowDown');
    const active = page.locator(`[id="${await field.getAttribute('aria-activedescendant')}"]`);
    if (
      (await active.innerText()).startsWith(`${code}\u00a0`) ||
      (await active.innerText()).startsWith(`${code} `)
    ) {
      await field.press('Enter');
      return;
    }
  }
  assert.fail(`no option ${code} in ${options.join(' | ')}`);
}

for (const target of storageTargets()) {
  describe(`amending a declaration in the Lodge form in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let id: number;
    let catalog: string[];

    before(async () => {
      const served = await suite.server.request('GET', '/api/catalog', { token: suite.tokens.trader });
      catalog = (served.body.fields as { path: string }[]).map((f) => f.path);
      // the fixture holds every field of the model, so a field added to it is covered here too
      const given = [
        ...Object.keys(everyField),
        ...Object.keys((everyField.items as Record<string, unknown>[])[1] ?? {}).map((k) => `items[].${k}`),
      ];
      assert.deepEqual(
        catalog.filter((path) => !given.includes(path)),
        [],
        'fields of the model the test does not lodge',
      );
      const lodged = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: everyField,
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      id = Number(lodged.body.id);
    });

    const stored = async () =>
      (await suite.server.request('GET', `/api/declarations/${id}`, { token: suite.tokens.trader })).body;

    test('a trader changes the kind of transport document by words, and every other field stays as it was', async () => {
      const before = await stored();
      const page = await suite.at('trader', `/declarations/${id}`);
      await page.getByRole('heading', { name: /· WEB-AMEND-ALL/ }).waitFor();
      await page.getByRole('button', { name: 'Amend…' }).click();
      await page.getByRole('heading', { name: `Amend declaration ${id}` }).waitFor();
      assert.equal(await filledValue(page.getByLabel('Your reference')), 'WEB-AMEND-ALL');

      // the coded fields the form lacked before, each with its code list, filled from the declaration
      const coded: [string, string][] = [
        ['Kind of declaration', 'D'],
        ['Kind of transport document', 'N705'],
        ['Payment method', 'E'],
        ['Additional procedure', 'C07'],
      ];
      for (const [label, value] of coded) {
        const field = page.getByLabel(label);
        assert.equal(await field.getAttribute('role'), 'combobox', `${label} has a picker`);
        assert.equal(await field.inputValue(), value, label);
      }
      assert.equal(await page.getByLabel('Express courier').inputValue(), 'COURIER-7');
      const second = page.getByRole('group', { name: 'Item 2' });
      assert.equal(await second.getByLabel('Kind of origin').inputValue(), 'E', 'a national code is kept');
      assert.equal(await second.getByLabel('Duty or tax type').getAttribute('role'), 'combobox');
      assert.equal(await second.getByLabel('Duty or tax type').inputValue(), 'FCN1');
      await assertEveryInputLabelled(page);

      // the kind of origin and the duty or tax type by words
      const origin = page.getByRole('group', { name: 'Item 1' }).getByLabel('Kind of origin');
      await origin.fill('');
      await origin.pressSequentially('preferential');
      assert.ok(
        (await optionsOf(page, origin)).some((o) => /^2\s+Preferential origin/.test(o)),
        'the kinds of origin are listed',
      );
      await pick(page, origin, '2');
      assert.equal(await origin.inputValue(), '2', 'picked again as it was');

      // the one change: a bill of lading becomes an air waybill, found by its name
      const kind = page.getByLabel('Kind of transport document');
      await kind.fill('');
      await kind.pressSequentially('air waybill');
      const options = await optionsOf(page, kind);
      assert.ok(
        options.every((o) => /^N7\d\d\s/.test(o)),
        options.join('\n'),
      );
      await screenshot(page, 'trader-amend-transport-document');
      await pick(page, kind, 'N740');
      assert.equal(await kind.inputValue(), 'N740');
      await page.getByText('No errors found so far.').waitFor();
      await assertContrast(page);
      await page.getByRole('button', { name: 'Amend', exact: true }).click();
      await page.getByText(/amended by trader/).waitFor();

      const after = await stored();
      assert.equal(after.version, Number(before.version) + 1);
      assert.equal(after.transportDocumentType, 'N740');
      for (const path of catalog.filter((p) => !p.includes('[') && p !== 'items')) {
        if (path === 'transportDocumentType') continue;
        assert.deepEqual(after[path], before[path], path);
      }
      const itemsBefore = before.items as Record<string, unknown>[];
      const itemsAfter = after.items as Record<string, unknown>[];
      assert.equal(itemsAfter.length, 2);
      for (const [i, item] of itemsBefore.entries())
        for (const path of catalog.filter((p) => p.startsWith('items[].'))) {
          const key = path.slice('items[].'.length);
          assert.deepEqual(itemsAfter[i]?.[key], item[key], `items[${i}].${key}`);
        }
      // and they are the fields lodged
      assert.deepEqual(
        itemsAfter.map((it) => [it.sequence, it.originIndicator, it.dutyTaxType]),
        [
          [3, '2', 'A00'],
          [7, 'E', 'FCN1'],
        ],
      );
      assert.deepEqual(
        [after.courier, after.paymentMethod, after.processingMode, after.additionalProcedure],
        ['COURIER-7', 'E', 'D', 'C07'],
      );
      await page.close();
    });
  });
}
