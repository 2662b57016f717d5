import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import type { Sql } from '../db/database.ts';
import { errorHandler } from '../http/errors.ts';
import { validatorCompiler } from '../http/validator.ts';
import { openTestContext, storageTargets, type TestContext } from '../testing/harness.ts';
import {
  binOf,
  histogram,
  liftOf,
  performanceWindow,
  psi,
  rateOf,
  riskPerformance,
  wilsonInterval,
  type PerformanceQuery,
  type PerformanceWindow,
} from './performance.ts';
import { performanceRoutes } from './performance-routes.ts';

const close = (actual: number | null | undefined, expected: number, tolerance = 1e-9) =>
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `${actual} is not ${expected} ± ${tolerance}`,
  );

test('the Wilson interval matches hand-computed and published values', () => {
  const cases: [positives: number, n: number, low: number, high: number][] = [
    // 3/20: p = 0.15, z² = 3.8415, centre = (0.15 + 0.09604) / 1.19207 = 0.20640,
    // half = 1.64418 * sqrt(0.006375 + 0.0024009) = 0.15403 -> [0.0524, 0.3604]
    [3, 20, 0.0524, 0.3604],
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
    [50, 100, 0.4038, 0.5962],
  ];
  for (const [positives, n, low, high] of cases) {
    const interval = wilsonInterval(positives, n);
    assert.ok(interval, `${positives}/${n}`);
    close(interval.rate, positives / n);
    close(interval.low, low, 1e-4);
    close(interval.high, high, 1e-4);
    assert.equal(interval.n, n);
  }
  assert.equal(wilsonInterval(0, 0), null);
});

test('scores fall in ten equal bins, 1 in the last one', () => {
  const cases: [score: number, bin: number][] = [
    [0, 0],
    [0.05, 0],
    [0.1, 1],
    [0.29, 2],
    [0.3, 3],
    [0.7, 7],
    [0.999, 9],
    [1, 9],
  ];
  for (const [score, bin] of cases) assert.equal(binOf(score), bin, String(score));
  assert.deepEqual(histogram([]), new Array(10).fill(0));
  assert.deepEqual(histogram([0.05, 0.12, 0.18, 1]), [0.25, 0.5, 0, 0, 0, 0, 0, 0, 0, 0.25]);
});

test('the PSI is zero for identical distributions and grows with the shift', () => {
  const cases: [actual: number[], expected: number[], psi: number][] = [
    [[0.2, 0.3, 0.5], [0.2, 0.3, 0.5], 0],
    [[0, 1], [0, 1], 0],
    // 0.25 ln 2 + 0.25 ln 1.5
    [[0.5, 0.5], [0.25, 0.75], 0.25 * Math.log(2) + 0.25 * Math.log(1.5)],
    // the empty bin counts as 1e-4: 0.5 ln 2 + 0.4999 ln 5000
    [[1, 0], [0.5, 0.5], 0.5 * Math.log(2) + 0.4999 * Math.log(5000)],
  ];
  for (const [actual, expected, value] of cases) close(psi(actual, expected), value, 1e-12);
  assert.throws(() => psi([1], [0.5, 0.5]), /psi needs histograms with the same bins/);
});

test('hit rates and lift are null when there is nothing to divide by', () => {
  const rates: [positives: number, controlled: number, rate: number | null][] = [
    [0, 0, null],
    [0, 4, 0],
    [3, 4, 0.75],
  ];
  for (const [p, c, rate] of rates) assert.equal(rateOf(p, c), rate);
  const lifts: [targeted: number | null, random: number | null, lift: number | null][] = [
    [0.6, 0.15, 4],
    [0.6, 0, null],
    [null, 0.1, null],
    [0.2, null, null],
    [0, 0.5, 0],
  ];
  for (const [t, r, lift] of lifts) {
    const value = liftOf(t, r);
    if (lift === null) assert.equal(value, null);
    else close(value, lift);
  }
});

test('the window defaults to the 12 calendar months up to today and refuses bad requests', () => {
  const today = '2026-06-15';
  const accepted: [PerformanceQuery, PerformanceWindow][] = [
    [{}, { from: '2025-07-01', to: '2026-06-15', period: 'month', office: null }],
    [{ to: '2026-03-31' }, { from: '2025-04-01', to: '2026-03-31', period: 'month', office: null }],
    [{ from: '2026-01-10' }, { from: '2026-01-10', to: today, period: 'month', office: null }],
    [
      { from: '2021-01-01', to: '2025-12-31', period: 'week', office: 'ICN' },
      { from: '2021-01-01', to: '2025-12-31', period: 'week', office: 'ICN' },
    ],
    [
      { from: '2026-02-01', to: '2026-02-01', period: 'day' },
      { from: '2026-02-01', to: '2026-02-01', period: 'day', office: null },
    ],
  ];
  for (const [query, window] of accepted)
    assert.deepEqual(performanceWindow(query, today), { ok: true, value: window });
  const refused: [PerformanceQuery, RegExp][] = [
    [{ from: '2026-02-30' }, /from must be a date/],
    [{ to: '2026-1-05' }, /to must be a date/],
    [{ from: 'yesterday' }, /from must be a date/],
    [{ from: '2026-03-01', to: '2026-02-01' }, /from 2026-03-01 is after to 2026-02-01/],
    [{ from: '2026-07-01' }, /is after to 2026-06-15/],
    [{ from: '2021-01-01', to: '2026-01-01' }, /longer than 5 years/],
    [{ period: 'year' as 'month' }, /period must be one of/],
  ];
  for (const [query, message] of refused) {
    const result = performanceWindow(query, today);
    assert.ok(!result.ok, JSON.stringify(query));
    assert.equal(result.error.code, 'invalid_request');
    assert.match(result.error.message, message);
  }
});

type Lane = 'red' | 'yellow' | 'blue' | 'green';
type Outcome = 'compliant' | 'non_compliant';

interface Assessment {
  office: string;
  day: string;
  lane: Lane;
  random?: boolean;
  score?: number;
  modelId?: number | null;
}

let references = 0;

async function insertDeclaration(sql: Sql, office: string, date: string): Promise<number> {
  const [row] = await sql.query<{ id: number }>(
    `INSERT INTO declarations (type, functional_reference, trader_id, declarant_id, date, office, currency,
                               status, content_hash, source, lodged_by)
     VALUES ('IM', $1, 'TRADER-P', 'BROKER-P', $2, $3, 'USD', 'accepted', 'hash', 'test', 'test') RETURNING id`,
    [`PERF-${++references}`, date, office],
  );
  if (!row) throw new Error('no declaration');
  return row.id;
}

async function assess(sql: Sql, declarationId: number, a: Assessment): Promise<void> {
  await sql.query(
    `INSERT INTO risk_assessments (declaration_id, office, day, score, lane, random, reasons, versions, model_id)
     VALUES ($1, $2, $3, $4, $5, $6, '[]', '{}', $7)`,
    [declarationId, a.office, a.day, a.score ?? 0.5, a.lane, a.random ?? false, a.modelId ?? null],
  );
}

async function control(
  sql: Sql,
  declarationId: number,
  outcome: Outcome,
  options: { revenue?: number; currency?: string; at?: string } = {},
): Promise<void> {
  // a second result is a correction: the one it replaces is kept, superseded
  await sql.query(
    `UPDATE control_results SET superseded_at = now()
     WHERE declaration_id = $1 AND source = 'officer' AND superseded_at IS NULL`,
    [declarationId],
  );
  await sql.query(
    `INSERT INTO control_results (declaration_id, outcome, revenue_recovered, revenue_currency, source, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, 'officer', 'test', coalesce($5::timestamptz, now()))`,
    [declarationId, outcome, options.revenue ?? null, options.currency ?? null, options.at ?? null],
  );
}

/** `count` declarations, each assessed once and controlled once when an outcome is given. */
async function declare(
  sql: Sql,
  count: number,
  a: Assessment & { outcome?: Outcome; revenue?: number; currency?: string },
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = await insertDeclaration(sql, a.office, a.day);
    await assess(sql, id, a);
    if (a.outcome) await control(sql, id, a.outcome, { revenue: a.revenue, currency: a.currency });
    ids.push(id);
  }
  return ids;
}

/** Office HIT: targeting against random selection over January to March 2026. */
async function hitFixture(sql: Sql): Promise<void> {
  const office = 'HIT';
  // January, Monday 5th: 6 targeted positives (100.50 recovered each), 3 random positives (10 each)
  await declare(sql, 6, { office, day: '2026-01-05', lane: 'red', outcome: 'non_compliant', revenue: 100.5 });
  const randomly = { office, lane: 'yellow', random: true } as const;
  await declare(sql, 3, { ...randomly, day: '2026-01-05', outcome: 'non_compliant', revenue: 10 });
  // January, Wednesday 14th: 4 targeted compliant, 2 targeted not controlled, 17 random compliant,
  // 5 green of which 1 controlled
  await declare(sql, 2, { office, day: '2026-01-14', lane: 'red', outcome: 'compliant' });
  await declare(sql, 2, { office, day: '2026-01-14', lane: 'yellow', outcome: 'compliant' });
  await declare(sql, 2, { office, day: '2026-01-14', lane: 'yellow' });
  await declare(sql, 17, { ...randomly, day: '2026-01-14', outcome: 'compliant' });
  await declare(sql, 1, { office, day: '2026-01-14', lane: 'green', outcome: 'compliant' });
  await declare(sql, 4, { office, day: '2026-01-14', lane: 'green' });
  // February: 1 of 5 targeted positive, none of 10 random
  await declare(sql, 1, { office, day: '2026-02-10', lane: 'red', outcome: 'non_compliant' });
  await declare(sql, 4, { office, day: '2026-02-10', lane: 'red', outcome: 'compliant' });
  await declare(sql, 10, { office, day: '2026-02-10', lane: 'red', random: true, outcome: 'compliant' });
  // March: 2 targeted, not controlled yet
  await declare(sql, 2, { office, day: '2026-03-03', lane: 'red' });
}

/** Office LAT: re-assessed declarations and corrected control results; the latest assessment and the correction count. */
async function latestFixture(sql: Sql): Promise<void> {
  const office = 'LAT';
  const twice = async (first: Assessment, latest: Assessment) => {
    const id = await insertDeclaration(sql, office, first.day);
    await assess(sql, id, first);
    await assess(sql, id, latest);
    return id;
  };
  // green then red: targeted; compliant, corrected an hour later to non-compliant: positive
  const d1 = await twice(
    { office, day: '2026-01-10', lane: 'green' },
    { office, day: '2026-01-12', lane: 'red' },
  );
  await control(sql, d1, 'compliant', { at: '2026-01-13T10:00:00Z' });
  await control(sql, d1, 'non_compliant', { at: '2026-01-13T11:00:00Z' });
  // red then green: other, not targeted
  await twice({ office, day: '2026-01-10', lane: 'red' }, { office, day: '2026-01-12', lane: 'green' });
  // red in January, then randomly selected in February: counts in February only
  const d3 = await twice(
    { office, day: '2026-01-20', lane: 'red' },
    { office, day: '2026-02-03', lane: 'yellow', random: true },
  );
  await control(sql, d3, 'non_compliant');
  // a correction at the same time as the result it corrects: the correction counts
  const [d4 = 0] = await declare(sql, 1, { office, day: '2026-01-15', lane: 'red' });
  await control(sql, d4, 'non_compliant', { at: '2026-01-16T09:00:00Z' });
  await control(sql, d4, 'compliant', { at: '2026-01-16T09:00:00Z' });
  // a correction dated before the result it corrects: still the correction counts, not the later time
  const [d5 = 0] = await declare(sql, 1, { office, day: '2026-01-15', lane: 'red' });
  await control(sql, d5, 'non_compliant', { at: '2026-01-16T12:00:00Z' });
  await control(sql, d5, 'compliant', { at: '2026-01-16T09:00:00Z' });
}

const januaryScores = [0.05, 0.12, 0.18, 0.55, 1];
const marchScores = [0.35, 0.42, 0.48, 0.85, 0.95];

/** Office DRF: the same scores in January and February, shifted up in March. */
async function driftFixture(sql: Sql): Promise<void> {
  const office = 'DRF';
  const scored = async (day: string, scores: number[], models: (number | null)[]) => {
    for (const [i, score] of scores.entries())
      await declare(sql, 1, { office, day, lane: 'green', score, modelId: models[i % models.length] });
  };
  // a declaration first scored 0.99 by model 3, then 0.05 by model 1: only the latter counts
  const id = await insertDeclaration(sql, office, '2026-01-20');
  await assess(sql, id, { office, day: '2026-01-20', lane: 'red', score: 0.99, modelId: 3 });
  await assess(sql, id, { office, day: '2026-01-20', lane: 'green', score: januaryScores[0], modelId: 1 });
  await scored('2026-01-20', januaryScores.slice(1), [1]);
  await scored('2026-02-20', [...januaryScores].reverse(), [1, 2, null]);
  await scored('2026-03-20', marchScores, [2]);
}

interface ProfileIds {
  watch1: number;
  watch2: number;
  route1: number;
}

/** Office PRF: two versions of WATCH selecting in January 2026, ROUTE selecting in December 2025. */
async function profileFixture(sql: Sql): Promise<ProfileIds> {
  const profile = async (code: string, version: number, status: string) => {
    const [row] = await sql.query<{ id: number }>(
      `INSERT INTO risk_profiles (code, version, definition, status, created_by, decided_by)
       VALUES ($1, $2, '{}', $3, 'analyst-a', 'analyst-b') RETURNING id`,
      [code, version, status],
    );
    if (!row) throw new Error('no profile');
    return row.id;
  };
  const ids = {
    watch1: await profile('WATCH', 1, 'retired'),
    watch2: await profile('WATCH', 2, 'active'),
    route1: await profile('ROUTE', 1, 'active'),
  };
  const office = 'PRF';
  const one = async (outcome: Outcome | undefined, profiles: number[], day = '2026-01-25') => {
    const [id] = await declare(sql, 1, { office, day, lane: 'red', outcome });
    for (const p of profiles)
      await sql.query('INSERT INTO profile_hits (profile_id, declaration_id) VALUES ($1, $2)', [p, id]);
  };
  await one('non_compliant', [ids.watch1, ids.watch2]);
  await one('compliant', [ids.watch1]);
  await one(undefined, [ids.watch1]);
  await one(undefined, [ids.watch1]);
  await one('non_compliant', [ids.watch2]);
  await one('compliant', [ids.watch2]);
  await one(undefined, [ids.watch2]);
  await one(undefined, [ids.route1], '2025-12-15');
  return ids;
}

for (const target of storageTargets()) {
  describe(`risk performance (${target})`, () => {
    let ctx: TestContext;
    let profiles: ProfileIds;
    before(async () => {
      ctx = await openTestContext(target);
      await hitFixture(ctx.db);
      await latestFixture(ctx.db);
      await driftFixture(ctx.db);
      profiles = await profileFixture(ctx.db);
    });
    after(() => ctx.dispose());

    const report = (query: PerformanceQuery) => {
      const window = performanceWindow(query, '2026-06-30');
      assert.ok(window.ok);
      return riskPerformance(ctx.db, window.value);
    };
    const q1 = { from: '2026-01-01', to: '2026-03-31' };

    test('targeted and random hit rates, lift and revenue per month', async () => {
      const r = await report({ ...q1, office: 'HIT' });
      assert.deepEqual(
        r.periods.map((p) => p.period),
        ['2026-01-01', '2026-02-01', '2026-03-01'],
      );
      const [jan, feb, mar] = r.periods;
      assert.ok(jan && feb && mar);
      assert.deepEqual(jan.targeted, {
        assessed: 12,
        controlled: 10,
        positives: 6,
        hitRate: 0.6,
        revenueRecovered: [{ currency: 'USD', amount: 603 }],
        controlledDuty: [],
      });
      assert.deepEqual(jan.random, {
        assessed: 20,
        controlled: 20,
        positives: 3,
        hitRate: 0.15,
        revenueRecovered: [{ currency: 'USD', amount: 30 }],
        controlledDuty: [],
      });
      assert.deepEqual(jan.other, {
        assessed: 5,
        controlled: 1,
        positives: 0,
        hitRate: 0,
        revenueRecovered: [],
        controlledDuty: [],
      });
      close(jan.lift, 4);
      assert.deepEqual([feb.targeted.hitRate, feb.random.hitRate, feb.lift], [0.2, 0, null]);
      assert.deepEqual(
        [mar.targeted.assessed, mar.targeted.hitRate, mar.random.assessed, mar.lift, mar.nonCompliance],
        [2, null, 0, null, null],
      );
    });

    test('over the whole window, and the non-compliance estimate with its Wilson interval', async () => {
      const r = await report({ ...q1, office: 'HIT' });
      assert.deepEqual(
        [r.overall.targeted.assessed, r.overall.targeted.controlled, r.overall.targeted.positives],
        [19, 15, 7],
      );
      assert.deepEqual(
        [r.overall.random.assessed, r.overall.random.controlled, r.overall.random.positives],
        [30, 30, 3],
      );
      close(r.overall.lift, 7 / 15 / 0.1);
      assert.deepEqual(r.overall.targeted.revenueRecovered, [{ currency: 'USD', amount: 603 }]);
      const jan = r.periods[0]?.nonCompliance;
      assert.ok(jan);
      assert.equal(jan.n, 20);
      close(jan.rate, 0.15);
      close(jan.low, 0.0524, 1e-4);
      close(jan.high, 0.3604, 1e-4);
      assert.deepEqual(r.periods[1]?.nonCompliance, wilsonInterval(0, 10));
      assert.deepEqual(r.overall.nonCompliance, wilsonInterval(3, 30));
    });

    test('revenue recovered is summed per currency, never across currencies', async () => {
      const office = 'CUR';
      const day = '2025-06-02';
      // the result's own currency, else the declaration's (USD)
      await declare(ctx.db, 2, { office, day, lane: 'red', outcome: 'non_compliant', revenue: 100 });
      await declare(ctx.db, 1, {
        office,
        day,
        lane: 'red',
        outcome: 'non_compliant',
        revenue: 40,
        currency: 'EUR',
      });
      await declare(ctx.db, 1, {
        office,
        day,
        lane: 'red',
        outcome: 'non_compliant',
        revenue: 2.5,
        currency: 'EUR',
      });
      await declare(ctx.db, 1, { office, day, lane: 'red', outcome: 'compliant' });
      // nothing recovered is no amount: no GBP line
      await declare(ctx.db, 1, {
        office,
        day,
        lane: 'red',
        outcome: 'compliant',
        revenue: 0,
        currency: 'GBP',
      });
      const r = await report({ from: '2025-06-01', to: '2025-06-30', office });
      const expected = [
        { currency: 'EUR', amount: 42.5 },
        { currency: 'USD', amount: 200 },
      ];
      assert.deepEqual(r.overall.targeted.revenueRecovered, expected);
      assert.deepEqual(r.periods[0]?.targeted.revenueRecovered, expected);
      assert.deepEqual(
        [r.overall.targeted.assessed, r.overall.targeted.controlled, r.overall.targeted.positives],
        [6, 6, 4],
      );
    });

    test('the duty of the controlled declarations is summed per declaration currency, beside the revenue', async () => {
      const office = 'DUT';
      const withItems = async (
        a: Assessment & { outcome?: Outcome; revenue?: number },
        items: [value: number, rate: number][],
        declaration: { currency?: string; type?: string } = {},
      ) => {
        const [id] = await declare(ctx.db, 1, a);
        assert.ok(id !== undefined);
        await ctx.db.query(
          `UPDATE declarations SET currency = coalesce($2, currency), type = coalesce($3, type) WHERE id = $1`,
          [id, declaration.currency ?? null, declaration.type ?? null],
        );
        for (const [i, [value, rate]] of items.entries()) {
          await ctx.db.query(
            `INSERT INTO declaration_items (declaration_id, sequence, hs_code, value, duty_rate)
             VALUES ($1, $2, '85171300', $3, $4)`,
            [id, i + 1, value, rate],
          );
        }
      };
      const july = { office, day: '2025-07-07', lane: 'red' } as const;
      // 1,000 × 5% + 350 × 3.33% (11.655, to 11.66 half away from zero)
      await withItems({ ...july, outcome: 'non_compliant', revenue: 30 }, [
        [1000, 5],
        [350, 3.33],
      ]);
      await withItems({ ...july, outcome: 'compliant' }, [[2000, 4]], { currency: 'EUR' });
      // not controlled: not counted; an export owes nothing
      await withItems(july, [[500, 10]]);
      await withItems({ ...july, outcome: 'compliant' }, [[100, 5]], { type: 'EX' });
      await withItems({ ...july, random: true, outcome: 'compliant' }, [[200, 7.5]]);
      await withItems({ office, day: '2025-08-04', lane: 'yellow', outcome: 'compliant' }, [[100, 1]]);

      const r = await report({ from: '2025-07-01', to: '2025-08-31', office });
      const [jul, aug] = r.periods;
      assert.deepEqual(jul?.targeted.controlledDuty, [
        { currency: 'EUR', amount: 80 },
        { currency: 'USD', amount: 61.66 },
      ]);
      assert.deepEqual(jul?.targeted.revenueRecovered, [{ currency: 'USD', amount: 30 }]);
      assert.deepEqual(jul?.random.controlledDuty, [{ currency: 'USD', amount: 15 }]);
      assert.deepEqual(aug?.targeted.controlledDuty, [{ currency: 'USD', amount: 1 }]);
      assert.deepEqual(r.overall.targeted.controlledDuty, [
        { currency: 'EUR', amount: 80 },
        { currency: 'USD', amount: 62.66 },
      ]);
      assert.deepEqual(r.overall.other.controlledDuty, []);
    });

    test('periods are weeks from Monday or days, labelled by their first day; from cuts the window', async () => {
      const january = { from: '2026-01-01', to: '2026-01-31', office: 'HIT' };
      const weeks = await report({ ...january, period: 'week' });
      assert.deepEqual(
        weeks.periods.map((p) => [p.period, p.targeted.assessed, p.random.assessed, p.other.assessed]),
        [
          ['2026-01-05', 6, 3, 0],
          ['2026-01-12', 6, 17, 5],
        ],
      );
      const days = await report({ ...january, period: 'day' });
      assert.deepEqual(
        days.periods.map((p) => p.period),
        ['2026-01-05', '2026-01-14'],
      );
      const cut = await report({ ...january, from: '2026-01-10' });
      assert.deepEqual(
        cut.periods.map((p) => [p.period, p.targeted.assessed, p.random.positives]),
        [['2026-01-01', 6, 0]],
      );
    });

    test('the latest assessment and the control result in force are the ones that count', async () => {
      const r = await report({ ...q1, office: 'LAT' });
      const [jan, feb] = r.periods;
      assert.deepEqual(
        [jan?.period, jan?.targeted.assessed, jan?.targeted.controlled, jan?.targeted.positives],
        ['2026-01-01', 3, 3, 1],
      );
      assert.deepEqual([jan?.other.assessed, jan?.random.assessed], [1, 0]);
      assert.deepEqual(
        [feb?.period, feb?.random.assessed, feb?.random.positives, feb?.targeted.assessed],
        ['2026-02-01', 1, 1, 0],
      );
      assert.equal(r.overall.targeted.assessed + r.overall.random.assessed + r.overall.other.assessed, 5);
    });

    test('drift: histogram, mean and model ids per period, PSI against the first and the previous period', async () => {
      const r = await report({ ...q1, office: 'DRF' });
      const [jan, feb, mar] = r.periods.map((p) => p.drift);
      assert.ok(jan && feb && mar);
      assert.deepEqual(jan.histogram, [0.2, 0.4, 0, 0, 0, 0.2, 0, 0, 0, 0.2]);
      assert.deepEqual(jan.histogram, histogram(januaryScores));
      assert.deepEqual([jan.n, jan.psiVsBaseline, jan.psiVsPrevious, jan.modelIds], [5, null, null, [1]]);
      close(jan.mean, 0.38, 1e-12);
      assert.deepEqual([feb.psiVsBaseline, feb.psiVsPrevious, feb.modelIds], [0, 0, [1, 2]]);
      assert.deepEqual(mar.histogram, histogram(marchScores));
      const shifted = psi(histogram(marchScores), histogram(januaryScores));
      assert.ok(shifted > 1, `${shifted}`);
      close(mar.psiVsBaseline, shifted, 1e-12);
      close(mar.psiVsPrevious, shifted, 1e-12);
      assert.deepEqual(mar.modelIds, [2]);
      close(mar.mean, 0.61, 1e-12);
    });

    test('precision of each profile version that selected in the window', async () => {
      const january = await report({ from: '2026-01-01', to: '2026-01-31' });
      assert.deepEqual(january.profiles, [
        {
          id: profiles.watch1,
          code: 'WATCH',
          version: 1,
          status: 'retired',
          selections: 4,
          controls: 2,
          positives: 1,
          precision: 0.5,
        },
        {
          id: profiles.watch2,
          code: 'WATCH',
          version: 2,
          status: 'active',
          selections: 4,
          controls: 3,
          positives: 2,
          precision: 2 / 3,
        },
      ]);
      const december = await report({ from: '2025-12-01', to: '2025-12-31', office: 'PRF' });
      assert.deepEqual(
        december.profiles.map((p) => [p.id, p.selections, p.controls, p.precision]),
        [[profiles.route1, 1, 0, null]],
      );
      assert.deepEqual((await report({ from: '2026-01-01', to: '2026-01-31', office: 'HIT' })).profiles, []);
    });

    test('the office filter keeps the declarations assessed at that office', async () => {
      const january = { from: '2026-01-01', to: '2026-01-31' };
      const all = await report(january);
      // targeted: HIT 12 + LAT 3 + PRF 7; random: HIT 20; other: HIT 5 + LAT 1 + DRF 5
      assert.deepEqual(
        [all.overall.targeted.assessed, all.overall.random.assessed, all.overall.other.assessed],
        [22, 20, 11],
      );
      const hit = await report({ ...january, office: 'HIT' });
      assert.deepEqual(
        [hit.office, hit.overall.targeted.assessed, hit.overall.random.assessed, hit.overall.other.assessed],
        ['HIT', 12, 20, 5],
      );
      const none = await report({ ...january, office: 'NONE' });
      assert.deepEqual(
        [none.periods, none.profiles, none.overall.lift, none.overall.nonCompliance],
        [[], [], null, null],
      );
      assert.deepEqual(none.overall.targeted, {
        assessed: 0,
        controlled: 0,
        positives: 0,
        hitRate: null,
        revenueRecovered: [],
        controlledDuty: [],
      });
    });

    test('the route serves the whole report and answers 400 to a bad window', async () => {
      const app = Fastify();
      app.setValidatorCompiler(validatorCompiler);
      app.setErrorHandler(errorHandler);
      await app.register(performanceRoutes, { db: ctx.db });
      try {
        const ok = await app.inject({
          method: 'GET',
          url: '/api/risk/performance?from=2026-01-01&to=2026-03-31&office=DRF',
        });
        assert.equal(ok.statusCode, 200);
        const expected = await report({ ...q1, office: 'DRF' });
        assert.deepEqual(ok.json(), JSON.parse(JSON.stringify(expected)));
        for (const query of [
          'from=2026-03-01&to=2026-02-01',
          'from=2026-02-30',
          'from=2020-01-01&to=2026-01-01',
          'period=year',
          'unknown=1',
        ]) {
          const bad = await app.inject({ method: 'GET', url: `/api/risk/performance?${query}` });
          assert.deepEqual([bad.statusCode, bad.json().error], [400, 'invalid_request'], query);
        }
      } finally {
        await app.close();
      }
    });
  });
}
