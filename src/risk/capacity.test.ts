import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Readable } from 'node:stream';
import { importDeclarations } from '../declarations/importer.ts';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import {
  aDeclaration,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  testOffice,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { createRiskEngine, type RiskEngine } from './assessment.ts';
import { seededRandom } from './gbdt/random.ts';
import { redForEveryone } from '../testing/profiles.ts';
import { defaultPolicy } from './selectivity.ts';

interface Places {
  lane: string;
  used: number;
  holders: number;
}

/**
 * The places counted at the test office on a day beside the assessments holding one, counted
 * independently: targeted (not random) red and yellow assessments. No declaration here is amended,
 * so each assessment that holds a place took it.
 */
async function places(ctx: TestContext, day: string): Promise<Places[]> {
  return ctx.db.query<Places>(
    `SELECT l.lane,
            coalesce((SELECT u.used FROM control_capacity_use u WHERE u.office = $2 AND u.day = $1 AND u.lane = l.lane), 0)::int4 AS used,
            (SELECT count(*) FROM risk_assessments a WHERE a.office = $2 AND a.day = $1 AND a.lane = l.lane AND NOT a.random)::int4 AS holders
     FROM (VALUES ('red'), ('yellow')) AS l(lane) ORDER BY l.lane`,
    [day, testOffice],
  );
}

for (const target of storageTargets()) {
  describe(`control capacity under concurrency (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let traderToken: string;
    let serial = 0;
    const red = 30;
    const yellow = 40;
    const engine = (seed: number): RiskEngine =>
      createRiskEngine({
        db: ctx.db,
        prices: () => ctx.prices(),
        settings: { policy: { ...defaultPolicy, randomShare: 0.05 }, capacity: { red, yellow, offices: {} } },
        draw: seededRandom(seed),
        cacheMs: 0,
      });
    /** Declarations accepted without assessment, as an import leaves them. */
    async function imported(date: string, n: number): Promise<void> {
      const rows = Array.from({ length: n }, () =>
        aClearwayRow(`CAPACITY-${++serial}`, { date, seller: 'WATCHED CO' }),
      );
      const summary = await importDeclarations(ctx.db, ctx.validation(), Readable.from([clearwayCsv(rows)]), {
        format: 'clearway',
        actor: 'import',
      });
      assert.equal(summary.accepted, n, JSON.stringify(summary));
    }

    before(async () => {
      ctx = await openTestContext(target, {
        CLEARWAY_CONTROL_CAPACITY: `red=${red},yellow=${yellow}`,
        CLEARWAY_RANDOM_SHARE: '0.05',
      });
      traderToken = (await createRoleUsers(ctx)).trader;
      server = await startTestServer(ctx);
      await redForEveryone(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    test('batch assessments running at once count each place once, for the declarations that hold it', async () => {
      await imported('2026-03-02', 160);
      const runs = await Promise.all(
        [1, 2, 3, 4].map((seed) => engine(seed).assessPending('test', { batchSize: 15 })),
      );
      assert.equal(
        runs.reduce((n, r) => n + r.assessed, 0),
        160,
        'each declaration is assessed by one run',
      );
      const counted = await places(ctx, '2026-03-02');
      assert.deepEqual(
        counted.map((p) => [p.lane, p.used]),
        counted.map((p) => [p.lane, p.holders]),
      );
      assert.deepEqual(
        counted.map((p) => p.used),
        [red, yellow],
        'both lanes are full',
      );
      const [twice] = await ctx.db.query(
        `SELECT declaration_id FROM declaration_events WHERE kind = 'assessed'
         GROUP BY declaration_id HAVING count(*) > 1 LIMIT 1`,
      );
      assert.equal(twice, undefined, 'no declaration has two assessed events');
    });

    test('lodgings assessed one at a time and batch assessments at one office and day share its places exactly', async () => {
      await imported('2026-03-03', 80);
      const lodgings = Array.from({ length: 40 }, async () => {
        const res = await server.request('POST', '/api/declarations', {
          token: traderToken,
          body: aDeclaration({
            functionalReference: `CAPACITY-${++serial}`,
            date: '2026-03-03',
            seller: 'WATCHED CO',
          }),
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body.lane;
      });
      const batches = [1, 2].map((seed) => engine(seed).assessPending('test', { batchSize: 10 }));
      const [lanes, runs] = await Promise.all([Promise.all(lodgings), Promise.all(batches)]);
      assert.ok(lanes.every((l) => typeof l === 'string'));
      assert.equal(
        runs.reduce((n, r) => n + r.assessed, 0),
        80,
      );
      const counted = await places(ctx, '2026-03-03');
      assert.deepEqual(counted, [
        { lane: 'red', used: red, holders: red },
        { lane: 'yellow', used: yellow, holders: yellow },
      ]);
    });
  });
}
