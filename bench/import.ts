/**
 * `npm run bench:import`: generates declaration rows (1,000,000 by default; BENCH_ROWS to change)
 * and imports them through the whole path (parse, validate, store) into PostgreSQL and PGlite. In
 * the same run it loads the same rows by raw COPY without parsing or validation into the same
 * tables (the ceiling), and, for reference, the CSV file as it is into a bare landing table.
 * Targets: the whole path reaches 50% of the ceiling on PostgreSQL and 33% on PGlite, with memory
 * flat as the file grows. One JSON line per measurement, then a one-line summary. The full path
 * prepares with CLEARWAY_IMPORT_WORKERS worker threads when it is set (see import-worker-client.ts).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { writeDemoCsv } from '../src/demo/clearway-csv-writer.ts';

const exec = promisify(execFile);
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const goals = { postgres: 0.5, pglite: 0.33 } as const;
type Target = keyof typeof goals;
interface Measured {
  seconds: number;
  peakRssMb: number;
  rssAtQuartersMb: number[];
}

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(sql);
  await c.end();
}

async function fresh(target: Target, dir: string): Promise<{ location: string; drop: () => Promise<void> }> {
  if (target === 'pglite') {
    const location = await mkdtemp(path.join(dir, 'pglite-'));
    return { location, drop: () => rm(location, { recursive: true, force: true }) };
  }
  const name = `clearway_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { location: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function run(
  mode: string,
  target: Target,
  file: string,
  location: string,
  dumpDir: string,
): Promise<Measured> {
  const script = path.join(import.meta.dirname, 'import-run.ts');
  const { stdout } = await exec(
    process.execPath,
    ['--import', 'tsx', script, mode, target, file, location, dumpDir],
    {
      maxBuffer: 1 << 20,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measured;
}

async function measure(
  mode: string,
  target: Target,
  file: string,
  dir: string,
  keep?: (location: string) => Promise<void>,
) {
  const db = await fresh(target, dir);
  try {
    const result = await run(mode, target, file, db.location, dir);
    if (keep) await keep(db.location);
    return result;
  } finally {
    await db.drop();
  }
}

const dir = await mkdtemp(path.join(tmpdir(), 'clearway-bench-'));
try {
  const file = path.join(dir, 'declarations.csv');
  const generated = await writeDemoCsv({ count: rows, seed: 42, from: '2025-06-01', to: '2026-05-31' }, file);
  process.stderr.write(`generated ${generated.rows} rows (${generated.declarations} declarations)\n`);
  const summary: string[] = [];
  // BENCH_TARGETS=postgres (or pglite) measures one engine only
  const only = process.env.BENCH_TARGETS?.split(',');
  for (const target of (['postgres', 'pglite'] as const).filter((t) => !only || only.includes(t))) {
    const landing = await measure('landing', target, file, dir);
    const full = await measure(
      'full',
      target,
      file,
      dir,
      target === 'postgres'
        ? (location) => run('dump', target, file, location, dir).then(() => undefined)
        : undefined,
    );
    const ceiling = await measure('ceiling', target, file, dir);
    const rate = (m: Measured) => Math.round(generated.rows / m.seconds);
    const ratio = ceiling.seconds / full.seconds;
    const line = {
      bench: 'import',
      target,
      rows: generated.rows,
      declarations: generated.declarations,
      seconds: round(full.seconds),
      rowsPerSecond: rate(full),
      ceilingSeconds: round(ceiling.seconds),
      ceilingRowsPerSecond: rate(ceiling),
      ratioToCeiling: round(ratio),
      goal: goals[target],
      pass: ratio >= goals[target],
      landingSeconds: round(landing.seconds),
      landingRowsPerSecond: rate(landing),
      ratioToLanding: round(landing.seconds / full.seconds),
      peakRssMb: full.peakRssMb,
      rssAtQuartersMb: full.rssAtQuartersMb,
    };
    process.stdout.write(JSON.stringify(line) + '\n');
    summary.push(
      `${target} ${line.rowsPerSecond} rows/s = ${Math.round(ratio * 100)}% of raw COPY into the same tables (goal ${goals[target] * 100}%), ${Math.round(line.ratioToLanding * 100)}% of a bare landing COPY, peak ${full.peakRssMb} MB`,
    );
  }
  process.stdout.write(summary.join('; ') + '\n');
} finally {
  await rm(dir, { recursive: true, force: true });
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
