/**
 * Agency findings in a real browser against the real server: a partner agency's user is refused at
 * its fields (a declaration its agency did not receive, a blank text), then sends a finding on a
 * declaration it received and sees it listed; an officer of the declaration's office opens the
 * declaration and reads the finding in its Agency findings section and in its history; the trader
 * is told of the hold without the agency's words. Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, createUserToken, storageTargets } from '../testing/harness.ts';
import { anAgency, delivered } from '../testing/sharing-findings.ts';

const words = 'Salmonella found in sample 14; consignment held at the border inspection post';

for (const target of storageTargets()) {
  describe(`agency findings in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let received: number;
    let notReceived: number;
    before(async () => {
      const lodge = async () => {
        const res = await suite.server.request('POST', '/api/declarations', {
          token: suite.tokens.trader,
          body: aDeclaration(),
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return Number(res.body.id);
      };
      received = await lodge();
      notReceived = await lodge();
      await anAgency(suite.ctx.db, 'AGRI', 'Plant and Animal Health Agency');
      await delivered(suite.ctx.db, 'AGRI', [received]);
      await createUserToken(suite.ctx, {
        username: 'agri-inspector',
        role: Role.PartnerAgency,
        partyId: 'AGRI',
      });
    });

    test('an agency user is refused at its fields, then sends a finding and sees it listed', async () => {
      const page = await suite.at('agri-inspector');
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Findings' }).click();
      await page.getByRole('heading', { name: 'Findings', level: 1 }).waitFor();
      const form = page.getByRole('form', { name: 'Send a finding' });
      await form.getByLabel('Declaration').fill(String(notReceived));
      await form.getByLabel('Kind').selectOption('sanitary_hold');
      await form.getByLabel('Severity').selectOption('high');
      await form.getByLabel('What was found').fill(words);
      await form.getByRole('button', { name: 'Send the finding' }).click();
      const declaration = form.getByLabel('Declaration');
      await form.locator('input[aria-invalid="true"]').waitFor();
      assert.equal(await declaration.getAttribute('aria-invalid'), 'true');
      assert.match(
        (await form.getByRole('alert').allTextContents()).join(' '),
        new RegExp(`no declaration ${notReceived} was delivered to agency AGRI`),
      );

      await declaration.fill(String(received));
      await form.getByLabel('What was found').fill('   ');
      await form.getByRole('button', { name: 'Send the finding' }).click();
      await page.locator('textarea[aria-invalid="true"]').waitFor();
      assert.equal(await declaration.getAttribute('aria-invalid'), null);

      await form.getByLabel('What was found').fill(words);
      await form.getByRole('button', { name: 'Send the finding' }).click();
      await page.getByRole('status').getByText(`sent on declaration ${received}`).waitFor();
      // the list is read again after the finding is sent: its row shows when that answer is in
      const row = page
        .getByRole('region', { name: 'Findings sent' })
        .getByRole('row')
        .filter({ hasText: words });
      await row.waitFor();
      const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
      assert.deepEqual(cells.slice(1), [
        String(received),
        'Sanitary hold, high severity',
        words,
        'agri-inspector',
      ]);
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'findings-agency');
      await page.close();
    });

    test("an officer of the declaration's office reads the finding in its section and in its history", async () => {
      const page = await suite.at('officer', `/declarations/${received}`);
      const section = page.getByRole('region', { name: 'Agency findings' });
      await section.getByText('Sanitary hold, high severity').waitFor();
      await section.getByText(words).waitFor();
      assert.match((await section.textContent()) ?? '', /Plant and Animal Health Agency \(AGRI\)/);
      const history = page.getByRole('region', { name: 'History' });
      const entry = history.getByRole('listitem').filter({ hasText: 'agency finding by AGRI' });
      assert.match((await entry.textContent()) ?? '', /agency finding by AGRI: Sanitary hold, high severity/);
      // after the lodging's events, in time order
      const entries = await history.getByRole('listitem').allTextContents();
      assert.ok(entries.findIndex((t) => t.includes('agency finding')) > 0);
      await screenshot(page, 'findings-declaration-officer');
      await page.close();
    });

    test('the trader is told which agency holds the goods, not the agency’s words', async () => {
      const page = await suite.at('trader', `/declarations/${received}`);
      const section = page.getByRole('region', { name: 'Agency findings' });
      await section.getByText('Sanitary hold, high severity').waitFor();
      assert.doesNotMatch((await section.textContent()) ?? '', /Salmonella/);
      const other = await suite.at('trader', `/declarations/${notReceived}`);
      await other.getByRole('region', { name: 'History' }).waitFor();
      assert.equal(await other.getByRole('region', { name: 'Agency findings' }).count(), 0);
      await page.close();
      await other.close();
    });
  });
}
