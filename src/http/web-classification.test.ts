/**
 * The classification aid in a real browser: a trader types a goods description in the Lodge form,
 * sees the codes it suggests with the words behind them and picks one into the HS code; a risk
 * analyst sees the classification model's versions on the Models page and activates one.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { registerTestClassifier } from '../testing/classifier.ts';
import { storageTargets } from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`the classification aid in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let spare: number;
    before(async () => {
      await registerTestClassifier(suite.ctx);
      spare = await registerTestClassifier(suite.ctx, { activate: false });
    });

    test('a trader describes the goods and picks a suggested code into the item', async () => {
      const page = await suite.at('trader', '/lodge');
      await page.getByRole('heading', { name: 'Lodge a declaration' }).waitFor();
      await page.getByLabel('Date').fill('2026-03-02');
      const item = page.getByRole('group', { name: 'Item 1' });
      await item.getByLabel('Description').fill('frozen shrimp 500g bag');
      const suggestions = item.getByRole('region', { name: 'Codes the description suggests' });
      const first = suggestions.getByRole('button').first();
      await first.waitFor();
      assert.match((await first.textContent()) ?? '', /^0306\.\d\d$/);
      assert.match((await suggestions.textContent()) ?? '', /shrimp/i);
      assert.equal(await suggestions.getByRole('button').count(), 5);
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'lodge-code-suggestions');
      await first.focus();
      await page.keyboard.press('Enter');
      const code = ((await first.textContent()) ?? '').replace('.', '');
      assert.equal(await item.getByLabel('HS code').inputValue(), code);
      assert.equal(await first.getAttribute('aria-pressed'), 'true');
      await page.close();
    });

    test('a risk analyst sees the classification versions and activates another', async () => {
      const page = await suite.at('risk-analyst', '/models');
      const section = page.getByRole('region', { name: 'Classification models' });
      await section.getByRole('row').nth(2).waitFor();
      assert.match((await section.textContent()) ?? '', /active/);
      await section.getByRole('button', { name: `Activate classification model ${spare}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Activate' }).click();
      await page.getByText(`Classification model ${spare} now suggests codes`).waitFor();
      const [active] = await suite.ctx.db.query<{ id: number }>(
        'SELECT id FROM classification_models WHERE active',
      );
      assert.equal(Number(active?.id), spare);
      await assertContrast(page);
      await page.close();
    });
  });
}
