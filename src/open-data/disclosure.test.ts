import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { derivedBySubtraction, intervalOf } from './attack.ts';
import { protectTables } from './disclosure.ts';
import { maximize } from './lp.ts';
import { defaultParameters, parameterProblem, type DisclosureParameters } from './parameters.ts';
import { confidentiality, suppressPrimary } from './primary.ts';
import {
  buildTables,
  CellStatus,
  cellAt,
  TOTAL,
  type Cell,
  type Contribution,
  type StatTable,
} from './table.ts';

const aContribution = (c: Partial<Contribution>): Contribution => ({
  flow: 'imports',
  month: '2026-10',
  procedure: '40',
  hs6: '090111',
  partner: 'BR',
  trader: 'T1',
  value: 100,
  netMass: 10,
  supplementary: 0,
  declarations: 1,
  ...c,
});

const rowIndex = (t: StatTable, code: string) => t.rows.findIndex((r) => r.code === code);
const cellOf = (t: StatTable, row: string, col: string): Cell | undefined =>
  cellAt(t, rowIndex(t, row), t.cols.indexOf(col));

/** A small random table's contributions: a few chapters, headings, subheadings, partners, traders. */
function randomContributions(seed: number): Contribution[] {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const pick = (n: number) => Math.floor(rnd() * n);
  const partners = ['BR', 'CN', 'DE', 'US'].slice(0, 2 + pick(3));
  const hs6: string[] = [];
  for (const ch of ['09', '61'].slice(0, 1 + pick(2)))
    for (const hd of ['01', '02'].slice(0, 1 + pick(2)))
      for (const sub of ['10', '20', '90'].slice(0, 1 + pick(3))) hs6.push(`${ch}${hd}${sub}`);
  const traders = 1 + pick(7);
  const out: Contribution[] = [];
  for (const code of hs6)
    for (const partner of partners)
      for (let t = 0; t < traders; t++) {
        if (rnd() < 0.55) continue;
        const big = rnd() < 0.15;
        out.push(
          aContribution({
            hs6: code,
            partner,
            trader: `T${t}`,
            value: 1 + pick(big ? 50_000 : 1_000),
            declarations: 1 + pick(4),
          }),
        );
      }
  return out.length > 0 ? out : [aContribution({})];
}

describe('the tables of a release', () => {
  test('adds each trader to its subheading, heading, chapter and the total, per partner and overall', () => {
    const [t] = buildTables(
      [
        aContribution({ hs6: '090111', partner: 'BR', trader: 'A', value: 100, supplementary: 7 }),
        aContribution({ hs6: '090112', partner: 'BR', trader: 'B', value: 50, supplementary: 3 }),
        aContribution({ hs6: '090111', partner: 'CO', trader: 'A', value: 30 }),
        aContribution({ hs6: '610910', partner: 'CO', trader: 'C', value: 5, declarations: 2 }),
      ],
      2,
    );
    assert.ok(t);
    assert.deepEqual(t.cols, [TOTAL, 'BR', 'CO']);
    assert.deepEqual(
      t.rows.map((r) => r.code),
      [TOTAL, '09', '0901', '090111', '090112', '61', '6109', '610910'],
    );
    assert.equal(cellOf(t, TOTAL, TOTAL)?.value, 185);
    assert.equal(cellOf(t, TOTAL, TOTAL)?.declarations, 5);
    assert.equal(cellOf(t, TOTAL, TOTAL)?.traders, 3);
    assert.equal(cellOf(t, '0901', TOTAL)?.value, 180);
    assert.deepEqual(cellOf(t, '0901', TOTAL)?.top, [130, 50]);
    assert.equal(cellOf(t, '09', 'CO')?.value, 30);
    assert.equal(cellOf(t, '090111', TOTAL)?.supplementary, 7);
    assert.equal(cellOf(t, '090112', 'CO'), undefined);
  });

  test('keeps one table per flow, month and procedure', () => {
    const tables = buildTables(
      [
        aContribution({}),
        aContribution({ flow: 'exports' }),
        aContribution({ month: '2026-11' }),
        aContribution({ procedure: '42' }),
      ],
      1,
    );
    assert.deepEqual(
      tables.map((t) => `${t.key.flow} ${t.key.month} ${t.key.procedure}`),
      ['exports 2026-10 40', 'imports 2026-10 40', 'imports 2026-10 42', 'imports 2026-11 40'],
    );
  });
});

describe('primary suppression', () => {
  const cell = (traders: number, top: number[], value: number) =>
    ({ traders, top, value }) as Pick<Cell, 'traders' | 'top' | 'value'> as Cell;
  const cases: [string, Cell, string | null][] = [
    ['two traders are too few', cell(2, [50, 50], 100), 'traders'],
    ['one trader above 85% dominates', cell(5, [86, 5], 100), 'dominance:1,85'],
    ['one trader at exactly 85% does not', cell(5, [85, 4], 100), null],
    ['two traders above 95% dominate', cell(4, [60, 36], 100), 'dominance:2,95'],
    ['three balanced traders may be published', cell(3, [40, 30], 100), null],
  ];
  for (const [name, c, expected] of cases)
    test(name, () => assert.equal(confidentiality(c, defaultParameters), expected));

  test('follows the parameters it is given', () => {
    const strict: DisclosureParameters = {
      ...defaultParameters,
      minTraders: 5,
      dominance: [{ n: 1, k: 50 }],
    };
    assert.equal(confidentiality(cell(4, [30, 30], 100), strict), 'traders');
    assert.equal(confidentiality(cell(6, [51, 10], 100), strict), 'dominance:1,50');
  });

  test('marks the cells of too few traders in a table', () => {
    const [t] = buildTables(
      ['A', 'B', 'C'].map((trader) => aContribution({ trader, partner: trader === 'C' ? 'CO' : 'BR' })),
      2,
    );
    assert.ok(t);
    suppressPrimary(t, defaultParameters);
    assert.equal(cellOf(t, '090111', 'BR')?.status, CellStatus.Primary);
    assert.equal(cellOf(t, '090111', 'CO')?.reason, 'traders');
    assert.equal(cellOf(t, '090111', TOTAL)?.status, CellStatus.Published);
  });

  test('refuses parameters that make no sense, naming the field', () => {
    assert.match(parameterProblem({ ...defaultParameters, minTraders: 0 }) ?? '', /minTraders/);
    assert.match(
      parameterProblem({ ...defaultParameters, dominance: [{ n: 1, k: 120 }] }) ?? '',
      /dominance\[0\]\.k/,
    );
    assert.equal(parameterProblem(defaultParameters), null);
  });
});

describe('the attacker', () => {
  test('works out a lone suppressed cell of a row by subtraction, and its interval is a point', () => {
    const [t] = buildTables(
      ['A', 'B', 'C', 'D'].flatMap((trader, i) => [
        aContribution({ trader, partner: 'BR', value: 10 + i }),
        aContribution({ trader, partner: 'CO', value: 20 + i }),
      ]),
      1,
    );
    assert.ok(t);
    const target = cellOf(t, '090111', 'BR');
    assert.ok(target);
    target.status = CellStatus.Primary;
    assert.deepEqual(
      derivedBySubtraction(t).map((c) => c.value),
      [46],
    );
    const bounds = intervalOf(t, target);
    assert.ok(Math.abs(bounds.low - 46) < 1e-6 && Math.abs(bounds.high - 46) < 1e-6);
  });

  test('the linear programs solve a textbook problem', () => {
    // max 3x + 2y, x + y + s1 = 4, x + 3y + s2 = 6: optimum 12 at x = 4
    const r = maximize(
      [3, 2, 0, 0],
      [
        [1, 1, 1, 0],
        [1, 3, 0, 1],
      ],
      [4, 6],
    );
    assert.deepEqual(r, { status: 'optimal', value: 12 });
    assert.deepEqual(maximize([1, 0], [[1, -1]], [1]), { status: 'unbounded' });
    assert.deepEqual(maximize([1], [[1]], [-1]), { status: 'infeasible' });
  });
});

describe('secondary suppression against the attacker', () => {
  const p = defaultParameters;
  const share = p.protectionPercent / 100;

  test('leaves no suppressed cell derivable and every confidential cell protected, in random tables', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { tables } = protectTables(randomContributions(seed), p);
        for (const t of tables) {
          assert.deepEqual(derivedBySubtraction(t), []);
          for (const c of t.cells.values()) {
            if (c.status === CellStatus.Published) continue;
            const { low, high } = intervalOf(t, c);
            assert.ok(high - low > 1e-6, `cell ${c.row},${c.col} of seed ${seed} is exact`);
            if (c.status !== CellStatus.Primary) continue;
            assert.ok(low <= c.value * (1 - share) + 1e-6, `low ${low} of ${c.value}, seed ${seed}`);
            assert.ok(high >= c.value * (1 + share) - 1e-6, `high ${high} of ${c.value}, seed ${seed}`);
            const count = intervalOf(t, c, 'declarations');
            assert.ok(count.high - count.low > 1e-6, `declarations of ${c.row},${c.col} exact, seed ${seed}`);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  test('hides a rectangle around a lone confidential cell and publishes the rest', () => {
    const balanced = ['A', 'B', 'C', 'D'].flatMap((trader) => [
      aContribution({ trader, hs6: '090111', partner: 'CO', value: 100 }),
      aContribution({ trader, hs6: '090112', partner: 'BR', value: 100 }),
      aContribution({ trader, hs6: '090112', partner: 'CO', value: 100 }),
    ]);
    const { tables, summary } = protectTables([...balanced, aContribution({ trader: 'E', value: 300 })], p);
    const t = tables[0];
    assert.ok(t);
    assert.equal(cellOf(t, '090111', 'BR')?.status, CellStatus.Primary);
    assert.deepEqual(summary, { tables: 1, cells: 15, primary: 1, secondary: 3, withheld: [] });
    const hidden = [...t.cells.values()].filter((c) => c.status === CellStatus.Secondary);
    assert.ok(
      hidden.some((c) => t.rows[c.row]?.code === '090111'),
      'a cell of the same row',
    );
    assert.ok(
      hidden.some((c) => t.cols[c.col] === 'BR'),
      'a cell of the same column',
    );
    assert.equal(cellOf(t, TOTAL, TOTAL)?.status, CellStatus.Published);
  });

  test('leaves nothing to subtract in larger random tables', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const contributions = [0, 1, 2].flatMap((i) =>
          randomContributions(seed + i).map((c) => ({
            ...c,
            hs6: `${c.hs6.slice(0, 2)}${i}${c.hs6.slice(3)}`,
          })),
        );
        const { tables } = protectTables(contributions, p);
        for (const t of tables) assert.deepEqual(derivedBySubtraction(t), []);
      }),
      { numRuns: 100 },
    );
  });

  test('withholds a table of one trader whole', () => {
    const { tables, summary } = protectTables(
      [aContribution({ value: 900 }), aContribution({ hs6: '090112', partner: 'CO', value: 50 })],
      p,
    );
    assert.ok(tables[0] && [...tables[0].cells.values()].every((c) => c.status !== CellStatus.Published));
    assert.equal(summary.primary + summary.secondary, summary.cells);
  });
});
