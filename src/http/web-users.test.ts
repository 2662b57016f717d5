/**
 * The Users page in a real browser against the real server: an administrator creates a declarant
 * representing two traders by typing in the form, reads a refusal at its field, changes an
 * official's role and offices, disables and enables a user (who cannot sign in meanwhile), and
 * revokes an API token (which the API then refuses). Other roles never see the page. Screenshots
 * go to test-output/web.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { Role } from '../governance/roles.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { createUserToken, storageTargets, testPassword } from '../testing/harness.ts';

interface Listed {
  username: string;
  role: string;
  partyId: string | null;
  offices: string[];
  represents: string[];
  disabled: boolean;
}

for (const target of storageTargets()) {
  describe(`the Users page in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let officialToken: string;
    let systemToken: string;

    before(async () => {
      officialToken = await createUserToken(suite.ctx, {
        username: 'officer-two',
        role: Role.Officer,
        offices: ['030'],
      });
      await createUserToken(suite.ctx, { username: 'trader-two', role: Role.Trader, partyId: 'TRADER-A' });
      systemToken = await createUserToken(suite.ctx, {
        username: 'trader-system',
        role: Role.Trader,
        partyId: 'TRADER-B',
      });
    });

    const usersPage = async () => {
      const page = await suite.at('administrator', '/users');
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      await rowOf(page, 'trader').waitFor();
      return page;
    };
    const rowOf = (page: Page, username: string) =>
      page.getByRole('table', { name: 'Users' }).getByRole('row', { name: new RegExp(`^${username} `) });
    const cells = async (page: Page, username: string) =>
      (await rowOf(page, username).locator('td').allTextContents()).map((t) => t.trim());
    const listed = async (username: string) => {
      const res = await suite.server.request('GET', '/api/users', { token: suite.tokens.administrator });
      return (res.body.users as Listed[]).find((u) => u.username === username);
    };
    /** Opens a user by keyboard: its name in the list is a button, then Enter. */
    const manage = async (page: Page, username: string) => {
      await page
        .getByRole('table', { name: 'Users' })
        .getByRole('button', { name: username, exact: true })
        .focus();
      await page.keyboard.press('Enter');
      const detail = page.getByRole('region', { name: new RegExp(`^${username}`) });
      await detail.getByRole('heading', { name: 'API tokens' }).waitFor();
      return detail;
    };
    /** The id of the element with the focus, once it is not the page itself (within 5 s). */
    const focusedId = async (page: Page) => {
      for (let i = 0; i < 100; i++) {
        const id = (await page.evaluate('document.activeElement ? document.activeElement.id : ""')) as string;
        if (id) return id;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return '';
    };
    const signInFails = async (username: string) => {
      const page = await suite.browser.newPage();
      await page.goto(suite.server.url + '/');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(testPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('wrong username or password').waitFor();
      await page.close();
    };

    test('the list shows each user with its role, party, offices, represented traders and status', async () => {
      const page = await usersPage();
      assert.deepEqual(await cells(page, 'declarant'), ['declarant', 'BROKER-A', '—', 'TRADER-A', 'enabled']);
      assert.deepEqual(await cells(page, 'officer-two'), ['officer', '—', '030', '—', 'enabled']);
      assert.deepEqual(await cells(page, 'risk-analyst'), ['risk analyst', '—', '—', '—', 'enabled']);
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await page.close();
    });

    test('an administrator creates a declarant representing two traders, typing in the form', async () => {
      const page = await usersPage();
      const form = page.getByRole('form', { name: 'New user' });
      await form.getByLabel('Username').click();
      await page.keyboard.type('broker-b');
      // the rest by keyboard: Tab from field to field
      await page.keyboard.press('Tab');
      await page.keyboard.type('Broker B Ltd');
      await page.keyboard.press('Tab');
      await page.keyboard.type('a long enough password');
      await form.getByLabel('Role').selectOption('declarant');
      // a declarant has a declarant code and represented traders; no offices
      assert.equal(await form.getByLabel('Customs offices').count(), 0);
      await form.getByLabel('Declarant code').fill('BROKER-B');
      await form.getByLabel('Represented traders').pressSequentially('TRADER-A, TRADER-B');
      await assertEveryInputLabelled(page);
      await screenshot(page, 'administrator-users-new');
      await page.keyboard.press('Enter');
      await page.getByRole('status').getByText('Created broker-b (declarant).').waitFor();
      await rowOf(page, 'broker-b').waitFor();
      assert.deepEqual(await cells(page, 'broker-b'), [
        'declarant',
        'BROKER-B',
        '—',
        'TRADER-A, TRADER-B',
        'enabled',
      ]);
      // the form is empty for the next one, and the new user is opened beside the list
      assert.equal(await form.getByLabel('Username').inputValue(), '');
      await page.getByRole('region', { name: /^broker-b/ }).waitFor();
      await page.close();
      const made = await listed('broker-b');
      assert.deepEqual(
        [made?.role, made?.partyId, made?.represents],
        ['declarant', 'BROKER-B', ['TRADER-A', 'TRADER-B']],
      );
    });

    test('a refusal is shown at its field, which gets the focus', async () => {
      const page = await usersPage();
      const form = page.getByRole('form', { name: 'New user' });
      const username = form.getByLabel('Username');
      await username.fill('trader');
      await form.getByLabel('Password').fill('a long enough password');
      await form.getByLabel('Trader identifier').fill('TRADER-A');
      await form.getByRole('button', { name: 'Create user' }).click();
      const problem = form.getByRole('alert').filter({ hasText: 'username trader is taken' });
      await problem.waitFor();
      assert.equal(await username.getAttribute('aria-invalid'), 'true');
      const described = (await username.getAttribute('aria-describedby')) ?? '';
      assert.ok(described.split(' ').includes((await problem.getAttribute('id')) ?? '-'), described);
      assert.equal(
        await focusedId(page),
        await username.getAttribute('id'),
        'the refused field has the focus',
      );

      // an officer at an office that does not exist: the problem moves to the offices
      await username.fill('officer-new');
      await form.getByLabel('Role').selectOption('officer');
      await form.getByLabel('Customs offices').fill('030, 999');
      await form.getByRole('button', { name: 'Create user' }).click();
      const offices = form.getByLabel('Customs offices');
      await form.getByRole('alert').filter({ hasText: 'not a customs office: 999' }).waitFor();
      assert.equal(await offices.getAttribute('aria-invalid'), 'true');
      assert.equal(await username.getAttribute('aria-invalid'), null);
      await assertContrast(page);
      await screenshot(page, 'administrator-users-refused');
      await page.close();
      assert.equal(await listed('officer-new'), undefined);
    });

    test("an administrator changes an official's offices and role; its API token ends with its role", async () => {
      const page = await usersPage();
      const detail = await manage(page, 'officer-two');
      const form = detail.getByRole('form', { name: 'Access of officer-two' });
      await form.getByLabel('Customs offices').fill('030, 020');
      await form.getByLabel('Role').selectOption('supervisor');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await detail
        .getByRole('status')
        .getByText('Saved officer-two. 0 sessions ended and 1 API token revoked.')
        .waitFor();
      assert.deepEqual(await cells(page, 'officer-two'), ['supervisor', '—', '020, 030', '—', 'enabled']);
      // nothing left to save
      assert.equal(await form.getByRole('button', { name: 'Save changes' }).isDisabled(), true);
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'administrator-users-changed');
      await page.close();
      const changed = await listed('officer-two');
      assert.deepEqual([changed?.role, changed?.offices], ['supervisor', ['020', '030']]);
      assert.equal((await suite.server.request('GET', '/api/auth/me', { token: officialToken })).status, 401);
    });

    test('an administrator disables a user after a confirmation naming it, then enables it again', async () => {
      const page = await usersPage();
      const detail = await manage(page, 'trader-two');
      // Escape asks nothing of the server
      await detail.getByRole('button', { name: 'Disable trader-two' }).click();
      const dialog = page.getByRole('dialog', { name: 'Disable trader-two?' });
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal((await listed('trader-two'))?.disabled, false);

      await detail.getByRole('button', { name: 'Disable trader-two' }).click();
      await dialog.waitFor();
      await screenshot(page, 'administrator-users-disable');
      // the confirming button has the focus: Enter confirms
      await page.keyboard.press('Enter');
      await detail
        .getByRole('status')
        .getByText('Disabled trader-two: 0 sessions ended and 1 API token revoked.')
        .waitFor();
      assert.equal((await cells(page, 'trader-two'))[4], 'disabled');
      await signInFails('trader-two');

      await detail.getByRole('button', { name: 'Enable trader-two' }).click();
      await page
        .getByRole('dialog', { name: 'Enable trader-two?' })
        .getByRole('button', { name: 'Enable trader-two' })
        .click();
      await detail.getByRole('status').getByText('Enabled trader-two: they may sign in again.').waitFor();
      assert.equal((await cells(page, 'trader-two'))[4], 'enabled');
      await page.close();
      const back = await suite.at('trader-two');
      await back.close();
    });

    test("an administrator lists a user's API tokens and revokes one; the API refuses it at once", async () => {
      assert.equal((await suite.server.request('GET', '/api/auth/me', { token: systemToken })).status, 200);
      const page = await usersPage();
      const detail = await manage(page, 'trader-system');
      const table = detail.getByRole('table', { name: 'API tokens' });
      const row = table.getByRole('row', { name: /^test / });
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /active.*by system/);
      await row.getByRole('button', { name: 'Revoke the token test' }).click();
      const dialog = page.getByRole('dialog', { name: 'Revoke the token test of trader-system?' });
      await dialog.getByRole('button', { name: 'Revoke the token' }).click();
      await detail.getByRole('status').getByText('Revoked the token test of trader-system.').waitFor();
      await row.getByText('revoked', { exact: true }).waitFor();
      assert.equal(await row.getByRole('button').count(), 0);
      await assertContrast(page);
      await screenshot(page, 'administrator-users-tokens');
      await page.close();
      const refused = await suite.server.request('GET', '/api/auth/me', { token: systemToken });
      assert.equal(refused.status, 401);
    });

    test('no other role sees the page, nor reaches it by its address', async () => {
      for (const username of ['supervisor', 'auditor', 'trader', 'declarant', 'risk-analyst']) {
        const page = await suite.at(username, '/users');
        const nav = page.getByRole('navigation', { name: 'Pages' });
        await nav.locator('[aria-current="page"]').waitFor();
        assert.equal(await nav.getByRole('button', { name: 'Users' }).count(), 0, username);
        await page.waitForLoadState('networkidle');
        assert.equal(await page.getByRole('heading', { name: 'Users', level: 1 }).count(), 0, username);
        await page.close();
      }
      const page = await suite.at('administrator');
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Users' }).click();
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      await page.close();
    });
  });
}
