/**
 * The Time Release Study's monthly summary (migration 0039) against the row-by-row reading on each
 * storage: the same figures for every dimension it keeps, over whole months and over windows with
 * partial months at their edges; again after a release written into a summarised month and after a
 * purge removes a release; and, on PostgreSQL, a month being written while a study summarises.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import {
  createRoleUsers,
  openTestContext,
  otherOffice,
  startTestServer,
  storageTargets,
  aDeclaration,
  anItem,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { releaseWithTimes, type StageTimes } from '../testing/release-times.ts';
import { statsLabels } from '../stats/labels.ts';
import { releaseTimes, type TimeDimension, type TimesQuery } from './times.ts';
import { rangesOutside, summariseClosedMonths, wholeMonths } from './times-summary.ts';

const lanes = ['green', 'yellow', 'red', 'blue'] as const;

/** Stage times in quarter minutes (exact in binary, so sums agree to the last bit), some at half minutes. */
function timesOf(i: number, lodged: string): StageTimes {
  const q = (n: number) => n / 4;
  return {
    lodged,
    lane: lanes[i % 4],
    ...(i % 3 === 0 ? { arrived: -q((i * 37) % 400) + 30 } : {}),
    accepted: q((i * 7) % 40),
    assessed: 10 + q((i * 11) % 90),
    released: 40 + q((i * 613) % 12_000),
    ...(i % 4 === 1
      ? { documents: [30, 35 + q((i * 29) % 3000), 800 + q(i * 3)] as [number, number, number] }
      : {}),
    ...(i % 5 === 2 ? { payment: [20, 20 + q((i * 53) % 2000)] as [number, number] } : {}),
  };
}

for (const target of storageTargets()) {
  describe(`Time Release Study summary on ${target}`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let trader: string;
    let chapterSections: readonly (readonly [string, string])[];
    let seq = 0;

    const release = async (lodged: string) => {
      seq++;
      const response = await server.request('POST', '/api/declarations', {
        token: trader,
        body: aDeclaration({
          ...(seq % 2 === 0 ? { office: otherOffice } : {}),
          transportMode: seq % 3 === 0 ? '1' : '4',
          items: [anItem({ hsCode: seq % 2 === 0 ? '61091000' : '85171300' })],
        }),
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      const id = Number(response.body.id);
      await releaseWithTimes(ctx.db, id, timesOf(seq, lodged));
      return id;
    };

    const query = (from: string, to: string, by: TimeDimension | null, period: 'week' | 'month' = 'month') =>
      ({
        from,
        to,
        by,
        period,
        targets: [15, 61, 1440],
        top: by === 'lane' ? 2 : 20,
        scope: { kind: 'all' },
        chapterSections,
      }) satisfies TimesQuery;

    const sameAsRows = async (q: TimesQuery) => {
      const summary = await releaseTimes(ctx.db, q);
      assert.deepEqual(
        summary,
        await releaseTimes(ctx.db, q, 'rows'),
        `${q.from} ${q.to} ${q.by} ${q.period}`,
      );
      return summary;
    };
    const summarised = async () =>
      (
        await ctx.db.query<{ month: string }>(
          "SELECT to_char(month, 'YYYY-MM-DD') AS month FROM clearance_times_periods ORDER BY month",
        )
      ).map((r) => r.month);

    before(async () => {
      ctx = await openTestContext(target);
      trader = (await createRoleUsers(ctx)).trader;
      server = await startTestServer(ctx);
      chapterSections = statsLabels(ctx.reference, ctx.catalog).chapterSections;
      const days = [
        '2026-01-05',
        '2026-01-31',
        '2026-02-01',
        '2026-02-14',
        '2026-03-09',
        '2026-03-30',
        '2026-04-02',
      ];
      for (let i = 0; i < 28; i++) await release(`${days[i % days.length]}T${10 + (i % 12)}:07:30Z`);
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    test('reads whole months from the summary and the edges row by row', () => {
      assert.deepEqual(wholeMonths('2026-01-15', '2026-04-30'), ['2026-02-01', '2026-03-01', '2026-04-01']);
      assert.deepEqual(wholeMonths('2026-01-01', '2026-01-30'), []);
      assert.deepEqual(rangesOutside('2026-01-15', '2026-04-02', ['2026-03-01']), [
        ['2026-01-15T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
        ['2026-04-01T00:00:00.000Z', '2026-04-03T00:00:00.000Z'],
      ]);
      // the window's end past the last day ISO text can write is read as infinity
      assert.deepEqual(rangesOutside('9999-12-02', '9999-12-31', []), [
        ['9999-12-02T00:00:00.000Z', 'infinity'],
      ]);
    });

    test('gives the figures of the row-by-row reading, by every dimension it keeps', async () => {
      for (const [from, to] of [
        ['2026-01-01', '2026-03-31'],
        ['2026-01-20', '2026-04-30'],
      ] as const) {
        for (const by of [null, 'office', 'lane', 'mode', 'section', 'period'] as const)
          await sameAsRows(query(from, to, by));
        await sameAsRows(query(from, to, 'period', 'week'));
      }
      assert.deepEqual(await summarised(), ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01']);
      const whole = await releaseTimes(ctx.db, query('2026-01-01', '2026-04-30', null));
      assert.equal(whole.overall.declarations, 28);
    });

    test('a release written into a summarised month and a purged release count at the next study', async () => {
      const q = query('2026-01-01', '2026-03-31', 'office');
      const before = await sameAsRows(q);
      await summariseClosedMonths(ctx.db, '2026-01-01', '2026-03-31');
      const added = await release('2026-02-10T09:00:00Z');
      assert.deepEqual(await summarised(), ['2026-01-01', '2026-03-01', '2026-04-01']);
      const withIt = await sameAsRows(q);
      assert.equal(withIt.overall.declarations, before.overall.declarations + 1);
      assert.deepEqual(await summarised(), ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01']);
      // retention's purge: the declaration's events go, and with the release its times
      await ctx.db.query('DELETE FROM declaration_events WHERE declaration_id = $1', [added]);
      assert.deepEqual(await summarised(), ['2026-01-01', '2026-03-01', '2026-04-01']);
      assert.deepEqual(await sameAsRows(q), before);
    });

    if (target === 'postgres')
      test('a month written while a study reads it is read row by row, then summarised with the release', async () => {
        const q = query('2026-01-01', '2026-03-31', null);
        const before = await sameAsRows(q);
        const url = new URL(process.env.DATABASE_URL ?? '');
        url.pathname = `/${(await ctx.db.query<{ name: string }>('SELECT current_database() AS name'))[0]?.name}`;
        const writer = new pg.Client({ connectionString: url.toString() });
        await writer.connect();
        try {
          const [one] = await ctx.db.query<{ id: number }>(
            "SELECT declaration_id AS id FROM clearance_times WHERE released < '2026-02-01' LIMIT 1",
          );
          assert.ok(one);
          await ctx.db.query('DELETE FROM clearance_times_periods');
          await writer.query('BEGIN');
          // a purge in January, not yet committed: it holds January's lock shared
          await writer.query('DELETE FROM declaration_events WHERE declaration_id = $1', [one.id]);
          const during = await sameAsRows(q);
          assert.deepEqual(during, before);
          assert.deepEqual(await summarised(), ['2026-02-01', '2026-03-01']);
          await writer.query('COMMIT');
          const afterwards = await sameAsRows(q);
          assert.equal(afterwards.overall.declarations, before.overall.declarations - 1);
          assert.deepEqual(await summarised(), ['2026-01-01', '2026-02-01', '2026-03-01']);
        } finally {
          await writer.end();
        }
      });
  });
}
