/**
 * Retention and legal holds in a real browser against the real server: an administrator sets a
 * period and runs the archival job, a supervisor holds and releases a declaration of their office
 * from its page, other officials see the hold without being able to change it, and a trader never
 * learns of it. Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { Role } from '../governance/roles.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, createUserToken, storageTargets } from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`retention and legal holds in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    // both at office 030, where the supervisor works; both past a two-year period
    let heldId: number;
    let oldId: number;

    before(async () => {
      await createUserToken(suite.ctx, {
        username: 'supervisor-pus',
        role: Role.Supervisor,
        offices: ['020'],
      });
      const lodge = async (date: string) => {
        const res = await suite.server.request('POST', '/api/declarations', {
          token: suite.tokens.trader,
          body: aDeclaration({ date, office: '030' }),
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return Number(res.body.id);
      };
      heldId = await lodge('2024-03-02');
      oldId = await lodge('2024-01-10');
    });

    const holdSection = (page: Page) => page.getByRole('region', { name: 'Legal hold' });
    const holdOf = async (id: number) =>
      (
        await suite.server.request('GET', `/api/declarations/${id}/legal-hold`, {
          token: suite.tokens.auditor,
        })
      ).body.hold;

    test('an administrator shortens how long declarations are kept and reads why "10 years" is refused', async () => {
      const page = await suite.at('administrator');
      await page.getByRole('heading', { name: 'Retention', level: 1 }).waitFor();
      const row = page.getByRole('row', { name: /^declarations/ });
      const keep = page.getByLabel('Keep declarations for');
      assert.equal(await keep.inputValue(), '10y');
      assert.match((await row.textContent()) ?? '', /10 years.*the declaration's date/);

      await keep.fill('2y');
      await page.getByRole('button', { name: 'Save the period of declarations' }).click();
      await page.getByRole('status').getByText('declarations is now kept for 2 years.').waitFor();
      assert.match((await row.textContent()) ?? '', /2 years.*administrator,/);

      await keep.fill('10 years');
      await page.getByRole('button', { name: 'Save the period of declarations' }).click();
      const refusal = row.getByRole('alert');
      await refusal.waitFor();
      assert.match((await refusal.textContent()) ?? '', /"10 years" is not a retention period/);
      assert.equal(await keep.getAttribute('aria-invalid'), 'true');
      const described = (await keep.getAttribute('aria-describedby')) ?? '';
      assert.ok(described.split(' ').includes((await refusal.getAttribute('id')) ?? '-'), described);
      assert.match((await row.textContent()) ?? '', /2 years/, 'the period in force is unchanged');

      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'administrator-retention-refused');
      await page.close();
      const policies = await suite.server.request('GET', '/api/retention/policies', {
        token: suite.tokens.auditor,
      });
      const declarations = (policies.body.policies as { dataClass: string; keep: string }[]).find(
        (p) => p.dataClass === 'declarations',
      );
      assert.equal(declarations?.keep, '2y');
    });

    test('a supervisor of the office places a legal hold from the declaration page, with a reason', async () => {
      const page = await suite.at('supervisor', `/declarations/${heldId}`);
      const section = holdSection(page);
      await section.getByRole('status').getByText('Not held').waitFor();
      await section.getByLabel('Why hold it').fill('Court order 2026/117');
      await section.getByRole('button', { name: 'Place a legal hold' }).click();
      await section
        .getByRole('status')
        .getByText(/^Under legal hold since .+ by supervisor: Court order 2026\/117$/)
        .waitFor();
      // the form now releases, and asks again for a reason
      assert.equal(await section.getByLabel('Why release it').inputValue(), '');
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'supervisor-legal-hold');
      await page.close();
      assert.deepEqual(
        [(await holdOf(heldId)) as Record<string, unknown>].map((h) => [h.placedBy, h.reason]),
        [['supervisor', 'Court order 2026/117']],
      );
    });

    test("a trader's view of the held declaration says nothing of a hold, nor asks about one", async () => {
      const page = await suite.at('trader', `/declarations/${heldId}`);
      const asked: string[] = [];
      page.on('request', (r) => asked.push(r.url()));
      await page.reload();
      await page.getByRole('heading', { name: new RegExp(`^Declaration ${heldId} `) }).waitFor();
      await page.getByRole('heading', { name: 'History' }).waitFor();
      await page.waitForLoadState('networkidle');
      assert.ok(
        asked.some((u) => u.endsWith(`/api/declarations/${heldId}`)),
        'the page loaded the declaration',
      );
      assert.deepEqual(
        asked.filter((u) => /hold|retention/.test(u)),
        [],
      );
      assert.equal(await holdSection(page).count(), 0);
      assert.doesNotMatch((await page.locator('body').textContent()) ?? '', /hold|court order/i);
      await page.close();
    });

    test('an officer, and a supervisor of another office, see the hold but no way to change it', async () => {
      for (const username of ['officer', 'supervisor-pus']) {
        const page = await suite.at(username, `/declarations/${heldId}`);
        const section = holdSection(page);
        await section.getByText(/Under legal hold since .+ by supervisor: Court order 2026\/117/).waitFor();
        assert.equal(await section.getByRole('textbox').count(), 0, username);
        assert.equal(await section.getByRole('button').count(), 0, username);
        await page.close();
      }
    });

    test('the Retention page lists the standing hold and opens its declaration', async () => {
      const page = await suite.at('auditor', '/retention');
      await page.getByRole('heading', { name: 'Retention', level: 1 }).waitFor();
      const holds = page.getByRole('table', { name: 'Legal holds' });
      const row = holds.getByRole('row', { name: new RegExp(`Declaration ${heldId}`) });
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /Court order 2026\/117.*by supervisor, /);
      assert.equal(await holds.locator('tbody tr').count(), 1);
      // an auditor reads the periods and the runs, and changes neither
      assert.equal(await page.getByRole('textbox').count(), 0);
      await page.getByRole('heading', { name: 'Archival runs' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Run archival now' }).count(), 0);
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'auditor-retention');

      await row.getByRole('link', { name: `Declaration ${heldId}` }).click();
      await holdSection(page)
        .getByText(/Under legal hold since/)
        .waitFor();
      assert.equal(new URL(page.url()).pathname, `/declarations/${heldId}`);
      await page.close();
    });

    test('an administrator runs the archival after confirming: the held declaration stays, the run is listed', async () => {
      const page = await suite.at('administrator', '/retention');
      await page.getByRole('button', { name: 'Run archival now' }).click();
      const dialog = page.getByRole('dialog', { name: 'Run archival now?' });
      await dialog.getByRole('button', { name: 'Archive and purge' }).click();
      await page
        .getByRole('status')
        .getByText(
          'Archived and purged 1 declaration in 1 run. 1 declaration past its period was kept under legal hold.',
        )
        .waitFor();
      const runs = page.getByRole('table', { name: 'Archival runs' }).locator('tbody tr');
      assert.equal(await runs.count(), 1);
      const [finished, by, counts, held, seq, folder] = await runs
        .first()
        .getByRole('cell')
        .allTextContents();
      assert.ok(finished && by === 'administrator' && counts === '1 declaration' && held === '1', by);
      assert.match(seq ?? '', /^\d+$/);
      assert.match(folder ?? '', /^\S+-\d{8}T\d{6}Z-0001-[0-9a-f]{8}$/);
      // administrators do not read declarations: the hold names its declaration without a link
      const holds = page.getByRole('table', { name: 'Legal holds' });
      await holds.getByRole('rowheader', { name: `Declaration ${heldId}` }).waitFor();
      assert.equal(await holds.getByRole('link').count(), 0);
      await assertContrast(page);
      await screenshot(page, 'administrator-archival');
      await page.close();

      const left = await suite.ctx.db.query<{ id: number }>(
        'SELECT id FROM declarations WHERE id = ANY($1::bigint[]) ORDER BY id',
        [[heldId, oldId]],
      );
      assert.deepEqual(
        left.map((r) => Number(r.id)),
        [heldId],
      );
    });

    test('the supervisor releases the hold with a reason, and the released hold stays on record', async () => {
      const page = await suite.at('supervisor', `/declarations/${heldId}`);
      const section = holdSection(page);
      await section.getByLabel('Why release it').fill('Case closed');
      await section.getByRole('button', { name: 'Release the hold' }).click();
      await section.getByRole('status').getByText('Not held').waitFor();
      assert.equal(await holdOf(heldId), null);

      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: 'Retention' })
        .click();
      await page.getByText('No declaration is under legal hold.').waitFor();
      await page.getByLabel('Show released holds too').check();
      const row = page
        .getByRole('table', { name: 'Legal holds' })
        .getByRole('row', { name: new RegExp(`Declaration ${heldId}`) });
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /Court order 2026\/117.*by supervisor, .+: Case closed$/);
      await assertEveryInputLabelled(page);
      await page.close();
    });
  });
}
