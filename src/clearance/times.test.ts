/**
 * The Time Release Study through the real server on each storage: exact durations, percentiles,
 * histograms and shares within targets for released declarations with known stage times; the
 * biggest stage; the change against a second period; scoping (a trader never sees another's
 * times); refusals naming each bad parameter; and `clearway clearance report --json`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { Role } from '../governance/roles.ts';
import { clearway } from '../testing/cli-process.ts';
import {
  createRoleUsers,
  createUserToken,
  openTestContext,
  otherTrader,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { seedReleaseTimes as seed } from '../testing/release-times.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';
import type { GroupTimesView, StageStatsView, TimesView } from './times-schema.ts';

const stageOf = (g: GroupTimesView, stage: string): StageStatsView => {
  const found = g.stages.find((s) => s.stage === stage);
  assert.ok(found, stage);
  return found;
};
const figures = (s: StageStatsView) => ({ count: s.count, mean: s.mean, median: s.median, p90: s.p90 });

for (const target of storageTargets()) {
  describe(`Time Release Study on ${target}`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let traderB: string;

    const times = async (query: string, token = tokens.supervisor): Promise<TimesView> => {
      const response = await server.request('GET', `/api/clearance/times?${query}`, { token });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body as unknown as TimesView;
    };

    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      traderB = await createUserToken(ctx, { username: 'trader-b', role: Role.Trader, partyId: otherTrader });
      server = await startTestServer(ctx);
      await seed(ctx, server, tokens.trader, traderB);
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    test('measures every released declaration of the window: count, mean, median, p90 and shares within targets', async () => {
      const body = await times('from=2026-03-01&to=2026-03-31&targets=60,1440');
      assert.deepEqual(body.targets, [60, 1440]);
      // totals 10, 40, 50, 720, 1560, 3000
      const total = stageOf(body.overall, 'total');
      assert.deepEqual(figures(total), { count: 6, mean: 896.67, median: 385, p90: 2280 });
      assert.deepEqual(total.withinTargets, [0.5, 0.6667]);
      assert.equal(body.overall.declarations, 6);
      // -30 (lodged before arrival), 30, 60, 120
      const arrival = stageOf(body.overall, 'arrivalToLodging');
      assert.deepEqual(figures(arrival), { count: 4, mean: 45, median: 45, p90: 102 });
      assert.deepEqual(arrival.histogram, [1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
      assert.equal(body.buckets.length, arrival.histogram.length);
      assert.deepEqual(body.buckets[0], { from: null, to: 0 });
      assert.deepEqual(figures(stageOf(body.overall, 'documentsRequestedToProvided')), {
        count: 1,
        mean: 1440,
        median: 1440,
        p90: 1440,
      });
      assert.deepEqual(figures(stageOf(body.overall, 'inspectionStartedToCompleted')), {
        count: 1,
        mean: 360,
        median: 360,
        p90: 360,
      });
      // payments 1475 and 470
      assert.deepEqual(figures(stageOf(body.overall, 'dutiesAssessedToPaid')), {
        count: 2,
        mean: 972.5,
        median: 972.5,
        p90: 1374.5,
      });
    });

    test('groups by office and lane, and names the stage adding the most minutes', async () => {
      const byOffice = await times('from=2026-03-01&to=2026-03-31&by=office');
      assert.deepEqual(
        byOffice.groups.map((g) => [g.key, g.declarations]),
        [
          ['030', 4],
          ['020', 2],
        ],
      );
      const [a, b] = byOffice.groups;
      assert.ok(a && b);
      assert.match(a.label, /^030 /);
      assert.deepEqual(figures(stageOf(a, 'total')), { count: 4, mean: 415, median: 45, p90: 1107 });
      // assessment to release adds 10 + 20 + 1485 + 30 of the 1660 minutes
      assert.deepEqual(a.biggest, { stage: 'assessmentToRelease', share: 0.9307 });
      assert.equal(b.biggest?.stage, 'assessmentToRelease');
      const byLane = await times('from=2026-03-01&to=2026-03-31&by=lane');
      assert.deepEqual(
        byLane.groups.map((g) => [g.key, g.label, g.declarations, stageOf(g, 'total').median]),
        [
          ['green', 'Green', 3, 40],
          ['red', 'Red', 2, 1860],
          ['yellow', 'Yellow', 1, 1560],
        ],
      );
    });

    test('keeps the top groups and adds up the rest in one', async () => {
      const body = await times('from=2026-03-01&to=2026-03-31&by=lane&top=1');
      assert.deepEqual(
        body.groups.map((g) => [g.key, g.declarations]),
        [
          ['green', 3],
          [null, 3],
        ],
      );
      assert.equal(body.otherKeys, 2);
      assert.equal(body.groups[1]?.label, 'Others');
    });

    test('compares with a second period, stage by stage', async () => {
      const body = await times('from=2026-03-01&to=2026-03-31&compareFrom=2026-02-01&compareTo=2026-02-28');
      assert.ok(body.comparison);
      assert.equal(body.comparison.overall.declarations, 1);
      const total = body.comparison.change.find((c) => c.stage === 'total');
      assert.deepEqual(total, { stage: 'total', mean: 696.67, median: 185, p90: 2080, medianShare: 0.925 });
      const byPeriod = await times('from=2026-02-01&to=2026-03-31&by=period&period=month');
      assert.deepEqual(
        byPeriod.groups.map((g) => [g.key, g.declarations]),
        [
          ['2026-03-01', 6],
          ['2026-02-01', 1],
        ],
      );
    });

    test('a trader and its declarant see only its own declarations; another trader only its own', async () => {
      for (const token of [tokens.trader, tokens.declarant]) {
        const body = await times('from=2026-03-01&to=2026-03-31&by=trader', token);
        assert.deepEqual(
          body.groups.map((g) => g.key),
          ['TRADER-A'],
        );
        assert.deepEqual(figures(stageOf(body.overall, 'total')), {
          count: 4,
          mean: 415,
          median: 45,
          p90: 1107,
        });
        assert.deepEqual(stageOf(body.overall, 'total').withinTargets, [0.75, 0.75]);
      }
      const b = await times('from=2026-03-01&to=2026-03-31&by=office', traderB);
      assert.deepEqual(
        b.groups.map((g) => g.key),
        ['020'],
      );
      assert.deepEqual(figures(stageOf(b.overall, 'total')), {
        count: 2,
        mean: 1860,
        median: 1860,
        p90: 2772,
      });
      const admin = await server.request('GET', '/api/clearance/times', { token: tokens.administrator });
      assert.equal(admin.status, 403);
    });

    test('refuses bad parameters with a 400 naming each one', async () => {
      const refused = async (query: string, ...fields: string[]) => {
        const response = await server.request('GET', `/api/clearance/times?${query}`, {
          token: tokens.supervisor,
        });
        assert.equal(response.status, 400, query);
        assert.equal(response.body.error, 'invalid_request');
        for (const field of fields)
          assert.match(String(response.body.message), new RegExp(`\\b${field}\\b`), query);
      };
      await refused('from=2026-13-01', 'from');
      await refused('by=colour', 'by');
      await refused('top=0', 'top');
      await refused('targets=an%20hour', 'targets');
      await refused('targets=0,1440&compareFrom=2026-01-01', 'targets', 'compareFrom');
      await refused('from=2026-04-01&to=2026-03-01', 'from');
      await refused('compareFrom=2026-04-01&compareTo=2026-03-01', 'compareFrom');
      await refused('from=2019-01-01&to=2026-03-01', 'from');
      await refused('color=red', 'color');
    });
  });

  describe(`clearway clearance report on ${target}`, () => {
    let store: EmptyStore;
    let dir: string;

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'clearway-times-cli-'));
      store = await emptyStore(target, path.join(dir, 'data'));
      const ctx = await openAppContext(loadConfig({ ...process.env, ...store.env }));
      try {
        const tokens = await createRoleUsers(ctx);
        const traderB = await createUserToken(ctx, {
          username: 'trader-b',
          role: Role.Trader,
          partyId: otherTrader,
        });
        const server = await startTestServer(ctx);
        try {
          await seed(ctx, server, tokens.trader, traderB);
        } finally {
          await server.close();
        }
      } finally {
        await ctx.close();
      }
    });
    after(async () => {
      await store?.dispose();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test('prints one JSON line with count, mean, median and p90 per group and stage', async () => {
      const run = await clearway(store.env, [
        'clearance',
        'report',
        '--from',
        '2026-03-01',
        '--to',
        '2026-03-31',
        '--by',
        'lane',
        '--json',
      ]);
      assert.equal(run.code, 0, run.stderr);
      const lines = run.stdout.trim().split('\n');
      assert.equal(lines.length, 1);
      const report = JSON.parse(lines[0] ?? '') as {
        by: string;
        overall: { stages: Record<string, unknown> };
        groups: { key: string; stages: Record<string, unknown> }[];
      };
      assert.equal(report.by, 'lane');
      assert.deepEqual(report.overall.stages.total, { count: 6, mean: 896.67, median: 385, p90: 2280 });
      assert.deepEqual(
        report.groups.map((g) => [g.key, g.stages.total]),
        [
          ['green', { count: 3, mean: 33.33, median: 40, p90: 48 }],
          ['red', { count: 2, mean: 1860, median: 1860, p90: 2772 }],
          ['yellow', { count: 1, mean: 1560, median: 1560, p90: 1560 }],
        ],
      );
      const readable = await clearway(store.env, [
        'clearance',
        'report',
        '--from',
        '2026-03-01',
        '--to',
        '2026-03-31',
      ]);
      assert.equal(readable.code, 0, readable.stderr);
      assert.match(readable.stdout, /Assessment to release/);
    });

    test('a usage mistake exits 2 with one line', async () => {
      for (const args of [
        ['clearance', 'report', '--by', 'trader'],
        ['clearance', 'report', '--from', '2026-02-30'],
        ['clearance'],
      ]) {
        const run = await clearway(store.env, args);
        assert.equal(run.code, 2, args.join(' '));
        assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
        assert.match(run.stderr, /^clearway clearance: /);
        assert.equal(run.stdout, '');
      }
    });
  });
}
