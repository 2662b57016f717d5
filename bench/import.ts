/**
 * `npm run bench:import`: generates declaration rows (1,000,000 by default, BENCH_ROWS to change)
 * and imports them through the whole path into PGlite and PostgreSQL, next to a raw COPY of the
 * same file without validation (the ceiling). One JSON line per measurement, then a summary.
 * Targets: the whole path reaches 50% of the ceiling on PostgreSQL and 33% on PGlite.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { writeDemoCsv } from '../src/demo/clearway-csv-writer.ts';

const run = promisify(execFile);
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const targets = { pglite: 0.33, postgres: 0.5 } as const;
type Target = keyof typeof targets;

async function freshLocation(target: Target, dir: string): Promise<{ location: string; drop: () => Promise<void> }> {
  if (target === 'pglite') {
    const location = await mkdtemp(path.join(dir, 'pglite-'));
    return { location, drop: () => rm(location, { recursive: true, force: true }) };
  }
  const name = `clearway_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { location: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function measure(mode: 'full' | 'ceiling', target: Target, file: string, dir: string) {
  const { location, drop } = await freshLocation(target, dir);
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'import-run.ts'), mode, target, file, location], {
      maxBuffer: 1 << 20,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { seconds: number; peakRssMb: number; rssAtQuartersMb: number[] };
  } finally {
    await drop();
  }
}

const dir = await mkdtemp(path.join(tmpdir(), 'clearway-bench-'));
try {
  const file = path.join(dir, 'declarations.csv');
  const generated = await writeDemoCsv({ count: rows, seed: 42, from: '2025-06-01', to: '2026-05-31' }, file);
  process.stderr.write(`generated ${generated.rows} rows (${generated.declarations} declarations)\n`);
  const summary: string[] = [];
  for (const target of Object.keys(targets) as Target[]) {
    const ceiling = await measure('ceiling', target, file, dir);
    const full = await measure('full', target, file, dir);
    const ceilingRate = generated.rows / ceiling.seconds;
    const fullRate = generated.rows / full.seconds;
    const ratio = fullRate / ceilingRate;
    const line = {
      bench: 'import', target, rows: generated.rows, declarations: generated.declarations,
      fullSeconds: round(full.seconds), rowsPerSecond: Math.round(fullRate),
      ceilingSeconds: round(ceiling.seconds), ceilingRowsPerSecond: Math.round(ceilingRate),
      ratioToCeiling: round(ratio), goal: targets[target], pass: ratio >= targets[target],
      peakRssMb: full.peakRssMb, rssAtQuartersMb: full.rssAtQuartersMb, ceilingPeakRssMb: ceiling.peakRssMb,
    };
    process.stdout.write(JSON.stringify(line) + '\n');
    summary.push(`${target}: ${line.rowsPerSecond} rows/s, ${Math.round(ratio * 100)}% of raw COPY (target ${targets[target] * 100}%), peak ${full.peakRssMb} MB`);
  }
  process.stdout.write(summary.join('; ') + '\n');
} finally {
  await rm(dir, { recursive: true, force: true });
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
