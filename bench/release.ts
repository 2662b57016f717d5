/**
 * `npm run bench:release`: preparing a release of public trade statistics (the contributions query,
 * aggregation into tables, primary and secondary suppression and the subtraction check) over
 * BENCH_RELEASE_DECLARATIONS (default 1,000,000) accepted declarations of one month, next to the
 * plain GROUP BY of the same cells (every HS level by partner and in total) in the same run. Each is
 * run three times, alternated; one JSON line per measurement with the median, then the ratio
 * (ceiling 3). On a fresh PGlite store, or a fresh database on the server of DATABASE_URL (dropped
 * after). The declarations are generated in SQL (INSERT ... SELECT generate_series), not through
 * the import path: one item each, keys independent and skewed, so most of the 1,000,000 are their
 * own trader's only goods in their subheading and partner (the hardest case for the release: as
 * many contributions as declarations, and a quarter of a million confidential cells).
 */
import { performance } from 'node:perf_hooks';
import { plainAggregation, readContributions } from '../src/open-data/contributions.ts';
import { protectTables } from '../src/open-data/disclosure.ts';
import { defaultParameters } from '../src/open-data/parameters.ts';
import { emptyStore } from '../src/testing/stores.ts';

const declarations = Number(process.env.BENCH_RELEASE_DECLARATIONS ?? 1_000_000);
const ceiling = 3;
const store = await emptyStore(process.env.DATABASE_URL ? 'postgres' : 'pglite');
const db = await store.open();
const scope = { from: '2026-10', to: '2026-10', currency: 'USD' };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
try {
  const started = performance.now();
  // Keys drawn from a hash of the row number, so they are independent of one another, and skewed as
  // trade is: a few subheadings, partners and traders carry most of the goods, the long tail holds
  // the cells with few traders that suppression protects. 30 chapters of 20 headings of 9
  // subheadings, 60 partners, 3,000 traders; one value in 97 is fifty times larger (dominance).
  const uniform = (seed: number) => `((hashint8(i * 8 + ${seed})::int8 + 2147483648) / 4294967296.0)`;
  await db.query(
    `INSERT INTO declarations (id, type, functional_reference, trader_id, declarant_id, date, office, currency, procedure,
       origin_country, destination_country, status, content_hash, source, lodged_by)
     SELECT i, CASE WHEN k.partner % 4 = 0 AND i % 4 = 0 THEN 'EX' ELSE 'IM' END, 'BENCH-' || i, 'T' || k.trader, 'B',
       DATE '2026-10-01' + (i % 31)::int, '030', 'USD', CASE WHEN i % 20 = 0 THEN '4071' ELSE '4000' END,
       chr(65 + k.partner % 20) || chr(65 + k.partner / 20), chr(65 + k.partner % 20) || chr(65 + k.partner / 20),
       'accepted', 'x', 'bench', 'bench'
     FROM generate_series(1, $1::bigint) i,
       LATERAL (SELECT floor(60 * power(${uniform(1)}, 2))::int AS partner,
         floor(3000 * power(${uniform(2)}, 1.5))::int AS trader) k`,
    [declarations],
  );
  await db.query(
    `INSERT INTO declaration_items (declaration_id, sequence, hs_code, net_mass, supplementary_quantity, value)
     SELECT i, 1, lpad((s / 180 + 1)::text, 2, '0') || lpad(((s / 9) % 20)::text, 2, '0') || '1' || (s % 9)::text || '00',
       1 + (i % 500), (i % 7), round((10 + ${uniform(4)} * 1000 * (CASE WHEN i % 97 = 0 THEN 50 ELSE 1 END))::numeric, 2)
     FROM generate_series(1, $1::bigint) i,
       LATERAL (SELECT floor(5400 * power(${uniform(3)}, 2))::int AS s) k`,
    [declarations],
  );
  await db.query('ANALYZE declarations');
  await db.query('ANALYZE declaration_items');
  process.stdout.write(
    JSON.stringify({ step: 'load', declarations, seconds: (performance.now() - started) / 1000 }) + '\n',
  );
  const plain: number[] = [];
  const release: number[] = [];
  let cells = 0;
  let summary = {};
  for (let round = 0; round < 3; round++) {
    let t = performance.now();
    cells = await plainAggregation(db, scope);
    plain.push((performance.now() - t) / 1000);
    t = performance.now();
    const protectedTables = protectTables(await readContributions(db, scope), defaultParameters);
    release.push((performance.now() - t) / 1000);
    summary = protectedTables.summary;
  }
  const ratio = median(release) / median(plain);
  process.stdout.write(
    JSON.stringify({ measure: 'plain_group_by', declarations, cells, seconds: median(plain), runs: plain }) +
      '\n',
  );
  process.stdout.write(
    JSON.stringify({
      measure: 'release_prepare',
      declarations,
      ...summary,
      seconds: median(release),
      runs: release,
    }) + '\n',
  );
  process.stdout.write(
    JSON.stringify({ measure: 'release_over_plain', ratio, ceiling, ok: ratio <= ceiling }) + '\n',
  );
  process.exitCode = ratio <= ceiling ? 0 : 1;
} finally {
  await db.close();
  await store.dispose();
}
