/**
 * PATCH /api/users/:username through the real server: an administrator changes a user's role,
 * party, offices and represented traders by the rules of creation; a new role ends what the user
 * held; nobody changes their own role and the last administrator stays one; refusals name their
 * field; every change is on the ledger. And the field each refusal of creation names.
 */
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
import { sealPending } from './ledger/seal.ts';
import { Role } from './roles.ts';
import { changeUser } from './user-changes.ts';

interface Listed {
  username: string;
  role: string;
  partyId: string | null;
  offices: string[];
  represents: string[];
  disabled: boolean;
}

for (const target of storageTargets()) {
  describe(`changing a user (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;

    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    const admin = (method: string, path: string, body?: unknown) =>
      server.request(method, path, { token: tokens.administrator, body });
    const patch = (username: string, body: unknown) => admin('PATCH', `/api/users/${username}`, body);
    const listed = async (username: string) => {
      const all = (await admin('GET', '/api/users')).body.users as Listed[];
      return all.find((u) => u.username === username);
    };
    const lastEntry = async () => {
      await sealPending(ctx.db);
      const [e] = await ctx.db.query<{ actor: string; action: string; subject: string; data: string }>(
        'SELECT actor, action, subject_id AS subject, data FROM ledger ORDER BY seq DESC LIMIT 1',
      );
      return e && { ...e, data: JSON.parse(e.data) as unknown };
    };

    test('the list shows the traders a declarant represents', async () => {
      const declarant = await listed('declarant');
      assert.deepEqual(declarant?.represents, ['TRADER-A']);
      assert.deepEqual((await listed('trader'))?.represents, []);
    });

    test("an official's role and offices change together; its sessions and tokens end; the ledger says what it was", async () => {
      const token = await createUserToken(ctx, { username: 'off-one', role: Role.Officer, offices: ['030'] });
      const login = await server.request('POST', '/api/auth/login', {
        body: { username: 'off-one', password: testPassword },
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const changed = await patch('off-one', { role: Role.Supervisor, offices: ['020', '030'] });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual(
        [changed.body.sessionsEnded, changed.body.tokensRevoked],
        [1, 1],
        JSON.stringify(changed.body),
      );
      const user = changed.body.user as Listed;
      assert.deepEqual([user.role, user.offices], [Role.Supervisor, ['020', '030']]);
      assert.equal((await server.request('GET', '/api/auth/me', { token })).status, 401);
      assert.equal((await server.request('GET', '/api/auth/me', { headers: { cookie } })).status, 401);
      assert.deepEqual(await lastEntry(), {
        actor: 'administrator',
        action: 'user.changed',
        subject: 'off-one',
        data: {
          before: { role: 'officer', offices: ['030'] },
          after: { role: 'supervisor', offices: ['020', '030'] },
          sessionsEnded: 1,
          tokensRevoked: 1,
        },
      });

      // offices alone: the tokens made since stay, as the role is the same
      const kept = await createUserToken(ctx, { username: 'off-two', role: Role.Officer });
      const offices = await patch('off-two', { offices: ['020'] });
      assert.deepEqual([offices.status, offices.body.tokensRevoked], [200, 0]);
      assert.equal((await server.request('GET', '/api/auth/me', { token: kept })).status, 200);

      // a role that works at no office leaves them
      const auditor = await patch('off-two', { role: Role.Auditor });
      assert.deepEqual((auditor.body.user as Listed).offices, []);
      assert.equal((await server.request('GET', '/api/auth/me', { token: kept })).status, 401);
    });

    test("a declarant's represented traders are replaced, and an auditor becomes a declarant with a party", async () => {
      await createUserToken(ctx, {
        username: 'broker-two',
        role: Role.Declarant,
        partyId: 'BROKER-2',
        represents: ['T-1'],
      });
      const changed = await patch('broker-two', { represents: ['T-3', 'T-2'] });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual((await listed('broker-two'))?.represents, ['T-2', 'T-3']);
      assert.deepEqual(((await lastEntry())?.data as { after: unknown }).after, {
        represents: ['T-2', 'T-3'],
      });

      await createUserToken(ctx, { username: 'aud-two', role: Role.Auditor });
      const noParty = await patch('aud-two', { role: Role.Declarant });
      assert.deepEqual(
        [noParty.status, noParty.body.error, (noParty.body.details as { field?: string })?.field],
        [422, 'invalid_user', 'partyId'],
      );
      const declarant = await patch('aud-two', {
        role: Role.Declarant,
        partyId: 'BROKER-3',
        represents: ['T-9'],
      });
      assert.equal(declarant.status, 200, JSON.stringify(declarant.body));
      assert.deepEqual(
        [(declarant.body.user as Listed).partyId, (declarant.body.user as Listed).represents],
        ['BROKER-3', ['T-9']],
      );
    });

    test('refusals name their field, in the shape of every error', async () => {
      const cases: [string, unknown, number, string, string][] = [
        ['trader', { represents: ['TRADER-B'] }, 422, 'invalid_user', 'represents'],
        ['officer', { offices: ['999'] }, 422, 'invalid_user', 'offices'],
        ['auditor', { offices: ['030'] }, 422, 'invalid_user', 'offices'],
        ['trader', { partyId: 'not a party' }, 422, 'invalid_user', 'partyId'],
        ['administrator', { role: Role.Auditor }, 409, 'action_not_allowed', 'role'],
      ];
      for (const [username, body, status, error, field] of cases) {
        const res = await patch(username, body);
        assert.deepEqual(
          [res.status, res.body.error, (res.body.details as { field?: string })?.field],
          [status, error, field],
          `${username} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`,
        );
        assert.equal(typeof res.body.message, 'string');
      }
      assert.equal((await patch('nobody-here', { role: Role.Auditor })).status, 404);
      const empty = await patch('trader', {});
      assert.deepEqual([empty.status, empty.body.error], [400, 'invalid_request']);
      const unknownRole = await patch('trader', { role: 'king' });
      assert.deepEqual([unknownRole.status, unknownRole.body.error], [400, 'invalid_request']);
      assert.equal((await listed('trader'))?.role, Role.Trader, 'nothing changed');
    });

    test('each refusal of a new user names its field: username, password, party, offices, represented traders', async () => {
      const good = { username: 'new-one', password: testPassword, role: Role.Declarant, partyId: 'B-1' };
      const cases: [Record<string, unknown>, number, string, string][] = [
        [{ ...good, username: 'trader' }, 409, 'username_taken', 'username'],
        [{ ...good, username: 'X' }, 422, 'invalid_user', 'username'],
        [{ ...good, password: 'short' }, 422, 'invalid_user', 'password'],
        [{ ...good, partyId: undefined }, 422, 'invalid_user', 'partyId'],
        [{ ...good, represents: ['bad trader'] }, 422, 'invalid_user', 'represents'],
        [
          { ...good, role: Role.Officer, partyId: undefined, offices: ['999'] },
          422,
          'invalid_user',
          'offices',
        ],
      ];
      for (const [body, status, error, field] of cases) {
        const res = await server.request('POST', '/api/users', { token: tokens.administrator, body });
        assert.deepEqual(
          [res.status, res.body.error, (res.body.details as { field?: string })?.field],
          [status, error, field],
          JSON.stringify(res.body),
        );
      }
    });
    test('no other role may change a user', async () => {
      for (const role of [Role.Supervisor, Role.Auditor, Role.Trader]) {
        const res = await server.request('PATCH', '/api/users/trader', {
          token: tokens[role],
          body: { role: Role.Auditor },
        });
        assert.deepEqual([res.status, res.body.error], [403, 'forbidden'], role);
      }
    });
    test('nobody changes their own role, and the last enabled administrator stays one', async () => {
      const other = await createUserToken(ctx, { username: 'admin-two', role: Role.Administrator });
      // two administrators are enabled: one may take the other's role away
      const demoted = await server.request('PATCH', '/api/users/administrator', {
        token: other,
        body: { role: Role.Auditor },
      });
      assert.equal(demoted.status, 200, JSON.stringify(demoted.body));
      assert.equal(demoted.body.tokensRevoked, 1);
      // a disabled administrator does not count: admin-two is the only enabled one
      await createUserToken(ctx, { username: 'admin-three', role: Role.Administrator });
      const disabled = await server.request('POST', '/api/users/admin-three/disable', { token: other });
      assert.equal(disabled.status, 200);
      const refused = await changeUser(ctx.db, 'admin-two', { role: Role.Auditor }, 'system');
      assert.deepEqual(!refused.ok && [refused.error.code, refused.error.message], [
        'action_not_allowed',
        'admin-two is the only enabled administrator: make another administrator first',
      ]);
      const own = await server.request('PATCH', '/api/users/admin-two', {
        token: other,
        body: { role: Role.Auditor },
      });
      assert.deepEqual([own.status, own.body.message], [409, 'you cannot change your own role']);
    });
  });
}
