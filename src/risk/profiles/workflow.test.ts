import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Role } from '../../governance/roles.ts';
import {
  aDeclaration,
  createRoleUsers,
  createUserToken,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../../testing/harness.ts';

const definition = (overrides: Record<string, unknown> = {}) => ({
  code: 'UNDERVALUED-TEXTILES',
  name: 'Textiles far below the price reference',
  lane: 'yellow',
  weight: 60,
  reason: 'The declared unit value is less than a third of the reference for these goods',
  validFrom: '2026-01-01',
  conditions: [
    { field: 'item.hsCode', op: 'prefix', value: ['61', '62'] },
    { field: 'indicator.unitValueRatio', op: 'lt', value: 0.33 },
  ],
  ...overrides,
});

for (const target of storageTargets()) {
  describe(`the four-eyes workflow of rule profiles (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let second = '';
    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      second = await createUserToken(ctx, { username: 'second-analyst', role: Role.RiskAnalyst });
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });
    const as = (token: string, method: string, path: string, body?: unknown) =>
      server.request(method, path, { token, body });
    const author = (method: string, path: string, body?: unknown) =>
      as(tokens.risk_analyst, method, path, body);
    const reviewer = (method: string, path: string, body?: unknown) => as(second, method, path, body);

    test('a new profile is a draft its author may submit', async () => {
      const res = await author('POST', '/api/risk/profiles', definition());
      assert.equal(res.status, 201);
      assert.deepEqual(
        [res.body.status, res.body.version, res.body.createdBy, res.body.allowed],
        ['draft', 1, 'risk-analyst', ['submit']],
      );
    });

    test('only risk analysts are told they may write profiles', async () => {
      const [analyst, supervisor] = await Promise.all([
        author('GET', '/api/risk/profiles'),
        as(tokens.supervisor, 'GET', '/api/risk/profiles'),
      ]);
      assert.deepEqual([analyst.body.allowed, supervisor.body.allowed], [['create'], []]);
    });

    test('the fields a condition may test come with the operators their kind accepts', async () => {
      const res = await as(tokens.auditor, 'GET', '/api/risk/profiles/fields');
      assert.equal(res.status, 200);
      const byName = new Map(
        (res.body.fields as { name: string; kind: string; scope: string; operators: string[] }[]).map((f) => [
          f.name,
          f,
        ]),
      );
      assert.deepEqual(byName.get('item.hsCode'), {
        name: 'item.hsCode',
        kind: 'text',
        scope: 'item',
        operators: ['eq', 'ne', 'in', 'notIn', 'prefix', 'contains'],
      });
      assert.deepEqual(byName.get('indicator.traderHitRate')?.operators, [
        'eq',
        'ne',
        'gt',
        'gte',
        'lt',
        'lte',
        'between',
      ]);
      assert.deepEqual(byName.get('indicator.firstUseOfHs')?.operators, ['eq']);
    });

    test('a profile that cannot work is refused with the place of each problem', async () => {
      const res = await author(
        'POST',
        '/api/risk/profiles',
        definition({ conditions: [{ field: 'colour', op: 'eq', value: 'red' }] }),
      );
      assert.deepEqual([res.status, res.body.error], [422, 'invalid_profile']);
      assert.deepEqual(
        (res.body.details as { problems: { path: string }[] }).problems.map((p) => p.path),
        ['conditions[0].field'],
      );
    });

    test('a profile with an empty condition row is refused, naming the row, and nothing is stored', async () => {
      const res = await author(
        'POST',
        '/api/risk/profiles',
        definition({
          code: 'EMPTY-ROW',
          conditions: [
            { field: 'trader', op: 'eq', value: 'T1' },
            { field: '', op: 'eq', value: '' },
          ],
        }),
      );
      assert.deepEqual([res.status, res.body.error], [400, 'incomplete_profile']);
      assert.match(String(res.body.message), /condition 2: choose a field/);
      assert.deepEqual(
        (res.body.details as { problems: { path: string }[] }).problems.map((p) => p.path),
        ['conditions[1].field', 'conditions[1].value'],
      );
      const none = await author(
        'POST',
        '/api/risk/profiles',
        definition({ code: 'EMPTY-ROW', conditions: [] }),
      );
      assert.deepEqual([none.status, none.body.error], [400, 'incomplete_profile']);
      const listed = await author('GET', '/api/risk/profiles');
      assert.ok(!(listed.body.profiles as { code: string }[]).some((p) => p.code === 'EMPTY-ROW'));
    });

    test('a new version with an empty condition row is refused like a new profile', async () => {
      const v1 = await author('POST', '/api/risk/profiles', definition({ code: 'EMPTY-V2' }));
      assert.equal(v1.status, 201);
      const v2 = await author(
        'POST',
        '/api/risk/profiles',
        definition({ code: 'EMPTY-V2', conditions: [{ field: 'trader', op: 'in', value: [] }] }),
      );
      assert.deepEqual([v2.status, v2.body.error], [400, 'incomplete_profile']);
      assert.match(String(v2.body.message), /condition 1: enter a value/);
    });

    test('a stored draft with an empty condition row is refused at submission and at approval', async () => {
      // as a draft written before such rows were refused was stored
      const old = await ctx.db.query<{ id: number }>(
        `INSERT INTO risk_profiles (code, version, definition, status, created_by)
         VALUES ('OLD-EMPTY', 1, $1::jsonb, $2, 'risk-analyst') RETURNING id`,
        [
          JSON.stringify(
            definition({ code: 'OLD-EMPTY', conditions: [{ field: 'trader', op: 'eq', value: '' }] }),
          ),
          'draft',
        ],
      );
      const id = old[0]?.id;
      const submitted = await author('POST', `/api/risk/profiles/${id}/submit`);
      assert.deepEqual([submitted.status, submitted.body.error], [400, 'incomplete_profile']);
      assert.match(String(submitted.body.message), /condition 1: enter a value/);
      assert.equal((await author('GET', `/api/risk/profiles/${id}`)).body.status, 'draft');
      await ctx.db.query(`UPDATE risk_profiles SET status = 'pending' WHERE id = $1`, [id]);
      const approved = await reviewer('POST', `/api/risk/profiles/${id}/approve`);
      assert.deepEqual([approved.status, approved.body.error], [400, 'incomplete_profile']);
      assert.equal((await author('GET', `/api/risk/profiles/${id}`)).body.status, 'pending');
    });

    test('a version is served with the version in force of its code, if another one is', async () => {
      const v1 = await author('POST', '/api/risk/profiles', definition({ code: 'COMPARE' }));
      const alone = await reviewer('GET', `/api/risk/profiles/${v1.body.id}`);
      assert.equal(alone.body.inForce, null);
      await author('POST', `/api/risk/profiles/${v1.body.id}/submit`);
      await reviewer('POST', `/api/risk/profiles/${v1.body.id}/approve`);
      const v2 = await author('POST', '/api/risk/profiles', definition({ code: 'COMPARE', weight: 90 }));
      await author('POST', `/api/risk/profiles/${v2.body.id}/submit`);
      const [pending, active] = await Promise.all([
        reviewer('GET', `/api/risk/profiles/${v2.body.id}`),
        reviewer('GET', `/api/risk/profiles/${v1.body.id}`),
      ]);
      const inForce = pending.body.inForce as {
        id: number;
        version: number;
        definition: { weight: number };
        decidedBy: string;
      };
      assert.deepEqual(
        [inForce.id, inForce.version, inForce.definition.weight, inForce.decidedBy],
        [v1.body.id, 1, 60, 'second-analyst'],
      );
      assert.deepEqual([pending.body.allowed, active.body.inForce], [['approve', 'reject'], null]);
    });

    const strangers = [
      ['the profile', { ...definition({ code: 'EXTRA-TOP' }), owner: 'mallory' }, 'owner'],
      [
        'a condition',
        definition({
          code: 'EXTRA-COND',
          conditions: [{ field: 'trader', op: 'eq', value: 'T', note: 'x' }],
        }),
        'note',
      ],
    ] as const;
    for (const [where, body, field] of strangers) {
      test(`a field unknown to ${where} is refused, named, and nothing is stored`, async () => {
        const res = await author('POST', '/api/risk/profiles', body);
        assert.deepEqual([res.status, res.body.error], [400, 'invalid_request']);
        assert.match(String(res.body.message), new RegExp(`Unknown field '${field}'`));
        const listed = await author('GET', '/api/risk/profiles');
        const codes = (listed.body.profiles as { code: string }[]).map((p) => p.code);
        assert.ok(!codes.includes(body.code), codes.join(', '));
      });
    }

    test('nothing is activated without approval, and nobody approves their own profile', async () => {
      const draft = await author('POST', '/api/risk/profiles', definition({ code: 'NEW-TRADERS' }));
      const id = draft.body.id;
      const early = await reviewer('POST', `/api/risk/profiles/${id}/approve`);
      assert.deepEqual([early.status, early.body.error], [409, 'action_not_allowed']);
      const notMine = await reviewer('POST', `/api/risk/profiles/${id}/submit`);
      assert.equal(notMine.status, 409);
      assert.equal((await author('POST', `/api/risk/profiles/${id}/submit`)).body.status, 'pending');
      const self = await author('POST', `/api/risk/profiles/${id}/approve`);
      assert.deepEqual([self.status, self.body.error], [403, 'four_eyes']);
      const listed = await as(tokens.supervisor, 'GET', '/api/risk/profiles');
      const pending = (listed.body.profiles as { id: number; status: string; allowed: string[] }[]).find(
        (p) => p.id === id,
      );
      assert.deepEqual([pending?.status, pending?.allowed], ['pending', []]);
      const approved = await reviewer('POST', `/api/risk/profiles/${id}/approve`, {
        note: 'checked against last quarter',
      });
      assert.deepEqual(
        [approved.status, approved.body.status, approved.body.decidedBy],
        [200, 'active', 'second-analyst'],
      );
    });

    test('approving a new version retires the one that was active', async () => {
      const v1 = await author('POST', '/api/risk/profiles', definition({ code: 'ROUTE-X' }));
      await author('POST', `/api/risk/profiles/${v1.body.id}/submit`);
      await reviewer('POST', `/api/risk/profiles/${v1.body.id}/approve`);
      const v2 = await author('POST', '/api/risk/profiles', definition({ code: 'ROUTE-X', weight: 80 }));
      assert.equal(v2.body.version, 2);
      await author('POST', `/api/risk/profiles/${v2.body.id}/submit`);
      await reviewer('POST', `/api/risk/profiles/${v2.body.id}/approve`);
      const [first, latest] = await Promise.all([
        author('GET', `/api/risk/profiles/${v1.body.id}`),
        author('GET', `/api/risk/profiles/${v2.body.id}`),
      ]);
      assert.deepEqual([first.body.status, latest.body.status], ['retired', 'active']);
    });

    test('a rejected profile never becomes active', async () => {
      const draft = await author('POST', '/api/risk/profiles', definition({ code: 'REJECT-ME' }));
      await author('POST', `/api/risk/profiles/${draft.body.id}/submit`);
      const rejected = await reviewer('POST', `/api/risk/profiles/${draft.body.id}/reject`, {
        note: 'too broad',
      });
      assert.deepEqual([rejected.body.status, rejected.body.decisionNote], ['rejected', 'too broad']);
      assert.equal((await reviewer('POST', `/api/risk/profiles/${draft.body.id}/approve`)).status, 409);
    });

    test('hit statistics count selections, controls and positives', async () => {
      const draft = await author('POST', '/api/risk/profiles', definition({ code: 'STATS' }));
      const id = Number(draft.body.id);
      const ids: number[] = [];
      for (let i = 0; i < 3; i++)
        ids.push(Number((await as(tokens.trader, 'POST', '/api/declarations', aDeclaration())).body.id));
      for (const d of ids)
        await ctx.db.query('INSERT INTO profile_hits (profile_id, declaration_id) VALUES ($1, $2)', [id, d]);
      await as(tokens.officer, 'POST', `/api/declarations/${ids[0]}/control-results`, {
        outcome: 'non_compliant',
        irregularity: 'undervaluation',
      });
      await as(tokens.officer, 'POST', `/api/declarations/${ids[1]}/control-results`, {
        outcome: 'compliant',
      });
      const res = await author('GET', `/api/risk/profiles/${id}`);
      assert.deepEqual(res.body.stats, { selections: 3, controls: 2, positives: 1, hitRate: 0.5 });
    });
  });
}
