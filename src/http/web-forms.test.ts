/**
 * How forms behave across the application in a real browser: Escape in a field never leaves the
 * page, leaving a page with unsaved input asks first (the application's navigation, Back, the
 * browser's Back, closing the tab), and reason fields are empty once their action is done (reroute,
 * hold and release, rejecting a profile).
 * Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { Role } from '../governance/roles.ts';
import { aDeclaration, createUserToken, storageTargets } from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`form behaviours in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let id: number;

    before(async () => {
      const lodged = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration({ functionalReference: 'WEB-FORMS' }),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      id = Number(lodged.body.id);
    });

    /** The value of an input once it is empty, within 5 s (the form empties it when the server has answered). */
    const emptied = async (input: Locator) => {
      for (let i = 0; i < 100 && (await input.inputValue()) !== ''; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      return input.inputValue();
    };
    const leaveQuestion = (page: Page) => page.getByRole('dialog', { name: 'Leave this page?' });
    const events = async () =>
      (
        (await suite.server.request('GET', `/api/declarations/${id}/events`, { token: suite.tokens.auditor }))
          .body.events as {
          kind: string;
        }[]
      ).map((e) => e.kind);

    test('Escape in a reason field stays on the page with the text intact; leaving with it asks first', async () => {
      const page = await suite.at('supervisor', `/declarations/${id}`);
      await page.getByRole('heading', { name: /· WEB-FORMS/ }).waitFor();
      const reason = page.getByLabel('Reason', { exact: true });
      await reason.click();
      await reason.pressSequentially('seller cleared');
      await page.keyboard.press('Escape');
      // the page binds Escape to going back: in a field it only leaves the field
      assert.match(page.url(), new RegExp(`/declarations/${id}$`));
      assert.equal(await reason.inputValue(), 'seller cleared');
      assert.equal(await page.evaluate('document.activeElement === document.body'), true);

      // a second Escape is the page's: going back with unsaved input asks, and Cancel stays
      await page.keyboard.press('Escape');
      const question = leaveQuestion(page);
      await question.waitFor();
      assert.match((await question.textContent()) ?? '', /not saved/);
      await assertContrast(page);
      await screenshot(page, 'forms-leave-question');
      await question.getByRole('button', { name: 'Cancel' }).click();
      await question.waitFor({ state: 'hidden' });
      assert.match(page.url(), new RegExp(`/declarations/${id}$`));
      assert.equal(await reason.inputValue(), 'seller cleared');
      await page.close();
    });

    test('the reroute reason is empty after the reroute, and the page is left without a question', async () => {
      const page = await suite.at('supervisor', `/declarations/${id}`);
      await page.getByRole('heading', { name: /· WEB-FORMS/ }).waitFor();
      await assertEveryInputLabelled(page);
      const to = (await page.getByLabel('Move to lane').locator('option').allTextContents())[0] ?? '';
      await page.getByLabel('Move to lane').selectOption(to);
      const reason = page.getByLabel('Reason', { exact: true });
      await reason.fill('seller under investigation');
      await page.getByRole('button', { name: 'Reroute' }).click();
      await page
        .getByText(new RegExp(`rerouted by supervisor: .* → ${to} lane \\(seller under investigation\\)`))
        .waitFor();
      assert.equal(await emptied(reason), '');
      assert.ok((await events()).includes('rerouted'));
      await assertContrast(page);
      await screenshot(page, 'forms-reroute-cleared');
      // nothing unsaved is left: Back goes at once
      await page.getByRole('button', { name: 'Reroute' }).focus();
      await page.keyboard.press('Escape');
      await page.getByRole('heading', { name: 'Worklist' }).waitFor();
      assert.equal(await leaveQuestion(page).count(), 0);
      await page.close();
    });

    test('the hold and release reasons are empty after each is done', async () => {
      const page = await suite.at('supervisor', `/declarations/${id}`);
      const section = page.getByRole('region', { name: 'Legal hold' });
      await section.getByRole('status').getByText('Not held').waitFor();
      await section.getByLabel('Why hold it').fill('Court order 2026/411');
      await section.getByRole('button', { name: 'Place a legal hold' }).click();
      await section
        .getByRole('status')
        .getByText(/Under legal hold/)
        .waitFor();
      assert.equal(await emptied(section.getByLabel('Why release it')), '');
      await section.getByLabel('Why release it').fill('Order lifted 2026/412');
      await section.getByRole('button', { name: 'Release the hold' }).click();
      await section.getByRole('status').getByText('Not held').waitFor();
      assert.equal(await emptied(section.getByLabel('Why hold it')), '');
      // with nothing typed, another page opens without a question
      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: 'Declarations' })
        .click();
      await page.getByRole('heading', { name: 'Declarations', level: 1 }).waitFor();
      await page.close();
    });

    test('a trader who typed in the Lodge form is asked before another page opens, and before the tab closes', async () => {
      const page = await suite.at('trader', '/declarations');
      const nav = page.getByRole('navigation', { name: 'Pages' });
      await nav.getByRole('button', { name: 'Lodge' }).click();
      await page.getByRole('heading', { name: 'Lodge a declaration' }).waitFor();
      const reference = page.getByLabel('Your reference');
      await reference.click();
      await reference.pressSequentially('UNSAVED-1');

      // another page: Cancel stays with the input kept
      await nav.getByRole('button', { name: 'Declarations' }).click();
      const question = leaveQuestion(page);
      await question.waitFor();
      await assertEveryInputLabelled(page);
      await screenshot(page, 'forms-lodge-leave-question');
      await question.getByRole('button', { name: 'Cancel' }).click();
      await question.waitFor({ state: 'hidden' });
      assert.match(page.url(), /\/lodge$/);
      assert.equal(await reference.inputValue(), 'UNSAVED-1');

      // the browser's Back asks too, and the address stays the form's
      await page.goBack();
      await question.waitFor();
      await question.getByRole('button', { name: 'Cancel' }).click();
      assert.match(page.url(), /\/lodge$/);
      assert.equal(await reference.inputValue(), 'UNSAVED-1');

      // closing or reloading the tab: the page asks the browser to ask (headless Chromium shows no prompt)
      const unloading = `(() => {
        const event = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(event);
        return event.defaultPrevented;
      })()`;
      assert.equal(await page.evaluate(unloading), true, 'beforeunload is stopped while input is unsaved');

      // confirming leaves, and the input is given up
      await nav.getByRole('button', { name: 'Declarations' }).click();
      await question.getByRole('button', { name: 'Leave and discard' }).click();
      await page.getByRole('heading', { name: 'Declarations', level: 1 }).waitFor();
      assert.match(page.url(), /\/declarations$/);
      await nav.getByRole('button', { name: 'Lodge' }).click();
      await page.getByRole('heading', { name: 'Lodge a declaration' }).waitFor();
      assert.equal(await page.getByLabel('Your reference').inputValue(), '');
      assert.equal(await page.evaluate(unloading), false, 'with nothing typed, the tab closes at once');
      await page.close();
    });

    test("the browser's Back with unsaved input: Cancel keeps the form and its history, Leave goes back as Back would", async () => {
      const page = await suite.at('trader', '/dashboards');
      const nav = page.getByRole('navigation', { name: 'Pages' });
      await nav.getByRole('button', { name: 'Declarations' }).click();
      await page.getByRole('heading', { name: 'Declarations', level: 1 }).waitFor();
      await nav.getByRole('button', { name: 'Lodge' }).click();
      await page.getByRole('heading', { name: 'Lodge a declaration' }).waitFor();
      const reference = page.getByLabel('Your reference');
      await reference.click();
      await reference.pressSequentially('DISCARDED-1');
      const question = leaveQuestion(page);

      // Cancel: the form, its input and the way back stay as they were
      await page.goBack();
      await question.waitFor();
      await question.getByRole('button', { name: 'Cancel' }).click();
      await question.waitFor({ state: 'hidden' });
      assert.match(page.url(), /\/lodge$/);
      assert.equal(await reference.inputValue(), 'DISCARDED-1');

      // Leave: the previous page, and the history is the one Back alone would have left
      await page.goBack();
      await question.waitFor();
      await question.getByRole('button', { name: 'Leave and discard' }).click();
      await page.getByRole('heading', { name: 'Declarations', level: 1 }).waitFor();
      assert.match(page.url(), /\/declarations$/);
      await page.goBack();
      for (let i = 0; i < 100 && !page.url().endsWith('/dashboards'); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(page.url(), /\/dashboards$/, 'Back again goes where it led before the form was opened');
      assert.equal(await page.getByRole('heading', { name: 'Lodge a declaration' }).count(), 0);
      assert.equal(await question.count(), 0);
      // and Forward leads back to the list, not to the discarded form
      await page.goForward();
      await page.getByRole('heading', { name: 'Declarations', level: 1 }).waitFor();
      assert.match(page.url(), /\/declarations$/);
      await page.close();
    });

    test('signing out with unsaved input asks first; Cancel keeps the input, Leave signs out', async () => {
      const page = await suite.at('trader', '/lodge');
      await page.getByRole('heading', { name: 'Lodge a declaration' }).waitFor();
      const reference = page.getByLabel('Your reference');
      await reference.click();
      await reference.pressSequentially('UNSAVED-2');
      await page.getByRole('button', { name: 'Sign out' }).click();
      const question = leaveQuestion(page);
      await question.waitFor();
      await question.getByRole('button', { name: 'Cancel' }).click();
      await question.waitFor({ state: 'hidden' });
      assert.equal(await reference.inputValue(), 'UNSAVED-2');
      assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 1, 'still signed in');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await question.getByRole('button', { name: 'Leave and discard' }).click();
      await page.getByLabel('Username').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
      await page.close();
    });

    test('an officer who typed in the control form is asked before the Worklist opens', async () => {
      const page = await suite.at('officer', `/declarations/${id}`);
      await page.getByRole('heading', { name: /· WEB-FORMS/ }).waitFor();
      await page.getByRole('heading', { name: 'Record the control result' }).waitFor();
      await page.getByLabel('Outcome').selectOption('non_compliant');
      const revenue = page.getByLabel('Revenue recovered');
      await revenue.click();
      await revenue.pressSequentially('1,250.75');
      const nav = page.getByRole('navigation', { name: 'Pages' });
      await nav.getByRole('button', { name: 'Worklist' }).click();
      const question = leaveQuestion(page);
      await question.waitFor();
      await assertContrast(page);
      await screenshot(page, 'forms-control-leave-question');
      await question.getByRole('button', { name: 'Cancel' }).click();
      await question.waitFor({ state: 'hidden' });
      assert.match(page.url(), new RegExp(`/declarations/${id}$`));
      assert.equal(await revenue.inputValue(), '1,250.75');
      assert.equal(await page.getByLabel('Outcome').inputValue(), 'non_compliant');

      await nav.getByRole('button', { name: 'Worklist' }).click();
      await question.getByRole('button', { name: 'Leave and discard' }).click();
      await page.getByRole('heading', { name: 'Worklist', level: 1 }).waitFor();
      const recorded = await suite.server.request('GET', `/api/declarations/${id}/control-results`, {
        token: suite.tokens.auditor,
      });
      assert.deepEqual(recorded.body.results, [], 'nothing was recorded');
      await page.close();
    });

    test('the reason for rejecting a profile is empty after the rejection, and the page is left without a question', async () => {
      await createUserToken(suite.ctx, { username: 'second-analyst', role: Role.RiskAnalyst });
      for (const code of ['REJECT-ME', 'REJECT-NEXT']) {
        const draft = await suite.server.request('POST', '/api/risk/profiles', {
          token: suite.tokens.risk_analyst,
          body: {
            code,
            name: 'Heavy parcels by air',
            lane: 'yellow',
            weight: 20,
            reason: 'Heavy parcels by air are often misdeclared',
            validFrom: '2026-01-01',
            conditions: [{ field: 'transportMode', op: 'eq', value: '4' }],
          },
        });
        assert.equal(draft.status, 201, JSON.stringify(draft.body));
        const submitted = await suite.server.request('POST', `/api/risk/profiles/${draft.body.id}/submit`, {
          token: suite.tokens.risk_analyst,
        });
        assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
      }
      const page = await suite.at('second-analyst', '/profiles');
      await page.getByRole('button', { name: 'REJECT-ME' }).click();
      await page.getByRole('heading', { name: 'REJECT-ME · version 1' }).waitFor();
      // its days are written as every day in the application
      assert.match(
        (await page.locator('article.profile').textContent()) ?? '',
        /Validfrom 1 Jan 2026, no end/,
      );
      const reason = page.getByLabel('Reason for the decision');
      await reason.fill('air alone selects too much');
      await page.getByRole('button', { name: 'Reject', exact: true }).click();
      await page
        .getByRole('row', { name: /REJECT-ME/ })
        .getByText('rejected')
        .waitFor();
      assert.match((await page.locator('article.profile').textContent()) ?? '', /air alone selects too much/);
      // the next profile to decide starts with an empty reason
      await page.getByRole('button', { name: 'REJECT-NEXT' }).click();
      await page.getByRole('heading', { name: 'REJECT-NEXT · version 1' }).waitFor();
      assert.equal(await emptied(page.getByLabel('Reason for the decision')), '');
      await screenshot(page, 'forms-reject-cleared');
      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: 'Declarations' })
        .click();
      await page.getByRole('heading', { name: 'Declarations', level: 1 }).waitFor();
      assert.equal(await leaveQuestion(page).count(), 0);
      await page.close();
    });
  });
}
