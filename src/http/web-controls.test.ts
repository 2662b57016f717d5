/**
 * Control results in a real browser: the officer who takes the work records what the control found,
 * confirming a summary first; a supervisor of the office corrects it with a reason, the history
 * keeps both and the performance figures follow the correction. The form is offered only to the
 * officer holding the work, and starts afresh after a recording. Screenshots go to test-output/.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, createUserToken, storageTargets, testOffice } from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`control results in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let id: number;
    before(async () => {
      const lodged = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration({ functionalReference: 'WEB-CONTROL' }),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      id = Number(lodged.body.id);
    });

    const signIn = (username: string) => suite.at(username, `/declarations/${id}`);
    /** The revenue recovered of each month as the Performance page shows it to a risk analyst. */
    const revenueShown = async () => {
      const page = await suite.at('risk-analyst', '/performance');
      const table = page.getByRole('table', { name: 'Duty and revenue of the controls per month' });
      await table.waitFor();
      const rows = await table.locator('tbody tr').all();
      const revenue = [];
      for (const row of rows) revenue.push(((await row.getByRole('cell').allTextContents())[2] ?? '').trim());
      await screenshot(page, 'analyst-performance-controls');
      await page.close();
      return revenue;
    };
    const results = async () =>
      (
        await suite.server.request('GET', `/api/declarations/${id}/control-results`, {
          token: suite.tokens.auditor,
        })
      ).body.results as {
        id: number;
        outcome: string;
        revenueRecovered: number | null;
        supersededAt: string | null;
      }[];

    test('an officer takes the work, types the revenue as people write it, confirms a summary, and sees the result recorded', async () => {
      const page = await signIn('officer');
      await page.getByRole('heading', { name: /· WEB-CONTROL/ }).waitFor();
      // nobody holds it: the form offers to take it in the same step; the officer takes it first
      await page.getByRole('button', { name: 'Take it and record the result…' }).waitFor();
      await page.keyboard.press('t');
      await page.getByText('Worked by').waitFor();
      await page.keyboard.press('c');
      assert.equal(await page.evaluate('document.activeElement.id'), 'control-outcome');
      await page.getByLabel('Outcome').selectOption('non_compliant');
      await page.getByLabel('Kind of irregularity').selectOption('undervaluation');
      await assertEveryInputLabelled(page);
      assert.equal(await page.getByLabel('Currency').inputValue(), 'USD', "the declaration's currency");
      await page.getByLabel('Goods seized').check();
      await page.getByLabel('Notes').fill('invoice from the seller shows 3,000');
      const revenue = page.getByLabel('Revenue recovered');
      await revenue.click();
      await revenue.pressSequentially('1,250.75');
      await page.keyboard.press('Enter');

      // a summary to confirm; Escape goes back to the form with everything still filled in
      const dialog = page.getByRole('dialog', { name: 'Record this result?' });
      await dialog.waitFor();
      const summary = (await dialog.textContent()) ?? '';
      assert.match(summary, /Outcomenon-compliant/);
      assert.match(summary, /Irregularityundervaluation/);
      assert.match(summary, /Severitycritical/);
      assert.match(summary, /Revenue recovered1,250.75 USD/);
      assert.match(summary, /Goods seizedyes/);
      await screenshot(page, 'officer-control-confirm');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      assert.match(page.url(), /\/declarations\/\d+$/, 'Escape closed the question, not the page');
      assert.equal(await revenue.inputValue(), '1,250.75');
      assert.deepEqual(await results(), [], 'nothing is recorded before it is confirmed');

      // so does the Cancel button, and the form is not sent behind it
      await page.getByRole('button', { name: 'Record the result…' }).click();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await revenue.inputValue(), '1,250.75');
      assert.deepEqual(await results(), []);

      await page.getByRole('button', { name: 'Record the result…' }).click();
      await dialog.waitFor();
      await page.keyboard.press('Enter'); // the confirming button has the focus
      await page
        .getByRole('status')
        .filter({ hasText: /recorded/ })
        .waitFor();
      const recorded = await results();
      assert.deepEqual(
        recorded.map((r) => [r.outcome, r.revenueRecovered]),
        [['non_compliant', 1250.75]],
      );
      const section = page.locator('section', { has: page.getByRole('heading', { name: 'Control result' }) });
      assert.match(
        (await section.textContent()) ?? '',
        /non-compliant, undervaluation, critical, 1,250.75 USD recovered, goods seized/,
      );
      assert.match(
        (await section.textContent()) ?? '',
        /Notes: goods seized\. invoice from the seller shows 3,000/,
      );
      // the declaration is controlled: no form to record a second result
      assert.equal(await page.getByRole('button', { name: /record the result/i }).count(), 0);
      assert.equal(
        await page.getByRole('button', { name: 'Correct result…' }).count(),
        0,
        'officers do not correct',
      );
      await page.getByText(/controlled by officer: non-compliant, undervaluation/).waitFor();
      await assertContrast(page);
      await screenshot(page, 'officer-control-recorded');
      await page.close();
    });

    test('the Performance page counts the revenue the officer recorded', async () => {
      assert.deepEqual(
        (await revenueShown()).filter((r) => r !== 'none'),
        ['1,250.75 USD'],
      );
    });

    test('a supervisor corrects the result with a reason, and the history shows both', async () => {
      const [original] = await results();
      assert.ok(original);
      const page = await signIn('supervisor');
      await page.getByRole('heading', { name: /· WEB-CONTROL/ }).waitFor();
      await page.getByRole('button', { name: 'Correct result…' }).click();
      const form = page.getByRole('form', { name: `Correct result #${original.id}` });
      await form.waitFor();
      await assertEveryInputLabelled(page);
      // the form starts from the result in force
      assert.equal(await form.getByLabel('Revenue recovered').inputValue(), '1250.75');
      await form.getByLabel('Outcome').selectOption('compliant');
      await form.getByLabel('Reason for the correction').fill('the invoice was for another shipment');
      await form.getByRole('button', { name: 'Correct the result…' }).click();
      const dialog = page.getByRole('dialog', { name: `Correct result #${original.id}?` });
      await dialog.waitFor();
      const summary = (await dialog.textContent()) ?? '';
      assert.match(
        summary,
        /Replacesresult #\d+: non-compliant, undervaluation, critical, 1,250.75 USD recovered/,
      );
      assert.match(summary, /Outcomecompliant/);
      assert.match(summary, /Reasonthe invoice was for another shipment/);
      await screenshot(page, 'supervisor-control-correct');
      await dialog.getByRole('button', { name: 'Correct it' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /corrected/ })
        .waitFor();
      assert.equal(await form.count(), 0, 'the form closes once the correction is made');

      const after = await results();
      assert.deepEqual(
        after.map((r) => [r.outcome, r.supersededAt !== null]),
        [
          ['non_compliant', true],
          ['compliant', false],
        ],
      );
      const section = page.locator('section', { has: page.getByRole('heading', { name: 'Control result' }) });
      await section.getByRole('listitem').nth(1).waitFor();
      const items = await section.getByRole('listitem').allTextContents();
      assert.equal(items.length, 2);
      assert.match(items[0] ?? '', /superseded by a correction/);
      assert.match(
        items[1] ?? '',
        /compliant · by supervisor.*corrects #\d+: the invoice was for another shipment/,
      );
      const history = await page.locator('.timeline li').allTextContents();
      assert.ok(
        history.some((h) => /controlled by officer: non-compliant, undervaluation/.test(h)),
        history.join(' | '),
      );
      assert.ok(
        history.some((h) =>
          /control_corrected by supervisor: non-compliant, undervaluation, critical, 1,250.75 USD recovered, goods seized → compliant \(the invoice was for another shipment\)/.test(
            h,
          ),
        ),
        history.join(' | '),
      );
      await assertContrast(page);
      await screenshot(page, 'supervisor-control-corrected');
      await page.close();
    });

    test('after the correction, the Performance page counts the corrected result: no revenue', async () => {
      const revenue = await revenueShown();
      assert.ok(revenue.length > 0, 'the months are shown');
      assert.deepEqual(
        revenue.filter((r) => r !== 'none'),
        [],
      );
    });

    test("the form is offered only to the officer who holds the work: a colleague's work shows none", async () => {
      await createUserToken(suite.ctx, { username: 'officer-2', role: Role.Officer, offices: [testOffice] });
      const lodged = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration({ functionalReference: 'WEB-CONTROL-HELD' }),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      const held = Number(lodged.body.id);
      const next = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration({ functionalReference: 'WEB-CONTROL-NEXT' }),
      });
      assert.equal(next.status, 201, JSON.stringify(next.body));
      const colleague = await suite.at('officer-2', `/declarations/${held}`);
      await colleague.getByRole('heading', { name: /· WEB-CONTROL-HELD/ }).waitFor();
      await colleague.getByRole('button', { name: 'Take it and record the result…' }).waitFor();
      await colleague.getByRole('button', { name: 'Take it t', exact: true }).click();
      await colleague.getByText('Worked by').waitFor();
      await colleague.getByRole('button', { name: 'Record the result…' }).waitFor();

      const page = await suite.at('officer', `/declarations/${held}`);
      await page.getByRole('heading', { name: /· WEB-CONTROL-HELD/ }).waitFor();
      await page
        .getByText(/officer-2/)
        .first()
        .waitFor();
      assert.equal(await page.getByRole('button', { name: /record the result/i }).count(), 0);
      assert.equal(await page.getByLabel('Outcome').count(), 0, 'no control form');
      await screenshot(page, 'officer-colleague-work');
      await page.close();

      // its holder records a result; the form is empty again and nothing is left unsaved
      await colleague.getByLabel('Outcome').selectOption('non_compliant');
      await colleague.getByLabel('Revenue recovered').fill('80');
      await colleague.getByLabel('Notes').fill('short-shipped');
      await colleague.getByRole('button', { name: 'Record the result…' }).click();
      await colleague
        .getByRole('dialog', { name: 'Record this result?' })
        .getByRole('button', { name: 'Record it' })
        .click();
      await colleague
        .getByRole('status')
        .filter({ hasText: /recorded/ })
        .waitFor();
      await colleague
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: 'Declarations' })
        .click();
      await colleague.getByRole('heading', { name: 'Declarations', level: 1 }).waitFor();
      assert.equal(await colleague.getByRole('dialog', { name: 'Leave this page?' }).count(), 0);
      // the next work opened in the application starts from an empty form
      await colleague.getByLabel('Reference').fill('WEB-CONTROL-NEXT');
      await colleague.getByLabel('Reference').press('Enter');
      await colleague.getByRole('link', { name: 'WEB-CONTROL-NEXT', exact: true }).click();
      await colleague.getByRole('heading', { name: /· WEB-CONTROL-NEXT/ }).waitFor();
      await colleague.getByRole('button', { name: 'Take it and record the result…' }).waitFor();
      assert.deepEqual(
        [
          await colleague.getByLabel('Outcome').inputValue(),
          await colleague.getByLabel('Notes').inputValue(),
          await colleague.getByLabel('Revenue recovered').count(),
        ],
        ['compliant', '', 0],
      );
      await colleague.close();
    });
  });
}
