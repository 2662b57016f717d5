/**
 * `npm run bench:release`: preparing a release of public trade statistics (the contributions query,
 * aggregation into tables, primary and secondary suppression and the subtraction check) over
 * BENCH_RELEASE_DECLARATIONS (default 1,000,000) accepted declarations of one month, next to the
 * plain GROUP BY of the same cells (every HS level by partner and in total) in the same run. Each is
 * run three times, alternated; one JSON line per measurement with the median, then the ratio
 * (ceiling 3). On a fresh PGlite store, or a fresh database on the server of DATABASE_URL.
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
  // 40 traders per chapter (30 chapters), 60 partners; skewed so some cells are dominated
  await db.query(
    `INSERT INTO declarations (id, type, functional_reference, trader_id, declarant_id, date, office, currency, procedure,
       origin_country, destination_country, status, content_hash, source, lodged_by)
     SELECT i, CASE WHEN i % 4 = 0 THEN 'EX' ELSE 'IM' END, 'BENCH-' || i, 'T' || ((i * 37) % 30) || '-' || (i % 40), 'B', DATE '2026-10-01' + (i % 31)::int,
       '030', 'USD', CASE WHEN i % 20 = 0 THEN '4071' ELSE '4000' END,
       chr((65 + (i * 31) % 20)::int) || chr((65 + (i * 17) % 3)::int), chr((65 + (i * 13) % 20)::int) || chr((65 + (i * 11) % 3)::int),
       'accepted', 'x', 'bench', 'bench'
     FROM generate_series(1, $1::bigint) i`,
    [declarations],
  );
  await db.query(
    `INSERT INTO declaration_items (declaration_id, sequence, hs_code, net_mass, supplementary_quantity, value)
     SELECT i, 1, lpad(((i * 37) % 30 + 1)::text, 2, '0') || lpad(((i * 101) % 20)::text, 2, '0') || '1' || ((i * 7) % 9)::text,
       1 + (i % 500), (i % 7), 10 + ((i * 2654435761) % 100000) / 100.0 * (CASE WHEN i % 97 = 0 THEN 50 ELSE 1 END)
     FROM generate_series(1, $1::bigint) i`,
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
