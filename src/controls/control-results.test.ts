import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { Role } from '../governance/roles.ts';
import {
  aDeclaration,
  createRoleUsers,
  createUserToken,
  openTestContext,
  otherOffice,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
  testOffice,
} from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`recording control results (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx); // the officer and supervisor work at office 030
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });
    const lodge = async (office = testOffice) => {
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

    test('neither an officer nor a supervisor of another office may record, and the refusal says why', async () => {
      const id = await lodge(otherOffice);
      for (const role of [Role.Officer, Role.Supervisor]) {
        const refused = await record(role, id, { outcome: 'compliant' });
        assert.deepEqual([refused.status, refused.body.error], [409, 'action_not_allowed'], role);
        assert.equal(
          refused.body.message,
          `you cannot record a control result for declaration ${id}: it is at office 020, and you work at office 030`,
        );
      }
      const declaration = await server.request('GET', `/api/declarations/${id}`, {
        token: tokens.supervisor,
      });
      assert.deepEqual([declaration.body.status, declaration.body.allowed], ['accepted', []]);
    });

    test('risk analysts and auditors read control results but do not record them', async () => {
      const id = await lodge();
      for (const role of [Role.RiskAnalyst, Role.Auditor])
        assert.equal((await record(role, id, { outcome: 'compliant' })).status, 403, role);
      const results = await server.request('GET', `/api/declarations/${id}/control-results`, {
        token: tokens.auditor,
      });
      assert.deepEqual([results.status, results.body.results], [200, []]);
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

/**
 * A control result racing a colleague taking the work, on PostgreSQL where two transactions run at
 * once. A second connection holds the declaration's row lock while the colleague's take and then
 * the officer's result queue behind it, in that order; the take wins, so the result is refused
 * because the permission is decided under the lock, not before it.
 */
describe(
  'a control result racing a colleague taking the work (postgres)',
  { skip: !process.env.DATABASE_URL },
  () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let colleague: string;
    let blocker: pg.Client;
    before(async () => {
      ctx = await openTestContext('postgres');
      tokens = await createRoleUsers(ctx);
      colleague = await createUserToken(ctx, {
        username: 'officer-2',
        role: Role.Officer,
        offices: [testOffice],
      });
      server = await startTestServer(ctx);
      blocker = new pg.Client({ connectionString: ctx.config.databaseUrl });
      await blocker.connect();
    });
    after(async () => {
      await blocker.end();
      await server.close();
      await ctx.dispose();
    });

    /** Waits until `n` statements of other connections wait for a lock. */
    async function waitingForLocks(n: number): Promise<void> {
      for (let i = 0; i < 500; i++) {
        await blocker.query('SELECT pg_stat_clear_snapshot()'); // statistics are a snapshot within a transaction
        const { rows } = await blocker.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
        );
        if (Number(rows[0]?.n) >= n) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`fewer than ${n} statements waited for a lock`);
    }

    test('the colleague who takes the work first keeps it: the result is refused and nothing is recorded', async () => {
      const lodged = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration(),
      });
      assert.equal(lodged.status, 201);
      const id = Number(lodged.body.id);

      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM declarations WHERE id = $1 FOR UPDATE', [id]);
      const take = server.request('POST', `/api/declarations/${id}/take`, { token: colleague });
      await waitingForLocks(1);
      const result = server.request('POST', `/api/declarations/${id}/control-results`, {
        token: tokens.officer,
        body: { outcome: 'compliant' },
      });
      await waitingForLocks(2);
      await blocker.query('ROLLBACK');

      const [taken, recorded] = await Promise.all([take, result]);
      assert.equal(taken.status, 200, JSON.stringify(taken.body));
      assert.deepEqual([recorded.status, recorded.body.error], [409, 'action_not_allowed']);
      assert.equal(
        recorded.body.message,
        `you cannot record a control result for declaration ${id}: officer-2 is working on it`,
      );
      const { rows } = await blocker.query(
        'SELECT count(*)::int AS n FROM control_results WHERE declaration_id = $1',
        [id],
      );
      assert.deepEqual(rows, [{ n: 0 }]);
      const declaration = await server.request('GET', `/api/declarations/${id}`, { token: tokens.officer });
      assert.deepEqual([declaration.body.status, declaration.body.assignedTo], ['accepted', 'officer-2']);
    });

    test('a cancellation is decided under the same lock: a declarant no longer of record is refused', async () => {
      const lodged = await server.request('POST', '/api/declarations', {
        token: tokens.declarant,
        body: aDeclaration({ functionalReference: 'CANCEL-RACE-1' }),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      const id = Number(lodged.body.id);

      // the declarant of record changes while the cancellation waits for the row
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM declarations WHERE id = $1 FOR UPDATE', [id]);
      const cancel = server.request('POST', `/api/declarations/${id}/cancel`, {
        token: tokens.declarant,
        body: { reason: 'lodged in error' },
      });
      await waitingForLocks(1);
      await blocker.query(`UPDATE declarations SET declarant_id = 'ANOTHER-BROKER' WHERE id = $1`, [id]);
      await blocker.query('COMMIT');

      const refused = await cancel;
      assert.deepEqual([refused.status, refused.body.error], [409, 'action_not_allowed']);
      const { rows } = await blocker.query('SELECT status FROM declarations WHERE id = $1', [id]);
      assert.deepEqual(rows, [{ status: 'accepted' }]);
    });
  },
);
