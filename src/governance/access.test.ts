import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createRoleUsers,
  createUserToken,
  openTestContext,
  startTestServer,
  storageTargets,
  testPassword,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { Role, roles } from './roles.ts';
import { sealPending } from './ledger/seal.ts';

const day = 86_400_000;

interface Listed {
  id: number;
  name: string;
  status: string;
  expiresAt: string;
  createdBy: string | null;
}

for (const target of storageTargets()) {
  describe(`API tokens and disabled users (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;

    before(async () => {
      // a lifetime set by configuration, not the built-in 90 and 365 days
      ctx = await openTestContext(target, { CLEARWAY_TOKEN_DAYS: '30', CLEARWAY_TOKEN_MAX_DAYS: '60' });
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    const call = (token: string, method: string, path: string, body?: unknown) =>
      server.request(method, path, { token, body });
    const me = async (token: string) => (await call(token, 'GET', '/api/auth/me')).status;
    const ledgerTail = async (n: number) => {
      await sealPending(ctx.db);
      return (
        await ctx.db.query<{ actor: string; action: string; subject: string; data: string | null }>(
          `SELECT actor, action, subject_id AS subject, data FROM ledger ORDER BY seq DESC LIMIT $1`,
          [n],
        )
      ).map((e) => ({ ...e, data: e.data === null ? null : (JSON.parse(e.data) as unknown) }));
    };
    const mint = async (token: string, body: unknown = { name: 'ci' }) => {
      const made = await call(token, 'POST', '/api/auth/tokens', body);
      assert.equal(made.status, 201, JSON.stringify(made.body));
      return { token: String(made.body.token), id: Number(made.body.id), body: made.body };
    };

    test('a token made without a lifetime lives the configured default, and no longer than the maximum', async () => {
      const before = Date.now();
      const made = await mint(tokens.trader);
      const expires = Date.parse(String(made.body.expiresAt));
      assert.ok(Math.abs(expires - (before + 30 * day)) < 60_000, String(made.body.expiresAt));
      const longer = await call(tokens.trader, 'POST', '/api/auth/tokens', { name: 'long', days: 61 });
      assert.deepEqual([longer.status, longer.body.error], [400, 'invalid_request']);
      assert.match(String(longer.body.message), /days/);
      const longest = await mint(tokens.trader, { name: 'longest', days: 60 });
      assert.ok(Math.abs(Date.parse(String(longest.body.expiresAt)) - (before + 60 * day)) < 60_000);
    });

    test('a token past its lifetime no longer authenticates', async () => {
      const made = await mint(tokens.trader, { name: 'short', days: 1 });
      assert.equal(await me(made.token), 200);
      await ctx.db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        made.id,
      ]);
      assert.equal(await me(made.token), 401);
      const listed = await call(tokens.trader, 'GET', '/api/auth/tokens');
      const mine = (listed.body.tokens as Listed[]).find((t) => t.id === made.id);
      assert.equal(mine?.status, 'expired');
    });

    test('its owner lists its tokens without their secrets, and only its own', async () => {
      const made = await mint(tokens.declarant, { name: 'listed' });
      const listed = await call(tokens.declarant, 'GET', '/api/auth/tokens');
      assert.equal(listed.status, 200);
      const text = JSON.stringify(listed.body);
      assert.ok(!text.includes(made.token) && !text.includes(made.token.slice(3)), 'no token in the list');
      assert.ok(!/hash/i.test(text), text);
      const entries = listed.body.tokens as Listed[];
      assert.deepEqual(
        entries.map((t) => [t.name, t.status, t.createdBy]),
        [
          ['listed', 'active', 'declarant'],
          ['test', 'active', 'system'],
        ],
      );
      const theirs = await call(tokens.officer, 'GET', '/api/auth/tokens');
      assert.ok(!(theirs.body.tokens as Listed[]).some((t) => t.id === made.id));
    });

    test('its owner revokes a token: it stops working at once, and a second revoke is refused', async () => {
      const made = await mint(tokens.auditor, { name: 'to-revoke' });
      assert.equal(await me(made.token), 200);
      const revoked = await call(tokens.auditor, 'POST', `/api/auth/tokens/${made.id}/revoke`);
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      assert.equal((revoked.body.token as Listed).status, 'revoked');
      assert.equal(await me(made.token), 401);
      const again = await call(tokens.auditor, 'POST', `/api/auth/tokens/${made.id}/revoke`);
      assert.deepEqual([again.status, again.body.error], [409, 'token_revoked']);
      const [entry] = await ledgerTail(1);
      assert.deepEqual(
        [entry?.actor, entry?.action, entry?.subject, entry?.data],
        ['auditor', 'user.token_revoked', 'auditor', { tokenId: made.id, name: 'to-revoke' }],
      );
    });

    test("nobody revokes another user's token through their own tokens", async () => {
      const made = await mint(tokens.trader, { name: 'not-yours' });
      const refused = await call(tokens.declarant, 'POST', `/api/auth/tokens/${made.id}/revoke`);
      assert.deepEqual([refused.status, refused.body.error], [404, 'token_not_found']);
      assert.equal(await me(made.token), 200);
    });

    test("an administrator lists and revokes a user's tokens", async () => {
      const made = await mint(tokens.risk_analyst, { name: 'admin-revokes' });
      const listed = await call(tokens.administrator, 'GET', '/api/users/risk-analyst/tokens');
      assert.equal(listed.status, 200);
      assert.ok((listed.body.tokens as Listed[]).some((t) => t.id === made.id && t.status === 'active'));
      const revoked = await call(
        tokens.administrator,
        'POST',
        `/api/users/risk-analyst/tokens/${made.id}/revoke`,
      );
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      assert.equal(await me(made.token), 401);
      const [entry] = await ledgerTail(1);
      assert.deepEqual(
        [entry?.actor, entry?.action, entry?.subject],
        ['administrator', 'user.token_revoked', 'risk-analyst'],
      );
      const wrongUser = await call(
        tokens.administrator,
        'POST',
        `/api/users/trader/tokens/${made.id}/revoke`,
      );
      assert.deepEqual([wrongUser.status, wrongUser.body.error], [404, 'token_not_found']);
      const nobody = await call(tokens.administrator, 'GET', '/api/users/nobody-here/tokens');
      assert.deepEqual([nobody.status, nobody.body.error], [404, 'user_not_found']);
    });

    const officials: Role[] = [Role.Officer, Role.Supervisor, Role.RiskAnalyst, Role.Auditor];
    for (const role of officials) {
      test(`an administrator may not make a token that acts as an official (${role})`, async () => {
        const seqBefore = (await ledgerTail(1))[0];
        const refused = await call(
          tokens.administrator,
          'POST',
          `/api/users/${role.replace('_', '-')}/tokens`,
          { name: 'impersonate' },
        );
        assert.deepEqual([refused.status, refused.body.error], [403, 'impersonation_refused']);
        assert.deepEqual((await ledgerTail(1))[0], seqBefore, 'nothing recorded, nothing made');
      });
    }

    test('an administrator named "system" is no operator at the command line', async () => {
      const system = await createUserToken(ctx, { username: 'system', role: Role.Administrator });
      const refused = await call(system, 'POST', '/api/users/officer/tokens', { name: 'x' });
      assert.deepEqual([refused.status, refused.body.error], [403, 'impersonation_refused']);
    });

    test('an administrator may not make a token for another administrator', async () => {
      await createUserToken(ctx, { username: 'second-admin', role: Role.Administrator });
      const refused = await call(tokens.administrator, 'POST', '/api/users/second-admin/tokens', {
        name: 'x',
      });
      assert.deepEqual([refused.status, refused.body.error], [403, 'impersonation_refused']);
    });

    for (const role of roles.filter((r) => !officials.includes(r) && r !== Role.Administrator)) {
      test(`a token an administrator makes for a ${role} acts as it and is recorded as impersonation`, async () => {
        const username = role.replace('_', '-');
        const made = await call(tokens.administrator, 'POST', `/api/users/${username}/tokens`, {
          name: 'system',
          days: 7,
        });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        const acting = await call(String(made.body.token), 'GET', '/api/auth/me');
        assert.equal((acting.body.user as { username: string }).username, username);
        const [entry] = await ledgerTail(1);
        assert.deepEqual(
          [entry?.actor, entry?.action, entry?.subject, entry?.data],
          [
            'administrator',
            'user.impersonation_token_created',
            username,
            { tokenId: made.body.id, name: 'system', days: 7 },
          ],
        );
      });
    }

    test('a token a user makes for itself is recorded as its own, never with the token', async () => {
      const made = await mint(tokens.officer, { name: 'own' });
      const [entry] = await ledgerTail(1);
      assert.deepEqual(
        [entry?.actor, entry?.action, entry?.subject, entry?.data],
        ['officer', 'user.token_created', 'officer', { tokenId: made.id, name: 'own', days: 30 }],
      );
    });

    test('disabling a user ends its sessions and tokens at once; enabling lets it sign in, without its tokens', async () => {
      const token = await createUserToken(ctx, {
        username: 'to-disable',
        role: Role.Trader,
        partyId: 'T-DIS',
      });
      const login = await server.request('POST', '/api/auth/login', {
        body: { username: 'to-disable', password: testPassword },
      });
      const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
      const session = () => server.request('GET', '/api/auth/me', { headers: { cookie } });
      assert.deepEqual([(await session()).status, await me(token)], [200, 200]);

      const disabled = await call(tokens.administrator, 'POST', '/api/users/to-disable/disable');
      assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
      assert.deepEqual(disabled.body.user, {
        username: 'to-disable',
        disabled: true,
        sessionsEnded: 1,
        tokensRevoked: 1,
      });
      assert.deepEqual([(await session()).status, await me(token)], [401, 401]);
      const refusedLogin = await server.request('POST', '/api/auth/login', {
        body: { username: 'to-disable', password: testPassword },
      });
      assert.equal(refusedLogin.status, 401);
      const [entry] = await ledgerTail(1);
      assert.deepEqual(
        [entry?.actor, entry?.action, entry?.subject],
        ['administrator', 'user.disabled', 'to-disable'],
      );
      const users = await call(tokens.administrator, 'GET', '/api/users');
      const listed = (users.body.users as { username: string; disabled: boolean }[]).find(
        (u) => u.username === 'to-disable',
      );
      assert.equal(listed?.disabled, true);

      const twice = await call(tokens.administrator, 'POST', '/api/users/to-disable/disable');
      assert.deepEqual([twice.status, twice.body.error], [409, 'action_not_allowed']);

      const enabled = await call(tokens.administrator, 'POST', '/api/users/to-disable/enable');
      assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
      assert.equal((await ledgerTail(1))[0]?.action, 'user.enabled');
      const again = await server.request('POST', '/api/auth/login', {
        body: { username: 'to-disable', password: testPassword },
      });
      assert.equal(again.status, 200);
      assert.equal(await me(token), 401, 'a revoked token stays revoked');
    });

    test('a token made with a token never outlives it: revoking the first ends the second, even for another user', async () => {
      const parent = await mint(tokens.risk_analyst, { name: 'parent', days: 2 });
      const child = await mint(parent.token, { name: 'child', days: 30 });
      assert.ok(
        Date.parse(String(child.body.expiresAt)) <= Date.parse(String(parent.body.expiresAt)),
        `${String(child.body.expiresAt)} after ${String(parent.body.expiresAt)}`,
      );
      const adminParent = await mint(tokens.administrator, { name: 'admin-parent' });
      const forTrader = await call(adminParent.token, 'POST', '/api/users/trader/tokens', {
        name: 'made-by-token',
      });
      assert.equal(forTrader.status, 201, JSON.stringify(forTrader.body));
      assert.deepEqual([await me(child.token), await me(String(forTrader.body.token))], [200, 200]);

      const revoked = await call(tokens.risk_analyst, 'POST', `/api/auth/tokens/${parent.id}/revoke`);
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      assert.deepEqual([await me(parent.token), await me(child.token)], [401, 401]);
      assert.deepEqual((await ledgerTail(1))[0]?.data, {
        tokenId: parent.id,
        name: 'parent',
        madeWithIt: [child.id],
      });
      const childAgain = await call(tokens.risk_analyst, 'POST', `/api/auth/tokens/${child.id}/revoke`);
      assert.deepEqual([childAgain.status, childAgain.body.error], [409, 'token_revoked']);

      await call(tokens.administrator, 'POST', `/api/auth/tokens/${adminParent.id}/revoke`);
      assert.equal(
        await me(String(forTrader.body.token)),
        401,
        "the trader's token ended with the administrator's",
      );
    });

    test('a disabled user gets no new token, so enabling it brings none back', async () => {
      await createUserToken(ctx, { username: 'disabled-owner', role: Role.Trader, partyId: 'T-DIS2' });
      const disabled = await call(tokens.administrator, 'POST', '/api/users/disabled-owner/disable');
      assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
      const refused = await call(tokens.administrator, 'POST', '/api/users/disabled-owner/tokens', {
        name: 'x',
      });
      assert.deepEqual([refused.status, refused.body.error], [409, 'user_disabled']);
      const [{ n } = { n: -1 }] = await ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE u.username = 'disabled-owner' AND t.revoked_at IS NULL`,
      );
      assert.equal(n, 0);
    });

    test('an administrator may not disable itself, nor a user that does not exist', async () => {
      const self = await call(tokens.administrator, 'POST', '/api/users/administrator/disable');
      assert.deepEqual([self.status, self.body.error], [409, 'action_not_allowed']);
      assert.equal(await me(tokens.administrator), 200);
      const nobody = await call(tokens.administrator, 'POST', '/api/users/nobody-here/disable');
      assert.deepEqual([nobody.status, nobody.body.error], [404, 'user_not_found']);
    });
  });
}
