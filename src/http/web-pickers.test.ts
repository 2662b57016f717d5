/**
 * The lodging form's code pickers in a real browser: a trader finds codes by words, picks them with
 * the keyboard and lodges; the list searched is the one in force on the date typed in the form.
 * Screenshots go to test-output/.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  assertContrast,
  assertEveryInputLabelled,
  browserSuite,
  pickerOptions as optionsOf,
  screenshot,
} from '../testing/browser.ts';
import { storageTargets } from '../testing/harness.ts';

/** Presses ArrowDown until the active option is `code`, as a person reading the list would. */
async function arrowTo(page: Page, field: Locator, code: string): Promise<void> {
  await optionsOf(page, field); // the list is open
  for (let i = 0; i < 20; i++) {
    await field.press('ArrowDown');
    const active = await field.getAttribute('aria-activedescendant');
    assert.ok(active, `ArrowDown makes an option active (looking for ${code})`);
    const option = page.locator(`[id="${active}"]`);
    assert.equal(await option.getAttribute('aria-selected'), 'true');
    if ((await option.innerText()).startsWith(code)) return;
  }
  assert.fail(`no option ${code} in the list`);
}

for (const target of storageTargets()) {
  describe(`the lodging form's code pickers in Chromium (${target})`, () => {
    const suite = browserSuite(target);

    test('a trader finds an HS code by words and a country by name, picks them with the keyboard and lodges', async () => {
      const page = await suite.at('trader', '/lodge');
      await page.getByRole('heading', { name: 'Lodge a declaration' }).waitFor();
      await page.getByLabel('Date').fill('2026-03-02');
      await page.getByLabel('Your reference').fill('WEB-PICKERS-1');
      await page.getByLabel('Office of lodgement').fill('030');
      await page.getByLabel('Seller').fill('SELLER-1');
      await page.getByLabel('Invoice total').fill('300');
      await page.getByLabel('Procedure', { exact: true }).fill('4000');
      await page.getByLabel('Transport mode').fill('1');
      await page.getByLabel('Origin country').fill('CN');

      // the dispatch country by its name
      const dispatch = page.getByLabel('Dispatch country');
      assert.equal(await dispatch.getAttribute('role'), 'combobox');
      assert.equal(await dispatch.getAttribute('aria-expanded'), 'false');
      await dispatch.pressSequentially('china');
      assert.equal(await dispatch.inputValue(), 'china', 'words searched for stay as typed');
      assert.match((await optionsOf(page, dispatch))[0] ?? '', /^CN\s+.*China/);
      assert.equal(await dispatch.getAttribute('aria-expanded'), 'true');
      await arrowTo(page, dispatch, 'CN');
      await dispatch.press('Enter');
      assert.equal(await dispatch.inputValue(), 'CN');
      assert.equal(await dispatch.getAttribute('aria-expanded'), 'false');
      assert.equal(
        await page.getByRole('heading', { name: 'Lodge a declaration' }).count(),
        1,
        'Enter did not lodge',
      );

      // the country of destination and the Incoterm, also by words
      const destination = page.getByLabel('Destination country');
      await destination.pressSequentially('korea');
      await arrowTo(page, destination, 'KR');
      await destination.press('Enter');
      const incoterm = page.getByLabel('Incoterm');
      await incoterm.pressSequentially('insurance freight');
      await arrowTo(page, incoterm, 'CIF');
      await incoterm.press('Enter');
      await page.getByLabel('UCR (consignment reference)').fill('6CN1234567-PICK');
      await page.getByLabel('Bill of lading or air waybill').fill('MAEU987654321');

      // the HS code by words, the list open for the screenshot and the checks
      const hs = page.getByLabel('HS code');
      await hs.pressSequentially('glass kitchen');
      const options = await optionsOf(page, hs);
      assert.ok(options.length >= 3, options.join('\n'));
      assert.ok(
        options.every((o) => /^\d{6}\s/.test(o) && /glass/i.test(o) && /kitchen/i.test(o)),
        options.join('\n'),
      );
      await arrowTo(page, hs, '701349');
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'trader-lodge-hs-picker');
      await hs.press('Enter');
      assert.equal(await hs.inputValue(), '701349');
      assert.equal(await hs.getAttribute('aria-activedescendant'), null);

      await page.getByLabel('Description').fill('glass salad bowls');
      await page.getByLabel('Net mass (kg)').fill('100');
      await page.getByLabel('Value').fill('300');
      const unit = page.getByLabel('Unit', { exact: true });
      await unit.pressSequentially('piece');
      await arrowTo(page, unit, 'H87');
      await unit.press('Enter');
      await page.getByLabel('Quantity').fill('50');
      await page.getByText('No errors found so far.').waitFor();
      await page.getByRole('button', { name: 'Lodge', exact: true }).last().click();
      await page.getByRole('heading', { name: /Declaration \d+ · WEB-PICKERS-1/ }).waitFor();
      const id = Number(/\/declarations\/(\d+)$/.exec(page.url())?.[1]);
      const lodged = await suite.server.request('GET', `/api/declarations/${id}`, {
        token: suite.tokens.trader,
      });
      const item = (lodged.body.items as Record<string, unknown>[])[0];
      assert.deepEqual(
        [lodged.body.dispatchCountry, item?.hsCode, item?.supplementaryUnit],
        ['CN', '701349', 'H87'],
      );
      assert.deepEqual(
        [
          lodged.body.destinationCountry,
          lodged.body.incoterm,
          lodged.body.ucr,
          lodged.body.transportDocument,
        ],
        ['KR', 'CIF', '6CN1234567-PICK', 'MAEU987654321'],
      );
      await page.close();
    });

    test("the list is the one in force on the form's date; Escape closes it and keeps the text and the page", async () => {
      const page = await suite.at('trader', '/lodge');
      await page.getByRole('heading', { name: 'Lodge a declaration' }).waitFor();
      const date = page.getByLabel('Date');
      const hs = page.getByLabel('HS code');
      await date.fill('2021-06-01');
      await hs.pressSequentially('yoghurt');
      assert.match((await optionsOf(page, hs))[0] ?? '', /^040310\s/, 'HS 2017 on a day of 2021');
      await hs.press('Escape');
      assert.equal(await hs.getAttribute('aria-expanded'), 'false');
      assert.equal(await hs.inputValue(), 'yoghurt', 'Escape keeps what was typed');
      assert.equal(new URL(page.url()).pathname, '/lodge', 'Escape stays on the page');

      await date.fill('2026-03-02');
      await hs.focus();
      await hs.press('ArrowDown'); // opens the list again, for the new date
      const current = await optionsOf(page, hs);
      assert.match(current[0] ?? '', /^040320\s/, 'HS 2022 on a day of 2026');
      assert.ok(!current.some((o) => o.startsWith('040310')));
      // a code typed whole is taken as it is
      await hs.fill('');
      await hs.pressSequentially('85171300');
      await page.getByLabel('Description').focus();
      assert.equal(await hs.inputValue(), '85171300');
      assert.equal(await hs.getAttribute('aria-expanded'), 'false', 'leaving the field closes its list');
      await page.close();
    });

    test('a code typed in lower case is upper-cased as typed, words stay as typed, and the caret stays put', async () => {
      const page = await suite.at('trader', '/lodge');
      await page.getByRole('heading', { name: 'Lodge a declaration' }).waitFor();
      const origin = page.getByLabel('Origin country').first();
      await origin.pressSequentially('cn');
      assert.equal(await origin.inputValue(), 'CN');
      assert.match((await optionsOf(page, origin))[0] ?? '', /^CN\s+.*China/);
      await origin.fill('');
      // a word longer than a code: the letters upper-cased while it could be one are given back
      await origin.pressSequentially('china');
      assert.equal(await origin.inputValue(), 'china');
      assert.match((await optionsOf(page, origin))[0] ?? '', /^CN\s+.*China/);
      await arrowTo(page, origin, 'CN');
      await origin.press('Enter');
      assert.equal(await origin.inputValue(), 'CN');
      // a character that upper-cases into two ("ß" into "SS") is no code's: left as it is
      const dispatch = page.getByLabel('Dispatch country');
      await dispatch.pressSequentially('straße');
      assert.equal(await dispatch.inputValue(), 'straße');
      // left with words that are no code: the words stay, for validation to name the field
      await page.getByLabel('Seller').focus();
      assert.equal(await dispatch.inputValue(), 'straße');
      // typing in the middle of a code keeps the caret after what was typed
      const currency = page.getByLabel('Currency');
      await currency.fill('');
      await currency.pressSequentially('ud');
      await currency.press('ArrowLeft');
      await currency.pressSequentially('s');
      assert.equal(await currency.inputValue(), 'USD');
      assert.equal(await page.evaluate('document.activeElement.selectionStart'), 2);
      await page.close();
    });

    test("a date that is not a real day: the list is the one in force on the person's today", async () => {
      const page = await suite.at('trader', '/lodge');
      await page.getByRole('heading', { name: 'Lodge a declaration' }).waitFor();
      const asked: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/api/reference/')) asked.push(new URL(r.url()).searchParams.get('date') ?? '');
      });
      // the date field as a text field would hold it: typed by hand, not a day of the calendar
      await page.getByLabel('Date').evaluate((el) => el.setAttribute('type', 'text'));
      await page.getByLabel('Date').fill('2026-02-30');
      const hs = page.getByLabel('HS code');
      await hs.pressSequentially('yoghurt');
      const options = await optionsOf(page, hs);
      assert.ok(options.length > 0, 'the list is shown');
      // the browser's own day (its clock and time zone)
      const today = await page.evaluate(
        "[new Date().getFullYear(), new Date().getMonth() + 1, new Date().getDate()].map((n) => String(n).padStart(2, '0')).join('-')",
      );
      assert.ok(asked.length > 0 && asked.every((d) => d === today), `${asked.join(', ')} vs ${today}`);
      await page.close();
    });
  });
}
