import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { recordControlResult } from '../controls/control-results.ts';
import { importDeclarations } from '../declarations/importer.ts';
import { createDeclarationService } from '../declarations/service.ts';
import type { DeclarationDraft } from '../declarations/validate/index.ts';
import { writeDemoCsv } from '../demo/clearway-csv-writer.ts';
import { Role, type Actor } from '../governance/roles.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  testTrader,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { createRiskEngine, type RiskEngine } from './assessment.ts';
import { seededRandom } from './gbdt/random.ts';
import { profilesRepository } from './profiles/repository.ts';
import { parseProfile } from './profiles/profile.ts';
import { activateModel, registerModel } from './registry.ts';
import { trainRiskModel } from './risk-model.ts';
import { defaultPolicy } from './selectivity.ts';
import { controlledDeclarations } from './training-data.ts';

const trader: Actor = { userId: 0, username: 'trader', role: Role.Trader, partyId: testTrader, offices: [] };
const officerAt = (office: string): Actor => ({
  userId: 0,
  username: 'officer',
  role: Role.Officer,
  partyId: null,
  offices: [office],
});

/** Activates a profile through the four-eyes workflow (written by one analyst, approved by another). */
async function activateProfile(ctx: TestContext, definition: Record<string, unknown>): Promise<number> {
  const parsed = parseProfile({
    name: 'test profile',
    weight: 90,
    reason: 'test reason',
    validFrom: '2020-01-01',
    ...definition,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const draft = await profilesRepository.create(ctx.db, parsed.value, 'analyst-1');
  await profilesRepository.submit(ctx.db, draft.id, 'analyst-1');
  const decided = await profilesRepository.decide(ctx.db, draft.id, 'analyst-2', true, null);
  if (!decided.ok) throw new Error(JSON.stringify(decided.error));
  return draft.id;
}

async function importDemo(ctx: TestContext, count: number, seed: number, from: string, to: string) {
  const csv = new PassThrough();
  const written = writeDemoCsv({ count, seed, from, to }, csv).then(() => csv.end());
  const summary = await importDeclarations(ctx.db, ctx.validation(), csv, {
    format: 'clearway',
    actor: 'test',
  });
  await written;
  return summary;
}

for (const target of storageTargets()) {
  describe(`risk assessment at acceptance (${target})`, () => {
    let ctx: TestContext;
    let engine: RiskEngine;
    let lodge: (overrides?: Record<string, unknown>) => Promise<{ id: number; lane?: string }>;
    let serial = 0;
    before(async () => {
      ctx = await openTestContext(target);
      engine = createRiskEngine({
        db: ctx.db,
        prices: () => ctx.prices(),
        settings: {
          policy: { ...defaultPolicy, randomShare: 0 },
          capacity: { red: 2, yellow: 1, offices: { '120': { red: 0, yellow: 0 } } },
        },
        cacheMs: 0,
      });
      const service = createDeclarationService({
        db: ctx.db,
        validation: () => ctx.validation(),
        risk: engine,
      });
      lodge = async (overrides = {}) => {
        const draft = aDeclaration({ functionalReference: `ASSESS-${++serial}`, ...overrides });
        const result = await service.lodge(trader, draft as unknown as DeclarationDraft);
        if (!result.ok) throw new Error(JSON.stringify(result.error));
        return result.value.declaration;
      };
    });
    after(() => ctx.dispose());

    test('without profiles or a model a declaration is assessed green, with the versions that assessed it', async () => {
      const d = await lodge();
      assert.equal(d.lane, 'green');
      const a = await engine.latest(ctx.db, d.id);
      assert.deepEqual(
        [a?.lane, a?.random, a?.critical, a?.modelId, a?.reasons],
        ['green', false, null, null, []],
      );
      assert.deepEqual(a?.versions, { profiles: '', anomaly: 'price-reference' });
      const events = await ctx.db.query<{ kind: string; data: unknown }>(
        'SELECT kind, data FROM declaration_events WHERE declaration_id = $1 ORDER BY seq',
        [d.id],
      );
      // assessed with its duty (8 % of 1,200 USD): green, it waits for its payment
      assert.deepEqual(events.slice(2), [
        { kind: 'assessed', data: { lane: 'green' } },
        { kind: 'duties_assessed', data: { currency: 'USD', duty: 96 } },
      ]);
      const learned = await ctx.db.query<{ kind: string; first: number }>(
        'SELECT kind, first_declaration_id AS first FROM trader_goods WHERE trader_id = $1 ORDER BY kind',
        [testTrader],
      );
      assert.deepEqual(learned, [
        { kind: 'hs6', first: d.id },
        { kind: 'origin', first: d.id },
      ]);
    });

    test('a profile hit routes to its lane with its reason, and the hit is counted for the profile', async () => {
      const id = await activateProfile(ctx, {
        code: 'WATCHED-SELLER',
        lane: 'red',
        conditions: [{ field: 'seller', op: 'eq', value: 'WATCHED CO' }],
      });
      const d = await lodge({ office: '100', seller: 'WATCHED CO' });
      assert.equal(d.lane, 'red');
      const a = await engine.latest(ctx.db, d.id);
      assert.deepEqual(a?.reasons[0], {
        kind: 'rule',
        code: 'WATCHED-SELLER',
        lane: 'red',
        weight: 90,
        text: 'test reason',
      });
      assert.equal(a?.versions.profiles, 'WATCHED-SELLER@1');
      assert.ok((a?.score ?? 0) >= 0.9);
      const profile = await profilesRepository.find(ctx.db, id);
      assert.equal(profile?.stats.selections, 1);
      const other = await lodge({ office: '100', seller: 'SOMEONE ELSE' });
      assert.equal(other.lane, 'green');

      // the officer's finding feeds back into the profile's hit rate
      const recorded = await recordControlResult(
        ctx.db,
        d.id,
        { outcome: 'non_compliant', irregularity: 'undervaluation', revenueRecovered: 120 },
        officerAt('100'),
      );
      assert.ok(recorded.ok);
      const after = await profilesRepository.find(ctx.db, id);
      assert.deepEqual(after?.stats, { selections: 1, controls: 1, positives: 1, hitRate: 1 });
    });

    test('capacity per office and day caps the red lane, stepping down a lane with a note', async () => {
      const lanes: (string | undefined)[] = [];
      for (let i = 0; i < 4; i++) lanes.push((await lodge({ office: '102', seller: 'WATCHED CO' })).lane);
      assert.deepEqual(lanes, ['red', 'red', 'yellow', 'blue']);
      const last = await engine.latest(
        ctx.db,
        Number((await lodge({ office: '110', seller: 'WATCHED CO' })).id),
      );
      assert.equal(last?.lane, 'red', 'another office has its own places');
      const full = await lodge({ office: '120', seller: 'WATCHED CO' });
      const a = await engine.latest(ctx.db, full.id);
      assert.equal(a?.lane, 'blue');
      assert.deepEqual(
        a?.reasons.filter((r) => r.kind === 'capacity').map((r) => (r.kind === 'capacity' ? r.text : '')),
        [
          `the red lane of office 120 is full for ${a?.day}: routed yellow`,
          `the yellow lane of office 120 is full for ${a?.day}: routed blue`,
        ],
      );
      const used = await ctx.db.query<{ lane: string; used: number }>(
        "SELECT lane, used FROM control_capacity_use WHERE office = '102' ORDER BY lane",
      );
      assert.deepEqual(used, [
        { lane: 'red', used: 2 },
        { lane: 'yellow', used: 1 },
      ]);
    });

    test('an amendment is assessed again and cannot lower the lane', async () => {
      const service = createDeclarationService({
        db: ctx.db,
        validation: () => ctx.validation(),
        risk: engine,
      });
      const d = await lodge({ office: '121', seller: 'WATCHED CO' });
      assert.equal(d.lane, 'red');
      const amended = await service.amend(
        trader,
        { kind: 'trader', traderId: testTrader },
        d.id,
        aDeclaration({
          functionalReference: `ASSESS-${serial}`,
          office: '121',
          seller: 'CLEAN CO',
        }) as never,
      );
      assert.ok(amended.ok, JSON.stringify(amended));
      const history = await engine.history(ctx.db, d.id);
      assert.deepEqual(
        history.map((a) => a.lane),
        ['red', 'red'],
      );
      assert.match(
        JSON.stringify(history[1]?.reasons),
        /re-assessed after an amendment: the earlier red lane/,
      );
      const used = await ctx.db.query<{ used: number }>(
        "SELECT used FROM control_capacity_use WHERE office = '121' AND lane = 'red'",
      );
      assert.deepEqual(used, [{ used: 1 }], 'the lane held needs no second place');
    });

    test('a unit value far below the price reference is an anomaly with its reason', async () => {
      for (let i = 0; i < 12; i++)
        await lodge({ office: '122', items: [anItem({ value: 1000, netMass: 10 })] });
      await ctx.refreshPrices();
      const d = await lodge({
        office: '122',
        invoiceTotal: 30,
        items: [anItem({ value: 30, netMass: 10 })],
      });
      const a = await engine.latest(ctx.db, d.id);
      const anomaly = a?.reasons.find((r) => r.kind === 'anomaly');
      assert.ok(anomaly && anomaly.kind === 'anomaly');
      assert.equal(anomaly.detector, 'price-reference');
      assert.match(
        anomaly.text,
        /unit value 3\.00 USD\/kg is below the band 36\.8 to 272 \(the reference for origin CN\)/,
      );
      assert.ok((a?.score ?? 0) > 0.5);
    });
  });

  describe(`batch assessment of imports, random selection and the learned model (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
      await importDemo(ctx, 3000, 11, '2026-01-01', '2026-03-31');
      await ctx.refreshPrices();
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    test('imported declarations wait unassessed; a batch assesses each once, honouring capacity per office and day', async () => {
      const [{ n } = { n: 0 }] = await ctx.db.query<{ n: number }>(
        'SELECT count(*)::int8 AS n FROM declarations WHERE lane IS NULL',
      );
      assert.ok(n > 1000);
      const engine = createRiskEngine({
        db: ctx.db,
        prices: () => ctx.prices(),
        settings: {
          policy: { ...defaultPolicy, randomShare: 0.1 },
          capacity: { red: 1, yellow: 2, offices: {} },
        },
        draw: seededRandom(42),
      });
      const run = await engine.assessPending('test', { batchSize: 700 });
      assert.equal(run.assessed, n);
      assert.equal(
        Object.values(run.lanes).reduce((a, b) => a + b, 0),
        n,
      );
      assert.deepEqual(await engine.assessPending('test'), {
        assessed: 0,
        lanes: { red: 0, yellow: 0, blue: 0, green: 0 },
      });

      // the random share, on a seeded run: within the 99.9% binomial bounds of 10%
      const [r = { random: 0, total: 0 }] = await ctx.db.query<{ random: number; total: number }>(
        'SELECT count(*) FILTER (WHERE random)::int8 AS random, count(*)::int8 AS total FROM risk_assessments',
      );
      const sd = Math.sqrt(r.total * 0.1 * 0.9);
      assert.ok(Math.abs(r.random - r.total * 0.1) < 3.3 * sd, `${r.random} random of ${r.total}`);
      // random selections bypass capacity, and are at least yellow with their reason
      const randomLanes = await ctx.db.query<{ lane: string; n: number }>(
        'SELECT lane, count(*)::int8 AS n FROM risk_assessments WHERE random GROUP BY lane ORDER BY lane',
      );
      assert.deepEqual(
        randomLanes.map((l) => l.lane).filter((l) => l !== 'red' && l !== 'yellow'),
        [],
      );
      const [withoutReason] = await ctx.db.query(
        `SELECT id FROM risk_assessments WHERE random AND NOT reasons @> '[{"kind":"random"}]'::jsonb LIMIT 1`,
      );
      assert.equal(withoutReason, undefined);
      // targeted selections never exceed the places of an office and day
      const over = await ctx.db.query(
        `SELECT office, day, lane FROM risk_assessments WHERE NOT random AND lane IN ('red', 'yellow')
         GROUP BY office, day, lane HAVING count(*) > CASE lane WHEN 'red' THEN 1 ELSE 2 END`,
      );
      assert.deepEqual(over, []);

      // the performance report sees every assessment once, and the historical control results
      const report = await server.request('GET', '/api/risk/performance?from=2026-01-01&to=2026-03-31', {
        token: tokens.risk_analyst,
      });
      assert.equal(report.status, 200);
      const overall = report.body.overall as Record<string, { assessed: number; controlled: number }>;
      const groups = ['targeted', 'random', 'other'].map((g) => overall[g] ?? { assessed: 0, controlled: 0 });
      assert.equal(
        groups.reduce((sum, g) => sum + g.assessed, 0),
        n,
      );
      assert.equal(overall.random?.assessed, r.random);
      assert.equal(overall.random?.controlled, r.random, 'every demo declaration has a historical result');
    });

    test('with an active model, assessments carry P(fraud) factors, P(critical) and the model version', async () => {
      const rows = (await controlledDeclarations(ctx.db)).sort((a, b) =>
        a.declaration.date.localeCompare(b.declaration.date),
      );
      const model = trainRiskModel(rows, [], { trees: 40, learningRate: 0.2, maxLeaves: 15 });
      const registered = await registerModel(ctx.db, model, { createdBy: 'test', source: 'database' });
      await activateModel(ctx.db, registered.id, 'test');
      const res = await server.request('POST', '/api/risk/models/' + registered.id + '/activate', {
        token: tokens.risk_analyst,
      });
      assert.equal(res.status, 200);
      const lodged = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration({ functionalReference: 'MODEL-1' }),
      });
      assert.equal(lodged.status, 201);
      const seen = await server.request('GET', `/api/declarations/${lodged.body.id}/assessment`, {
        token: tokens.officer,
      });
      assert.equal(seen.status, 200);
      const latest = seen.body.latest as Record<string, unknown> & { reasons: { kind: string }[] };
      assert.equal(latest.modelId, registered.id);
      assert.equal((latest.versions as Record<string, string>).model, String(registered.id));
      assert.match(String((latest.versions as Record<string, string>).anomaly), /isolation-forest@/);
      assert.ok(typeof latest.critical === 'number' && latest.critical >= 0 && latest.critical <= 1);
      assert.ok(latest.reasons.some((r) => r.kind === 'factor'));
      assert.equal(lodged.body.lane, latest.lane);
    });

    test('the worklist of an office pages through its open red and yellow work, highest risk first', async () => {
      const [busiest] = await ctx.db.query<{ office: string; n: number }>(
        `SELECT office, count(*)::int8 AS n FROM declarations WHERE lane IN ('red', 'yellow')
         AND status IN ('accepted', 'amended') GROUP BY office ORDER BY n DESC LIMIT 1`,
      );
      if (!busiest) throw new Error('no open selected work');
      const seen: { id: number; riskScore: number; lane: string }[] = [];
      let after: string | null = null;
      do {
        const page = await server.request(
          'GET',
          `/api/worklist?office=${busiest.office}&limit=7${after ? `&after=${after}` : ''}`,
          { token: tokens.risk_analyst },
        );
        assert.equal(page.status, 200);
        seen.push(...(page.body.items as typeof seen));
        after = page.body.nextCursor as string | null;
      } while (after);
      assert.equal(seen.length, busiest.n);
      assert.equal(new Set(seen.map((i) => i.id)).size, seen.length, 'no item twice');
      const order = seen.map((i) => i.riskScore);
      assert.deepEqual(
        order,
        [...order].sort((a, b) => b - a),
      );
      const lanes = await ctx.db.query<{ lane: string }>(
        `SELECT DISTINCT lane FROM declarations WHERE office = $1 AND lane IN ('red', 'yellow')
         AND status IN ('accepted', 'amended') ORDER BY lane`,
        [busiest.office],
      );
      assert.deepEqual(
        [...new Set(seen.map((i) => i.lane))].sort(),
        lanes.map((l) => l.lane),
        'the open red and yellow work of the office, and nothing else',
      );

      const queues = await server.request('GET', `/api/worklist/queues?office=${busiest.office}`, {
        token: tokens.supervisor,
      });
      assert.equal(queues.status, 200);
      const open = (queues.body.queues as { open: number }[]).reduce((sum, q) => sum + q.open, 0);
      assert.equal(open, busiest.n);

      const officer = await server.request('GET', '/api/worklist?lane=green&limit=3', {
        token: tokens.officer,
      });
      assert.equal(officer.status, 200, 'an officer gets the worklist of their own office');
      for (const item of officer.body.items as { office: string; lane: string }[])
        assert.deepEqual([item.office, item.lane], ['030', 'green']);
      const noOffice = await server.request('GET', '/api/worklist', { token: tokens.risk_analyst });
      assert.deepEqual([noOffice.status, noOffice.body.error], [400, 'invalid_request']);
      const badCursor = await server.request('GET', '/api/worklist?office=030&after=x', {
        token: tokens.officer,
      });
      assert.deepEqual([badCursor.status, badCursor.body.error], [400, 'invalid_request']);
    });

    test('traders see the lane but not the assessment; an unassessed declaration says so', async () => {
      // one still open (those released at assessment are assessed no more)
      const [d] = await ctx.db.query<{ id: number }>(
        "SELECT id FROM declarations WHERE status = 'accepted' ORDER BY id LIMIT 1",
      );
      const asTrader = await server.request('GET', `/api/declarations/${d?.id}/assessment`, {
        token: tokens.trader,
      });
      assert.equal(asTrader.status, 403);
      await ctx.db.query('UPDATE declarations SET lane = NULL WHERE id = $1', [d?.id]);
      await ctx.db.query('DELETE FROM risk_assessments WHERE declaration_id = $1', [d?.id]);
      const missing = await server.request('GET', `/api/declarations/${d?.id}/assessment`, {
        token: tokens.officer,
      });
      assert.deepEqual([missing.status, missing.body.error], [404, 'not_assessed']);
      const none = await server.request('GET', '/api/declarations/999999999/assessment', {
        token: tokens.officer,
      });
      assert.deepEqual([none.status, none.body.error], [404, 'declaration_not_found']);
      const yellow = await server.request('GET', '/api/declarations?lane=yellow&limit=500', {
        token: tokens.officer,
      });
      const [stored = { n: 0 }] = await ctx.db.query<{ n: number }>(
        "SELECT count(*)::int8 AS n FROM declarations WHERE lane = 'yellow'",
      );
      const items = yellow.body.items as { lane: string }[];
      assert.ok(items.length > 0);
      assert.deepEqual(
        [items.length, new Set(items.map((i) => i.lane))],
        [Math.min(500, stored.n), new Set(['yellow'])],
      );
      const rerun = await server.request('POST', '/api/risk/assess-pending', { token: tokens.risk_analyst });
      assert.equal(rerun.status, 200);
      assert.equal(rerun.body.assessed, 1);
    });
  });
}
