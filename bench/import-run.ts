/**
 * One import measurement in its own process (so memory is its own): `full` runs the whole path
 * (parse, validate, store), `ceiling` loads the same file by raw COPY without validation.
 * Prints one JSON object on stdout.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openAppContext } from '../src/app-context.ts';
import { loadConfig } from '../src/config.ts';
import { clearwayColumns } from '../src/declarations/formats/clearway-columns.ts';
import { importDeclarations } from '../src/declarations/importer.ts';

const [mode = 'full', target = 'pglite', file = '', location = ''] = process.argv.slice(2);
const landing = `CREATE UNLOGGED TABLE IF NOT EXISTS landing (${clearwayColumns.map((c) => `${c} text`).join(', ')})`;

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const rssAt: number[] = [];

async function full(): Promise<number> {
  const config = loadConfig({ ...process.env, CLEARWAY_DATA_DIR: location, DATABASE_URL: target === 'postgres' ? location : '', CLEARWAY_DEMO: 'false' });
  const ctx = await openAppContext(config);
  const size = (await stat(file)).size;
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  const started = performance.now();
  const summary = await importDeclarations(ctx.db, ctx.validation(), input, {
    format: 'clearway',
    actor: 'bench',
    onProgress: () => {
      const quarter = Math.floor((input.bytesRead / size) * 4);
      if (quarter > rssAt.length) rssAt.push(Math.round(process.memoryUsage().rss / 1e6));
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (summary.rejected > 0) throw new Error(`${summary.rejected} rows were rejected`);
  await ctx.close();
  return seconds;
}

async function ceiling(): Promise<number> {
  if (target === 'postgres') {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    await client.query(landing);
    const started = performance.now();
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), client.query(copyFrom('COPY landing FROM STDIN WITH (FORMAT csv, HEADER true)')));
    const seconds = (performance.now() - started) / 1000;
    await client.end();
    return seconds;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(location);
  await db.query(landing);
  const started = performance.now();
  // PGlite copies from a blob; 100k-row chunks keep its memory bounded
  let chunk = '';
  let rows = 0;
  let header = true;
  const flush = async () => {
    if (chunk) await db.query("COPY landing FROM '/dev/blob' WITH (FORMAT csv)", [], { blob: new Blob([chunk]) });
    chunk = '';
    rows = 0;
  };
  let rest = '';
  for await (const piece of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + piece;
    const cut = text.lastIndexOf('\n') + 1;
    rest = text.slice(cut);
    let body = text.slice(0, cut);
    if (header) {
      body = body.slice(body.indexOf('\n') + 1);
      header = false;
    }
    chunk += body;
    rows += body.split('\n').length - 1;
    if (rows >= 100_000) await flush();
  }
  chunk += rest;
  await flush();
  const seconds = (performance.now() - started) / 1000;
  await db.close();
  return seconds;
}

const seconds = mode === 'full' ? await full() : await ceiling();
clearInterval(sampler);
process.stdout.write(JSON.stringify({ seconds, peakRssMb: Math.round(peak / 1e6), rssAtQuartersMb: rssAt }) + '\n');
