/**
 * Finding declarations in a real browser: the search form and its address (reload, Back, a shared
 * link), a lane chosen, "More" within a search, rows that are real links (a new tab on ctrl+click), and the
 * worklist opening on an office with work. Screenshots go to test-output/.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { Role } from '../governance/roles.ts';
import { parseProfile } from '../risk/profiles/profile.ts';
import { profilesRepository } from '../risk/profiles/repository.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, anItem, createUserToken, otherTrader, storageTargets } from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`finding declarations in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    const ids: Record<string, number> = {};

    before(async () => {
      const otherToken = await createUserToken(suite.ctx, {
        username: 'trader-b',
        role: Role.Trader,
        partyId: otherTrader,
      });
      // officials of an office without work (010) first, and of 030
      for (const [username, role] of [
        ['officer-two', Role.Officer],
        ['supervisor-two', Role.Supervisor],
      ] as const)
        await createUserToken(suite.ctx, { username, role, offices: ['010', '030'] });
      // a supervisor whose only office has no open work
      await createUserToken(suite.ctx, {
        username: 'supervisor-idle',
        role: Role.Supervisor,
        offices: ['010'],
      });
      // a watched seller's declarations go to the red lane: open work at office 030
      const parsed = parseProfile({
        code: 'WATCHED-SELLER',
        name: 'watched seller',
        lane: 'red',
        weight: 90,
        reason: 'The seller is under investigation',
        validFrom: '2020-01-01',
        conditions: [{ field: 'seller', op: 'eq', value: 'WATCHED CO' }],
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      const draft = await profilesRepository.create(suite.ctx.db, parsed.value, 'analyst-1');
      await profilesRepository.submit(suite.ctx.db, draft.id, 'analyst-1');
      await profilesRepository.decide(suite.ctx.db, draft.id, 'analyst-2', true, null);
      const lodge = async (token: string, reference: string, overrides: Record<string, unknown> = {}) => {
        const res = await suite.server.request('POST', '/api/declarations', {
          token,
          body: aDeclaration({ functionalReference: reference, ...overrides }),
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        ids[reference] = Number(res.body.id);
      };
      for (let i = 1; i <= 52; i++)
        await lodge(suite.tokens.trader, `FIND-MANY-${String(i).padStart(2, '0')}`);
      await lodge(suite.tokens.trader, 'FIND-ALPHA-1', { seller: 'WATCHED CO', date: '2026-03-02' });
      await lodge(suite.tokens.trader, 'FIND-ALPHA-2', {
        office: '020',
        date: '2026-03-04',
        items: [anItem(), anItem({ sequence: 2, hsCode: '61091000', description: 'cotton t-shirts' })],
      });
      await lodge(otherToken, 'FIND-ALPHA-9', { trader: otherTrader, date: '2026-03-06' });
    });

    const references = (page: Page) => page.locator('main tbody tr td:nth-child(2)').allTextContents();
    const status = (page: Page) => page.getByRole('status');
    const form = (page: Page) => page.getByRole('search', { name: 'Search declarations' });

    test('an officer types a reference and an office, presses Enter, and keeps the search through reload and Back', async () => {
      const page = await suite.at('officer', '/declarations');
      await page.getByRole('heading', { name: 'Declarations' }).waitFor();
      await assertEveryInputLabelled(page);
      await page.getByLabel('Reference').fill('');
      // a reference is free text: it stays as typed, and matches whatever its case
      await page.getByLabel('Reference').pressSequentially('find-alpha');
      assert.equal(await page.getByLabel('Reference').inputValue(), 'find-alpha', 'as typed');
      await page.getByLabel('Office').pressSequentially('030');
      await page.getByLabel('Office').press('Enter');
      await status(page).getByText('2 declarations match this search.').waitFor();
      assert.deepEqual(await references(page), ['FIND-ALPHA-9', 'FIND-ALPHA-1']);
      assert.equal(new URL(page.url()).search, '?reference=find-alpha&office=030');
      await page.getByLabel('Reference').fill('FIND-ALPHA');
      await page.getByLabel('Reference').press('Enter');
      await page.waitForURL(/\?reference=FIND-ALPHA&office=030$/);
      await status(page).getByText('2 declarations match this search.').waitFor();
      await assertContrast(page);
      await screenshot(page, 'search-by-reference-and-office');

      await page.reload();
      await status(page).getByText('2 declarations match this search.').waitFor();
      assert.equal(await page.getByLabel('Reference').inputValue(), 'FIND-ALPHA');
      assert.equal(await page.getByLabel('Office').inputValue(), '030');
      assert.deepEqual(await references(page), ['FIND-ALPHA-9', 'FIND-ALPHA-1']);

      // another search: the HS code of any item (typed with its dot), the office cleared, a status chosen
      await page.getByLabel('Office').fill('');
      await page.getByLabel('HS code starts with').pressSequentially('6109.');
      await page.getByLabel('Status').selectOption('accepted');
      await form(page).getByRole('button', { name: 'Search' }).click();
      await status(page).getByText('1 declaration matches this search.').waitFor();
      assert.deepEqual(await references(page), ['FIND-ALPHA-2']);
      assert.equal(new URL(page.url()).search, '?reference=FIND-ALPHA&hs=6109&status=accepted');

      await page.goBack();
      await status(page).getByText('2 declarations match this search.').waitFor();
      assert.equal(await page.getByLabel('Office').inputValue(), '030');
      assert.equal(await page.getByLabel('HS code starts with').inputValue(), '');
      assert.deepEqual(await references(page), ['FIND-ALPHA-9', 'FIND-ALPHA-1']);

      // nothing matches; a bad filter says what is wrong
      await page.getByLabel('Reference').fill('NO-SUCH-THING');
      await page.getByLabel('Reference').press('Enter');
      await status(page).getByText('No declarations match this search.').waitFor();
      await page.getByLabel('HS code starts with').fill('8');
      await page.getByLabel('HS code starts with').press('Enter');
      await page.getByRole('alert').waitFor();
      assert.equal(
        await page.getByRole('alert').textContent(),
        'the HS code (hs) must be 2 to 10 digits, dots and spaces allowed (such as 7013.49): "8" is not',
      );
      // spaces are separators too: the address holds the digits
      await page.getByLabel('Reference').fill('FIND-ALPHA');
      await page.getByLabel('Office').fill('');
      await page.getByLabel('HS code starts with').fill('6109 10');
      await page.getByLabel('HS code starts with').press('Enter');
      await status(page).getByText('1 declaration matches this search.').waitFor();
      assert.deepEqual(await references(page), ['FIND-ALPHA-2']);
      assert.equal(new URL(page.url()).search, '?reference=FIND-ALPHA&hs=610910');

      await form(page).getByRole('button', { name: 'Clear' }).click();
      await page.waitForURL(`${suite.server.url}/declarations`);
      assert.equal(await page.getByLabel('Reference').inputValue(), '');
      await page.locator('main tbody tr').nth(49).waitFor();
      await page.close();
    });

    test('an officer chooses a lane and sees the declarations of that lane only, the lane kept in the address', async () => {
      // each declaration's lane as its own page gives it
      const red: string[] = [];
      for (const [reference, id] of Object.entries(ids)) {
        const one = await suite.server.request('GET', `/api/declarations/${id}`, {
          token: suite.tokens.officer,
        });
        if (one.body.lane === 'red') red.push(reference);
      }
      assert.ok(red.includes('FIND-ALPHA-1'), 'the watched seller is in the red lane');
      assert.ok(red.length < Object.keys(ids).length, 'not every declaration is red');
      const page = await suite.at('officer', '/declarations');
      await page.getByRole('heading', { name: 'Declarations' }).waitFor();
      await page.getByLabel('Reference').fill('FIND-');
      await page.getByLabel('Lane').selectOption('red');
      await form(page).getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/\?reference=FIND-&lane=red$/);
      await status(page)
        .getByText(
          red.length === 1
            ? '1 declaration matches this search.'
            : `${red.length} declarations match this search.`,
        )
        .waitFor();
      assert.deepEqual((await references(page)).sort(), [...red].sort());
      await screenshot(page, 'search-by-lane');
      await page.reload();
      assert.equal(await page.getByLabel('Lane').inputValue(), 'red');
      await page.close();
    });

    test('a shared search address gives the same search, and the From/To dates narrow it', async () => {
      const page = await suite.at(
        'supervisor',
        '/declarations?reference=FIND-ALPHA&from=2026-03-03&to=2026-03-05',
      );
      await status(page).getByText('1 declaration matches this search.').waitFor();
      assert.deepEqual(await references(page), ['FIND-ALPHA-2']);
      assert.equal(await page.getByLabel('From', { exact: true }).inputValue(), '2026-03-03');
      assert.equal(await page.getByLabel('To', { exact: true }).inputValue(), '2026-03-05');
      await page.close();
    });

    test("a trader's search shows its own declarations only", async () => {
      const page = await suite.at('trader', '/declarations');
      await page.getByLabel('Reference').fill('FIND-ALPHA');
      await page.getByLabel('Reference').press('Enter');
      await status(page).getByText('2 declarations match this search.').waitFor();
      assert.deepEqual(await references(page), ['FIND-ALPHA-2', 'FIND-ALPHA-1']);
      await page.getByLabel('Trader').fill(otherTrader);
      await page.getByLabel('Trader').press('Enter');
      await status(page).getByText('No declarations match this search.').waitFor();
      await assertContrast(page);
      await screenshot(page, 'search-trader-none');
      await page.close();
    });

    test('More brings the next page of the same search', async () => {
      const page = await suite.at('officer', '/declarations?reference=FIND-MANY');
      await status(page).getByText('The newest 50 declarations shown; More shows the next ones.').waitFor();
      await page.getByRole('button', { name: 'More' }).click();
      await page.locator('main tbody tr').nth(51).waitFor();
      const shown = await references(page);
      assert.equal(shown.length, 52);
      assert.ok(
        shown.every((r) => r.startsWith('FIND-MANY-')),
        shown.join(' '),
      );
      assert.equal(shown.at(-1), 'FIND-MANY-01');
      assert.equal(await page.getByRole('button', { name: 'More' }).count(), 0);
      await page.close();
    });

    test('rows are links: ctrl+click opens a new tab, a plain click opens the declaration in place, Back returns to the search', async () => {
      const page = await suite.at('officer', '/declarations?reference=FIND-ALPHA-1');
      const link = page.getByRole('link', { name: 'FIND-ALPHA-1', exact: true });
      await link.waitFor();
      assert.equal(await link.getAttribute('href'), `/declarations/${ids['FIND-ALPHA-1']}`);
      const [tab] = await Promise.all([
        page.context().waitForEvent('page'),
        link.click({ modifiers: ['ControlOrMeta'] }),
      ]);
      await tab.waitForLoadState();
      assert.equal(new URL(tab.url()).pathname, `/declarations/${ids['FIND-ALPHA-1']}`);
      await tab.getByRole('heading', { name: /Declaration \d+ · FIND-ALPHA-1/ }).waitFor();
      await tab.close();
      assert.equal(new URL(page.url()).search, '?reference=FIND-ALPHA-1', 'the search stays where it was');

      const pagesBefore = page.context().pages().length;
      await link.click();
      await page.getByRole('heading', { name: /Declaration \d+ · FIND-ALPHA-1/ }).waitFor();
      assert.equal(new URL(page.url()).pathname, `/declarations/${ids['FIND-ALPHA-1']}`);
      assert.equal(page.context().pages().length, pagesBefore, 'no new tab');
      await page.goBack();
      await status(page).getByText('1 declaration matches this search.').waitFor();
      assert.equal(new URL(page.url()).search, '?reference=FIND-ALPHA-1');
      await page.close();
    });

    test('worklist rows are links to their declarations', async () => {
      const page = await suite.at('officer', '/worklist');
      const link = page.getByRole('link', { name: 'FIND-ALPHA-1', exact: true });
      await link.waitFor();
      assert.equal(await link.getAttribute('href'), `/declarations/${ids['FIND-ALPHA-1']}`);
      await page.close();
    });

    for (const username of ['officer-two', 'supervisor-two', 'risk-analyst']) {
      test(`the worklist of ${username} opens on an office with open work, kept in the address`, async () => {
        const page = await suite.at(username, '/worklist');
        await page.waitForURL(/\/worklist\?office=030$/);
        assert.equal(await page.getByLabel('Office').inputValue(), '030');
        await page.getByRole('link', { name: 'FIND-ALPHA-1', exact: true }).waitFor();
        await assertContrast(page);
        await screenshot(page, `worklist-opens-with-work-${username}`);
        // another office is a new address: reload keeps it
        await page.getByLabel('Office').fill('010');
        await page.getByLabel('Office').press('Enter');
        await page.getByText('Nothing waits for control here.').waitFor();
        assert.equal(new URL(page.url()).search, '?office=010');
        await page.reload();
        assert.equal(await page.getByLabel('Office').inputValue(), '010');
        await page.goBack();
        await page.getByRole('link', { name: 'FIND-ALPHA-1', exact: true }).waitFor();
        await page.close();
      });
    }

    test('a supervisor whose own office has no open work opens on the busiest office', async () => {
      const page = await suite.at('supervisor-idle', '/worklist');
      await page.waitForURL(/\/worklist\?office=030$/);
      await page.getByRole('link', { name: 'FIND-ALPHA-1', exact: true }).waitFor();
      await page.close();
    });

    test('leaving the worklist before it has chosen an office stays on the page left for', async () => {
      const page = await suite.at('supervisor-idle', '/declarations');
      await page.getByRole('heading', { name: 'Declarations' }).waitFor();
      // the queues answer only once the user has gone on to another page
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      let asked = false;
      await page.route('**/api/worklist/queues', async (route) => {
        asked = true;
        await held;
        await route.continue();
      });
      const nav = page.getByRole('navigation', { name: 'Pages' });
      await nav.getByRole('button', { name: 'Worklist' }).click();
      await page.waitForURL(/\/worklist$/);
      while (!asked) await new Promise((resolve) => setTimeout(resolve, 20));
      await nav.getByRole('button', { name: 'Declarations' }).click();
      await page.getByRole('heading', { name: 'Declarations' }).waitFor();
      const answered = page.waitForEvent('requestfinished', (r) => r.url().endsWith('/api/worklist/queues'));
      release();
      await answered;
      await new Promise((resolve) => setTimeout(resolve, 500)); // time for the answer to be acted on
      assert.equal(new URL(page.url()).pathname, '/declarations');
      await page.getByRole('heading', { name: 'Declarations' }).waitFor();
      await page.close();
    });

    test('a queue opens the worklist of its office', async () => {
      const page = await suite.at('supervisor', '/queues');
      const office = page.getByRole('link', { name: '030' }).first();
      await office.waitFor();
      assert.equal(await office.getAttribute('href'), '/worklist?office=030');
      await office.click();
      await page.getByRole('link', { name: 'FIND-ALPHA-1', exact: true }).waitFor();
      await page.close();
    });
  });
}
