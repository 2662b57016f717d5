/**
 * The Agreements page in a real browser against the real server: an administrator adds an agency
 * and drafts an agreement (reading a refusal at its field first) and is offered no approval of
 * their own draft; a supervisor's approval of terms the drafter changed meanwhile is refused and the
 * page shows the new terms; the supervisor approves those and it is in force; the administrator
 * suspends it with a reason, by keyboard. Every step is on the ledger. Roles other than officials do not see the page.
 * Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { sealPending } from '../governance/ledger/seal.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { storageTargets } from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`the Agreements page in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let id = 0;

    const nav = (page: Page) => page.getByRole('navigation', { name: 'Pages' });
    const agreementsPage = async (username: string) => {
      const page = await suite.at(username);
      await nav(page).getByRole('button', { name: 'Agreements' }).click();
      await page.getByRole('heading', { name: 'Agreements', level: 1 }).waitFor();
      return page;
    };
    const article = (page: Page) =>
      page.getByRole('article', { name: new RegExp(`^Agreement ${id} · AGRI`) });

    test('an administrator adds an agency and drafts an agreement, and cannot approve it', async () => {
      const page = await agreementsPage('administrator');
      const add = page.getByRole('form', { name: 'Add an agency' });
      await add.getByLabel('Agency code').fill('agri');
      await add.getByLabel('Agency name').fill('Ministry of Agriculture');
      await add.getByLabel('Contact').fill('sps@agriculture.example');
      await add.getByRole('button', { name: 'Add agency' }).click();
      await add.getByRole('status').getByText('Added agency AGRI.').waitFor();
      await page.getByRole('table', { name: 'Agencies' }).getByRole('rowheader', { name: 'AGRI' }).waitFor();

      const form = page.getByRole('form', { name: 'Draft an agreement' });
      await form.getByLabel('Agency', { exact: true }).selectOption('AGRI');
      await form.getByLabel('Purpose').fill('Sanitary and phytosanitary controls');
      await form.getByLabel('Legal basis').fill('Plant Health Act, art. 4');
      await form.getByLabel('Valid from').fill('2020-01-01');
      await form.getByLabel('Valid to').fill('2099-12-31');
      await form.getByLabel('HS chapters, headings or subheadings').fill('01, 77');
      await form.getByLabel('Imports').check();
      await form.getByLabel(/\(items\[\]\.hsCode, WCO 145\)/).check();
      await form.getByLabel(/\(originCountry, WCO 063\)/).check();
      await assertEveryInputLabelled(page);
      await form.getByRole('button', { name: 'Draft agreement' }).click();
      // chapter 77 is reserved in the HS: the refusal is said at its field, which gets the focus
      const hs = form.getByLabel('HS chapters, headings or subheadings');
      await form.getByRole('alert').getByText(/"77"/).waitFor();
      assert.equal(await hs.getAttribute('aria-invalid'), 'true');
      assert.equal(
        await page.evaluate('document.activeElement.labels[0].textContent'),
        'HS chapters, headings or subheadings',
      );
      await screenshot(page, 'administrator-agreement-refused');

      await hs.fill('01, 0201');
      await form.getByRole('button', { name: 'Draft agreement' }).click();
      const drafted = form.getByRole('status').getByText(/Drafted agreement (\d+) for AGRI/);
      await drafted.waitFor();
      id = Number(/agreement (\d+)/.exec((await drafted.textContent()) ?? '')?.[1]);
      assert.ok(id > 0);
      const mine = article(page);
      await mine.getByText('You drafted this agreement').waitFor();
      await mine.getByText(/Commodity Classification \(items\[\]\.hsCode, WCO 145\)/).waitFor();
      assert.equal(await mine.getByRole('button', { name: 'Approve' }).count(), 0);
      // and the server refuses it anyway
      const read = await suite.server.request('GET', `/api/sharing/agreements/${id}`, {
        token: suite.tokens.administrator,
      });
      const own = await suite.server.request('POST', `/api/sharing/agreements/${id}/approve`, {
        token: suite.tokens.administrator,
        body: { termsDigest: read.body.termsDigest },
      });
      assert.deepEqual([own.status, own.body.error], [403, 'four_eyes']);
      await assertContrast(page);
      await screenshot(page, 'administrator-agreement-drafted');
      await page.close();
    });

    test('a supervisor approves the draft and it is in force', async () => {
      const page = await agreementsPage('supervisor');
      const theirs = article(page);
      await theirs.getByRole('heading', { name: `Agreement ${id} · AGRI · draft · not in force` }).waitFor();
      assert.equal(await page.getByRole('form', { name: 'Draft an agreement' }).count(), 0);
      const shown = (await theirs.getByRole('code').textContent()) ?? '';
      assert.match(shown, /^[0-9a-f]{64}$/);
      // the drafter changes the draft while the supervisor reads it: the approval of what was read is refused
      const edited = await suite.server.request('PATCH', `/api/sharing/agreements/${id}`, {
        token: suite.tokens.administrator,
        body: { purpose: 'Sanitary and phytosanitary controls, and plant passports' },
      });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      await theirs.getByRole('button', { name: 'Approve' }).click();
      await theirs
        .getByRole('alert')
        .getByText(`The terms of agreement ${id} changed since you read them`)
        .waitFor();
      await theirs.getByText('Sanitary and phytosanitary controls, and plant passports').waitFor();
      assert.equal(await theirs.getByRole('code').textContent(), edited.body.termsDigest);
      assert.notEqual(edited.body.termsDigest, shown);
      await screenshot(page, 'supervisor-agreement-changed');
      await theirs.getByRole('button', { name: 'Approve' }).click();
      await page.getByRole('status').getByText(`Agreement ${id} approved: active.`).waitFor();
      await article(page)
        .getByRole('heading', { name: `Agreement ${id} · AGRI · active · in force` })
        .waitFor();
      await screenshot(page, 'supervisor-agreement-approved');
      await page.close();
    });

    test('the administrator suspends it with a reason, by keyboard; every step is on the ledger', async () => {
      const page = await agreementsPage('administrator');
      const decide = article(page).getByRole('form', { name: `Decide on agreement ${id}` });
      await decide.getByRole('button', { name: 'Suspend' }).click();
      await decide.getByRole('alert').getByText(`Give a reason to suspend agreement ${id}.`).waitFor();
      const reason = decide.getByLabel('Reason');
      await reason.focus();
      await page.keyboard.type('a breach is investigated');
      // Tab from the reason reaches the first decision, Suspend
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement.textContent'), 'Suspend');
      await page.keyboard.press('Enter');
      await page.getByRole('status').getByText(`Agreement ${id} suspended.`).waitFor();
      await article(page)
        .getByRole('heading', { name: `Agreement ${id} · AGRI · suspended · not in force` })
        .waitFor();
      await article(page).getByText('a breach is investigated (administrator)').waitFor();
      // the one who suspended is not offered the resumption
      assert.equal(await article(page).getByRole('button', { name: 'Resume' }).count(), 0);
      await page.close();

      await sealPending(suite.ctx.db);
      const entries = await suite.ctx.db.query<{ action: string; actor: string }>(
        `SELECT action, actor FROM ledger WHERE subject_kind = 'sharing_agreement' AND subject_id = $1 ORDER BY seq`,
        [String(id)],
      );
      assert.deepEqual(
        entries.map((e) => `${e.action} by ${e.actor}`),
        [
          'sharing_agreement.drafted by administrator',
          'sharing_agreement.edited by administrator',
          'sharing_agreement.approved by supervisor',
          'sharing_agreement.suspended by administrator',
        ],
      );
    });

    test('other roles do not see the page', async () => {
      const page = await suite.at('officer');
      await nav(page).getByRole('button').first().waitFor();
      assert.equal(await nav(page).getByRole('button', { name: 'Agreements' }).count(), 0);
      await page.close();
    });
  });
}
