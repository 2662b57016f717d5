/**
 * `npm run bench:clearance`: the Time Release Study over generated released declarations, on
 * PostgreSQL (a database `clearway_bench_clearance` created on the server of DATABASE_URL, by default
 * the local one, and dropped after) and on PGlite (a temporary folder). One JSON line per measurement:
 * - `generate`: the declarations, their principal items and their stage events written by
 *   INSERT ... SELECT over generate_series (each release event's trigger keeping clearance_times,
 *   migration 0037, as releases do) (lanes 70% green, 15% yellow, 10% red, 5% blue; arrival
 *   notified for 70%, sometimes after lodging; documents for yellow, inspections for red, a payment
 *   for 60%; exponential stage times with lane-dependent means; release moments over 2025);
 * - `baseline`: `count(*)` of clearance_times, the machine's pace at the moment;
 * - `study`: the query of GET /api/clearance/times over the whole year, all together, by office and
 *   by HS section (the median of 5 runs after a first one, `firstMs`, which summarises the year's
 *   twelve closed months, migration 0039);
 * - `page`: the Clearance time page's query (its default: by office, targets 60 and 1440 minutes) with
 *   a comparison of the first and second half-year;
 * - `rows`: the peer in the same run, the study by office and the page read row by row from
 *   clearance_times as a trader's study is (the median of 2 runs after a first).
 * Ceiling 2 s on PostgreSQL. Sizes: CLEARWAY_BENCH_SIZE (default 1,000,000) on PostgreSQL,
 * CLEARWAY_BENCH_PGLITE_SIZE (default 100,000) on PGlite, whose single-threaded WebAssembly engine
 * takes minutes to generate a million declarations' events. CLEARWAY_BENCH_KEEP=1 leaves the
 * PostgreSQL database; CLEARWAY_BENCH_REUSE=1 then measures on it again without generating (the
 * summaries it holds kept: the first run then summarises nothing).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openAppContext, type AppContext } from '../src/app-context.ts';
import { timesView, type TimesRequest } from '../src/clearance/times-report.ts';
import type { TimesRead } from '../src/clearance/times.ts';
import { timesLabels } from '../src/clearance/times-routes.ts';
import { loadConfig } from '../src/config.ts';

const ceilingMs = 2000;
const runs = 5;
const benchDatabase = 'clearway_bench_clearance';
const pgSize = Number(process.env.CLEARWAY_BENCH_SIZE ?? 1_000_000);
const pgliteSize = Number(process.env.CLEARWAY_BENCH_PGLITE_SIZE ?? 100_000);

const print = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify(line) + '\n');

/** Declarations, items and events of `n` released declarations, all in the database. */
async function generate(ctx: AppContext, n: number): Promise<void> {
  const db = ctx.db;
  // per declaration: its lane, office, mode, trader, and the minutes of each stage (exponential)
  await db.query(
    `CREATE TEMP TABLE bench_times AS
    SELECT g AS id,
      CASE WHEN r1 < 0.70 THEN 'green' WHEN r1 < 0.85 THEN 'yellow' WHEN r1 < 0.95 THEN 'red' ELSE 'blue' END AS lane,
      (ARRAY['010','020','030','040','050','060','070','080'])[1 + (g % 8)] AS office,
      (ARRAY['1','3','4','5'])[1 + (g % 4)] AS mode,
      'TRADER-' || (g % 5000) AS trader,
      (ARRAY['85171300','61091000','87032310','30049000','94036000','39269097'])[1 + (g % 6)] AS hs,
      timestamptz '2025-01-01 00:00:00+00' + (g::float8 / $1 * 364 * 86400) * interval '1 second' AS released,
      r2 < 0.7 AS has_arrival, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7,
      random() AS r8, random() AS r9
    FROM (SELECT g, random() AS r1, random() AS r2 FROM generate_series(1, $1::int) AS g) s`,
    [n],
  );
  // minutes of each stage, worked back from the release moment
  await db.query(`CREATE TEMP TABLE bench_moments AS
    SELECT t.*, t.released - m.to_release AS assessed,
      t.released - m.to_release - interval '1 minute' * m.assess AS accepted,
      t.released - m.to_release - interval '1 minute' * (m.assess + m.accept) AS lodged,
      t.released - m.to_release - interval '1 minute' * (m.assess + m.accept + m.arrival) AS arrived
    FROM bench_times t CROSS JOIN LATERAL (SELECT
      interval '1 minute' * CASE t.lane WHEN 'green' THEN -ln(t.r3) * 20 WHEN 'blue' THEN -ln(t.r3) * 60
        WHEN 'yellow' THEN 60 + -ln(t.r3) * 1500 ELSE 120 + -ln(t.r3) * 600 END AS to_release,
      -ln(t.r4) * 5 AS assess, -ln(t.r5) * 3 AS accept, -ln(t.r6) * 180 - 30 AS arrival) m`);
  await db.query(`INSERT INTO declarations (id, type, functional_reference, trader_id, declarant_id, date, office,
      transport_mode, currency, status, content_hash, source, lodged_by, lodged_at, lane)
    SELECT id, 'IM', 'BENCH-' || id, trader, trader, (lodged AT TIME ZONE 'UTC')::date, office, mode, 'USD',
      'released', md5(id::text), 'bench', 'bench', lodged, lane
    FROM bench_moments`);
  await db.query(`INSERT INTO declaration_items (declaration_id, sequence, hs_code, value)
    SELECT id, 1, hs, 1000 FROM bench_moments`);
  await db.query(`INSERT INTO declaration_events (declaration_id, seq, kind, at, actor, data)
    SELECT id, row_number() OVER (PARTITION BY id ORDER BY at, kind)::int, kind, at, 'system', data FROM (
      SELECT id, 'lodged' AS kind, lodged AS at, NULL::jsonb AS data FROM bench_moments
      UNION ALL SELECT id, 'accepted', accepted, NULL FROM bench_moments
      UNION ALL SELECT id, 'assessed', assessed, jsonb_build_object('lane', lane) FROM bench_moments
      UNION ALL SELECT id, 'arrived', greatest(arrived, lodged), jsonb_build_object('arrivedAt',
          to_char(arrived AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
        FROM bench_moments WHERE has_arrival
      UNION ALL SELECT id, 'duties_assessed', assessed, '{"currency":"USD","duty":10}' FROM bench_moments WHERE r7 < 0.6
      UNION ALL SELECT id, 'paid', assessed + (released - assessed) * r8, NULL FROM bench_moments WHERE r7 < 0.6
      UNION ALL SELECT id, k.kind, assessed + (released - assessed) * k.share, NULL
        FROM bench_moments CROSS JOIN (VALUES ('documents_requested', 0.05), ('documents_provided', 0.7),
          ('documents_checked', 0.9)) AS k(kind, share) WHERE lane = 'yellow'
      UNION ALL SELECT id, k.kind, assessed + (released - assessed) * k.share * r9, NULL
        FROM bench_moments CROSS JOIN (VALUES ('inspection_scheduled', 0.1), ('inspection_started', 0.5),
          ('inspection_completed', 0.9)) AS k(kind, share) WHERE lane = 'red'
      UNION ALL SELECT id, 'released', released, '{"automatic":false}' FROM bench_moments
    ) e`);
  await db.query('DROP TABLE bench_times');
  await db.query('DROP TABLE bench_moments');
  // as autovacuum leaves a table in use: statistics and the visibility map (index-only scans)
  for (const table of ['declarations', 'declaration_items', 'declaration_events', 'clearance_times'])
    await db.query(`VACUUM ANALYZE ${table}`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

async function measure(
  ctx: AppContext,
  storage: string,
  size: number,
  name: string,
  req: TimesRequest,
  read: TimesRead = 'summary',
): Promise<void> {
  const labels = await timesLabels(ctx);
  let declarations = 0;
  const times: number[] = [];
  let first = 0;
  for (let i = 0; i <= (read === 'rows' ? 2 : runs); i++) {
    const start = performance.now();
    const view = await timesView(ctx.db, req, { kind: 'all' }, labels, read);
    const ms = performance.now() - start;
    declarations = view.overall.declarations;
    if (i > 0) times.push(ms);
    else first = ms; // the first run warms the cache and summarises the months not summarised
  }
  const ms = Math.round(median(times));
  const postgres = storage === 'postgres';
  print({
    bench: 'clearance',
    storage,
    measurement: name,
    size,
    declarations,
    by: req.by,
    compare: req.compare !== null,
    read,
    firstMs: Math.round(first),
    medianMs: ms,
    runsMs: times.map(Math.round),
    ceilingMs: postgres ? ceilingMs : null,
    pass: postgres ? ms <= ceilingMs : null,
  });
}

const year = { from: '2025-01-01', to: '2025-12-31', period: 'month' as const, targets: [60, 1440], top: 20 };
const studies: [string, TimesRequest][] = [
  ['study', { ...year, by: null, compare: null }],
  ['study', { ...year, by: 'office', compare: null }],
  ['study', { ...year, by: 'section', compare: null }],
];
const page: TimesRequest = {
  ...year,
  from: '2025-07-01',
  by: 'office',
  compare: { from: '2025-01-01', to: '2025-06-30' },
};

async function run(storage: 'postgres' | 'pglite', size: number): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'clearway-bench-clearance-'));
  let databaseUrl = '';
  let admin: pg.Client | null = null;
  let reuse = false;
  if (storage === 'postgres') {
    const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const kept = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [benchDatabase]);
    reuse = Boolean(process.env.CLEARWAY_BENCH_REUSE) && kept.rows.length > 0;
    if (!reuse) {
      await admin.query(`DROP DATABASE IF EXISTS ${benchDatabase} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${benchDatabase}`);
    }
    const url = new URL(adminUrl);
    url.pathname = `/${benchDatabase}`;
    databaseUrl = url.toString();
  }
  const ctx = await openAppContext(
    loadConfig({
      ...process.env,
      DATABASE_URL: databaseUrl,
      CLEARWAY_DATA_DIR: dataDir,
      CLEARWAY_DEMO: 'false',
      LOG_LEVEL: 'silent',
    }),
  );
  try {
    const start = performance.now();
    if (!reuse) await generate(ctx, size);
    const events = await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM declaration_events');
    print({
      bench: 'clearance',
      storage,
      measurement: 'generate',
      size,
      events: events[0]?.n ?? 0,
      reused: reuse,
      seconds: Math.round((performance.now() - start) / 100) / 10,
    });
    // the machine's pace at the moment: reading every row of the table the study reads
    const counted = performance.now();
    await ctx.db.query('SELECT count(*) FROM clearance_times');
    print({
      bench: 'clearance',
      storage,
      measurement: 'baseline',
      what: 'count(*) of clearance_times',
      ms: Math.round(performance.now() - counted),
    });
    for (const [name, req] of studies) await measure(ctx, storage, size, name, req);
    await measure(ctx, storage, size, 'page', page);
    await measure(ctx, storage, size, 'rows', { ...year, by: 'office', compare: null }, 'rows');
    await measure(ctx, storage, size, 'rows', page, 'rows');
  } finally {
    await ctx.close();
    await rm(dataDir, { recursive: true, force: true });
    if (admin) {
      // CLEARWAY_BENCH_KEEP=1 leaves the database for EXPLAIN
      if (!process.env.CLEARWAY_BENCH_KEEP)
        await admin.query(`DROP DATABASE IF EXISTS ${benchDatabase} WITH (FORCE)`);
      await admin.end();
    }
  }
}

const only = process.argv[2];
if (only !== 'pglite') await run('postgres', pgSize);
if (only !== 'postgres') await run('pglite', pgliteSize);
