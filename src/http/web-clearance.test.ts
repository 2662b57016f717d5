/**
 * Clearance in a real browser, as people do it: the trader reports the arrival of the goods; the
 * officer requests documents, the trader provides them, the officer checks them, records the
 * control result and the payment, and releases the goods. A green declaration with nothing to pay is
 * released at assessment; the trader never sees the risk reasons; a supervisor sees what waits at
 * each stage. Screenshots go to test-output/.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, anItem, storageTargets } from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`clearance in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let id: number;
    let free: number;
    before(async () => {
      const lodge = async (body: Record<string, unknown>) => {
        const res = await suite.server.request('POST', '/api/declarations', {
          token: suite.tokens.trader,
          body,
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body;
      };
      const owed = await lodge(aDeclaration({ functionalReference: 'WEB-CLEAR' }));
      id = Number(owed.id);
      if (owed.lane !== 'yellow') {
        const moved = await suite.server.request('POST', `/api/declarations/${id}/reroute`, {
          token: suite.tokens.supervisor,
          body: { lane: 'yellow', reason: 'documents of this seller were forged before' },
        });
        assert.equal(moved.status, 200, JSON.stringify(moved.body));
      }
      await lodge(aDeclaration({ functionalReference: 'WEB-WAITING' })); // waits for its goods and duty
      free = Number(
        (await lodge(aDeclaration({ functionalReference: 'WEB-FREE', items: [anItem({ dutyRate: 0 })] }))).id,
      );
    });

    const clearance = (page: Page) => page.locator('section[aria-labelledby="clearance-title"]');
    /** Opens an action's form by its button, fills it with the keyboard and submits it. */
    const act = async (
      page: Page,
      button: string,
      fill: (form: Locator) => Promise<void> = async () => undefined,
    ) => {
      await clearance(page)
        .getByRole('button', { name: `${button}…`, exact: true })
        .click();
      const form = page.getByRole('form', { name: button, exact: true });
      await fill(form);
      await form.getByRole('button', { name: button, exact: true }).press('Enter');
      await page
        .getByRole('status')
        .filter({ hasText: `${button}: recorded.` })
        .waitFor();
    };

    test('the trader reports the arrival of the goods and never sees the risk reasons', async () => {
      const page = await suite.at('trader', `/declarations/${id}`);
      await page.getByRole('heading', { name: /· WEB-CLEAR/ }).waitFor();
      const section = clearance(page);
      await section.getByText('Duty assessed by system').waitFor();
      assert.match((await section.textContent()) ?? '', /Total duty96\.00 USD/);
      assert.equal(await section.getByRole('button', { name: 'Provide documents…' }).count(), 0);
      await act(page, 'Report arrival', async (form) => {
        await form.getByLabel('Place').fill('Quay 4');
        await assertEveryInputLabelled(page);
      });
      await section.getByText(/Goods arrived by trader: at .*, Quay 4/).waitFor();
      const text = (await page.textContent('body')) ?? '';
      assert.ok(!/forged|score|Why this lane/i.test(text), 'no risk reasons for the trader');
      await assertContrast(page);
      await screenshot(page, 'trader-clearance-arrival');
      await page.close();
    });

    test('the officer requests documents, the trader provides them, the officer checks, controls, records the payment and releases', async () => {
      let page = await suite.at('officer', `/declarations/${id}`);
      await clearance(page)
        .getByText(/Goods arrived/)
        .waitFor();
      await act(page, 'Request documents', async (form) => {
        await form.getByLabel('Documents (separated by commas)').fill('invoice, packing list');
      });
      await clearance(page)
        .getByText(/Documents requested by officer: invoice, packing list/)
        .waitFor();
      await page.close();

      page = await suite.at('trader', `/declarations/${id}`);
      await act(page, 'Provide documents', async (form) => {
        await form.getByLabel('Note').fill('sent by the broker this morning');
      });
      await page.close();

      page = await suite.at('officer', `/declarations/${id}`);
      await act(page, 'Check documents', async (form) => {
        await form.getByLabel('Outcome').selectOption('satisfactory');
      });
      await clearance(page)
        .getByText(/waiting: its control result \(yellow lane\) is not recorded/)
        .waitFor();
      // the control result through the control form, confirmed
      await page.locator('#control-outcome').selectOption('compliant');
      await page.getByRole('button', { name: /record the result…/i }).click();
      await page.getByRole('dialog').waitFor();
      await page.keyboard.press('Enter');
      await clearance(page)
        .getByText(/waiting: 96\.00 USD of duty is neither paid nor guaranteed/)
        .waitFor();
      await act(page, 'Record payment', async (form) => {
        assert.equal(await form.getByLabel(/Amount/).inputValue(), '96', 'what is due, to start with');
        await form.getByLabel('Reference').fill('RCPT-2026-1');
      });
      assert.match((await clearance(page).textContent()) ?? '', /Paid96\.00 USD.*Due0\.00 USD/);
      await act(page, 'Release', async (form) => {
        await form.getByLabel('Note').fill('documents in order');
      });
      await clearance(page).getByText('Status: released').waitFor();
      await clearance(page)
        .getByText(/Released by officer: documents in order/)
        .waitFor();
      assert.equal(await clearance(page).getByRole('group', { name: 'Clearance actions' }).count(), 0);
      await assertContrast(page);
      await screenshot(page, 'officer-clearance-released');
      await page.close();
    });

    test('a green declaration with nothing to pay is released at assessment', async () => {
      const page = await suite.at('trader', `/declarations/${free}`);
      await clearance(page).getByText('Status: released').waitFor();
      await clearance(page).getByText('Released by system: automatically').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Amend…' }).count(), 0, 'amending ends at release');
      await page.close();
    });

    test('a supervisor sees what waits at each stage of the office', async () => {
      const page = await suite.at('supervisor', '/queues');
      const section = page.locator('section[aria-labelledby="waiting-title"]');
      await section.getByRole('table').first().waitFor();
      assert.match((await section.textContent()) ?? '', /Office 030.*Awaiting arrival of the goods1/);
      await assertContrast(page);
      await screenshot(page, 'supervisor-waiting');
      await page.close();
    });
  });
}
