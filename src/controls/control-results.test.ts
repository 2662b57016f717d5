import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import {
  aDeclaration,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`recording control results (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx); // the officer and supervisor work at office ICN
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });
    const lodge = async (office = 'ICN') => {
      const res = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration({ office }),
      });
      assert.equal(res.status, 201);
      return Number(res.body.id);
    };
    const record = (role: Role, id: number, body: unknown) =>
      server.request('POST', `/api/declarations/${id}/control-results`, { token: tokens[role], body });

    test('an officer records a non-compliant result: stored, an event, and the declaration is controlled', async () => {
      const id = await lodge();
      const seen = await server.request('GET', `/api/declarations/${id}`, { token: tokens.officer });
      assert.deepEqual(seen.body.allowed, ['take', 'record_control']);
      const res = await record(Role.Officer, id, {
        outcome: 'non_compliant',
        irregularity: 'undervaluation',
        revenueRecovered: 1250.5,
        notes: 'invoice from the seller shows 3,000',
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(
        [
          res.body.outcome,
          res.body.irregularity,
          res.body.severity,
          res.body.revenueRecovered,
          res.body.recordedBy,
        ],
        ['non_compliant', 'undervaluation', 1, 1250.5, 'officer'],
      );
      const declaration = await server.request('GET', `/api/declarations/${id}`, { token: tokens.trader });
      assert.deepEqual([declaration.body.status, declaration.body.allowed], ['controlled', []]);
      const events = (await server.request('GET', `/api/declarations/${id}/events`, { token: tokens.trader }))
        .body.events as { kind: string; actor: string }[];
      assert.deepEqual(events.at(-1), { ...events.at(-1), kind: 'controlled', actor: 'officer' });
      const results = await server.request('GET', `/api/declarations/${id}/control-results`, {
        token: tokens.trader,
      });
      assert.equal((results.body.results as unknown[]).length, 1);
    });

    test('a seizure is critical', async () => {
      const res = await record(Role.Supervisor, await lodge(), {
        outcome: 'non_compliant',
        irregularity: 'prohibited_goods',
        seizure: true,
      });
      assert.deepEqual([res.status, res.body.severity], [201, 2]);
      assert.match(String(res.body.notes), /goods seized/);
    });

    const inconsistent: [string, unknown][] = [
      ['non-compliant without the kind of irregularity', { outcome: 'non_compliant' }],
      ['compliant with an irregularity', { outcome: 'compliant', irregularity: 'quantity' }],
      ['compliant with revenue recovered', { outcome: 'compliant', revenueRecovered: 10 }],
    ];
    for (const [name, body] of inconsistent) {
      test(`refuses a result that is ${name}, and changes nothing`, async () => {
        const id = await lodge();
        const res = await record(Role.Officer, id, body);
        assert.deepEqual([res.status, res.body.error], [422, 'invalid_control_result']);
        const declaration = await server.request('GET', `/api/declarations/${id}`, { token: tokens.officer });
        assert.equal(declaration.body.status, 'accepted');
      });
    }

    test('an unknown kind of irregularity is a 400 naming the field', async () => {
      const res = await record(Role.Officer, await lodge(), {
        outcome: 'non_compliant',
        irregularity: 'smells',
      });
      assert.equal(res.status, 400);
      assert.match(String(res.body.message), /irregularity/);
    });

    test('an officer of another office may not record, a supervisor may', async () => {
      const id = await lodge('PUS');
      const officer = await record(Role.Officer, id, { outcome: 'compliant' });
      assert.deepEqual([officer.status, officer.body.error], [409, 'action_not_allowed']);
      assert.match(String(officer.body.message), /office PUS/);
      assert.equal((await record(Role.Supervisor, id, { outcome: 'compliant' })).status, 201);
    });

    test('a cancelled declaration cannot be controlled', async () => {
      const id = await lodge();
      await server.request('POST', `/api/declarations/${id}/cancel`, {
        token: tokens.trader,
        body: { reason: 'duplicate' },
      });
      assert.equal((await record(Role.Officer, id, { outcome: 'compliant' })).status, 409);
    });

    test('control results of an unknown declaration are 404', async () => {
      assert.equal((await record(Role.Officer, 99_999_999, { outcome: 'compliant' })).status, 404);
    });
  });
}
