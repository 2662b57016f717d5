import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { sealPending } from '../governance/ledger/seal.ts';
import { Role } from '../governance/roles.ts';
import { controlledDeclarations } from '../risk/training-data.ts';
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
  testTrader,
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
      // once controlled, only a supervisor of the office may change the result, by a correction
      for (const [role, allowed] of [
        [Role.Officer, []],
        [Role.Supervisor, ['correct_control']],
      ] as const) {
        const seen = await server.request('GET', `/api/declarations/${id}`, { token: tokens[role] });
        assert.deepEqual(seen.body.allowed, allowed, role);
      }
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

for (const target of storageTargets()) {
  describe(`one control result per declaration, corrected by a supervisor (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let elsewhere: string;
    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      elsewhere = await createUserToken(ctx, {
        username: 'supervisor-020',
        role: Role.Supervisor,
        offices: [otherOffice],
      });
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });
    const lodge = async (reference?: string) => {
      const res = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration(reference ? { functionalReference: reference } : {}),
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return Number(res.body.id);
    };
    const post = (token: string, path: string, body: unknown) =>
      server.request('POST', path, { token, body });
    const found = {
      outcome: 'non_compliant',
      irregularity: 'undervaluation',
      revenueRecovered: 1250.75,
      notes: 'invoice from the seller shows 3,000',
    };
    const correction = { outcome: 'compliant', reason: 'the seller’s invoice was for another shipment' };
    /** Everything computed from control results that the declaration of trader TRADER-A counts in. */
    async function figures(reference: string) {
      const report = await server.request(
        'GET',
        '/api/risk/performance?from=2026-03-01&to=2026-03-31&period=month&office=030',
        { token: tokens.risk_analyst },
      );
      assert.equal(report.status, 200, JSON.stringify(report.body));
      const overall = report.body.overall as Record<
        string,
        { positives: number; revenueRecovered: { currency: string; amount: number }[] }
      >;
      const groups = ['targeted', 'random', 'other'].map((g) => overall[g]);
      const training = (await controlledDeclarations(ctx.db)).filter(
        (r) => r.declaration.functionalReference === reference,
      );
      const [history] = await ctx.db.query<{ controls: number; positives: number }>(
        'SELECT controls::int AS controls, positives::int AS positives FROM trader_history WHERE trader_id = $1',
        [testTrader],
      );
      return {
        positives: groups.reduce((n, g) => n + (g?.positives ?? 0), 0),
        revenue: (currency: string) =>
          groups
            .flatMap((g) => g?.revenueRecovered ?? [])
            .filter((r) => r.currency === currency)
            .reduce((n, r) => n + r.amount, 0),
        training: training.map((r) => r.fraud),
        history,
      };
    }

    test('a second result is refused with a 409 naming the first, and nothing changes', async () => {
      const id = await lodge();
      const first = await post(tokens.officer, `/api/declarations/${id}/control-results`, found);
      assert.equal(first.status, 201, JSON.stringify(first.body));
      for (const role of [Role.Officer, Role.Supervisor]) {
        const second = await post(tokens[role], `/api/declarations/${id}/control-results`, {
          outcome: 'compliant',
        });
        assert.deepEqual([second.status, second.body.error], [409, 'control_result_exists'], role);
        assert.match(
          String(second.body.message),
          new RegExp(
            `^declaration ${id} already has a control result \\(#${first.body.id}, non-compliant \\(undervaluation\\), recorded by officer at .+\\); a supervisor of office 030 may correct it$`,
          ),
        );
        assert.equal((second.body.details as { existing: { id: number } }).existing.id, first.body.id);
      }
      const results = await server.request('GET', `/api/declarations/${id}/control-results`, {
        token: tokens.auditor,
      });
      assert.deepEqual(
        (
          results.body.results as { outcome: string; revenueRecovered: number; revenueCurrency: string }[]
        ).map((r) => [r.outcome, r.revenueRecovered, r.revenueCurrency]),
        [['non_compliant', 1250.75, 'USD']],
      );
    });

    test('a supervisor of the office corrects a result with a reason: both kept, every figure follows', async () => {
      const reference = `CORRECTED-${target}`;
      const id = await lodge(reference);
      const before = await figures(reference);
      const recorded = await post(tokens.officer, `/api/declarations/${id}/control-results`, found);
      assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
      const controlled = await figures(reference);
      assert.equal(controlled.positives, before.positives + 1);
      assert.equal(controlled.revenue('USD'), before.revenue('USD') + 1250.75);
      assert.deepEqual(controlled.training, [1]);
      assert.deepEqual(
        [controlled.history?.controls, controlled.history?.positives],
        [(before.history?.controls ?? 0) + 1, (before.history?.positives ?? 0) + 1],
      );

      // the reason is required, and must say something
      const path = `/api/declarations/${id}/control-results/correct`;
      const without = await post(tokens.supervisor, path, { outcome: 'compliant' });
      assert.equal(without.status, 400);
      assert.match(String(without.body.message), /reason/);
      const blank = await post(tokens.supervisor, path, { outcome: 'compliant', reason: '     ' });
      assert.deepEqual([blank.status, blank.body.error], [422, 'invalid_control_result']);
      const unchanged = await post(tokens.supervisor, path, { ...found, reason: 'checked again' });
      assert.deepEqual([unchanged.status, unchanged.body.error], [422, 'invalid_control_result']);

      const corrected = await post(tokens.supervisor, path, correction);
      assert.equal(corrected.status, 201, JSON.stringify(corrected.body));
      assert.deepEqual(
        [
          corrected.body.outcome,
          corrected.body.corrects,
          corrected.body.correctionReason,
          corrected.body.recordedBy,
        ],
        ['compliant', recorded.body.id, correction.reason, 'supervisor'],
      );

      // the history keeps the original beside its correction
      const results = (
        await server.request('GET', `/api/declarations/${id}/control-results`, { token: tokens.officer })
      ).body.results as Record<string, unknown>[];
      assert.deepEqual(
        results.map((r) => [
          r.id,
          r.outcome,
          r.revenueRecovered,
          r.recordedBy,
          r.supersededAt !== null,
          r.corrects,
        ]),
        [
          [recorded.body.id, 'non_compliant', 1250.75, 'officer', true, null],
          [corrected.body.id, 'compliant', null, 'supervisor', false, recorded.body.id],
        ],
      );
      const events = (
        await server.request('GET', `/api/declarations/${id}/events`, { token: tokens.officer })
      ).body.events as { kind: string; actor: string; data: Record<string, unknown> }[];
      assert.deepEqual(
        events.slice(-2).map((e) => [e.kind, e.actor]),
        [
          ['controlled', 'officer'],
          ['control_corrected', 'supervisor'],
        ],
      );
      assert.deepEqual(events.at(-1)?.data, {
        resultId: corrected.body.id,
        corrects: recorded.body.id,
        reason: correction.reason,
        before: {
          outcome: 'non_compliant',
          irregularity: 'undervaluation',
          severity: 1,
          revenueRecovered: 1250.75,
          revenueCurrency: 'USD',
          seizure: false,
          recordedBy: 'officer',
        },
        after: {
          outcome: 'compliant',
          irregularity: null,
          severity: 0,
          revenueRecovered: null,
          revenueCurrency: null,
          seizure: false,
        },
      });

      // performance, training data and the trader's record read the correction
      const after = await figures(reference);
      assert.equal(after.positives, before.positives);
      assert.deepEqual(
        [after.revenue('USD'), after.revenue('EUR')],
        [before.revenue('USD'), before.revenue('EUR')],
      );
      assert.deepEqual(after.training, [0]);
      assert.deepEqual(
        [after.history?.controls, after.history?.positives],
        [(before.history?.controls ?? 0) + 1, before.history?.positives ?? 0],
      );

      // the ledger holds the result and its correction
      await sealPending(ctx.db);
      const ledger = await ctx.db.query<{ action: string; actor: string; data: Record<string, unknown> }>(
        `SELECT action, actor, data::jsonb AS data FROM ledger
         WHERE subject_id = $1 AND action LIKE 'declaration.control%' ORDER BY seq`,
        [String(id)],
      );
      assert.deepEqual(
        ledger.map((e) => [e.action, e.actor, e.data.resultId]),
        [
          ['declaration.controlled', 'officer', recorded.body.id],
          ['declaration.control_corrected', 'supervisor', corrected.body.id],
        ],
      );
      assert.equal(ledger[1]?.data.reason, correction.reason);

      // a correction of the correction supersedes it in turn
      const again = await post(tokens.supervisor, path, {
        outcome: 'non_compliant',
        irregularity: 'quantity',
        revenueRecovered: 80,
        revenueCurrency: 'EUR',
        reason: 'recount at the warehouse',
      });
      assert.equal(again.status, 201, JSON.stringify(again.body));
      const last = await figures(reference);
      assert.deepEqual(
        [last.positives, last.revenue('USD'), last.revenue('EUR'), last.training],
        [before.positives + 1, before.revenue('USD'), before.revenue('EUR') + 80, [1]],
      );
    });

    test('an officer, a supervisor of another office, and anyone on a declaration without a result are refused', async () => {
      const id = await lodge();
      const path = `/api/declarations/${id}/control-results/correct`;
      const none = await post(tokens.supervisor, path, correction);
      assert.deepEqual([none.status, none.body.error], [409, 'action_not_allowed']);
      assert.equal(
        none.body.message,
        `you cannot correct the control result of declaration ${id}: it has no control result`,
      );
      assert.equal(
        (await post(tokens.officer, `/api/declarations/${id}/control-results`, found)).status,
        201,
      );
      const officer = await post(tokens.officer, path, correction);
      assert.deepEqual([officer.status, officer.body.error], [403, 'forbidden']);
      const other = await post(elsewhere, path, correction);
      assert.deepEqual([other.status, other.body.error], [409, 'action_not_allowed']);
      assert.equal(
        other.body.message,
        `you cannot correct the control result of declaration ${id}: it is at office 030, and you work at office 020`,
      );
      const results = (
        await server.request('GET', `/api/declarations/${id}/control-results`, { token: tokens.officer })
      ).body.results as unknown[];
      assert.equal(results.length, 1);
      assert.equal(
        (await post(tokens.supervisor, '/api/declarations/99999999/control-results/correct', correction))
          .status,
        404,
      );
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
