/**
 * One import measurement in its own process, so that its memory is its own. Modes:
 * - `full`: the whole path (parse, validate, store) from the CSV file;
 * - `dump`: writes the tables a full run stored (PostgreSQL) to COPY files, untimed;
 * - `ceiling`: loads those same rows into the same tables by raw COPY, without parsing or validation;
 * - `landing`: loads the CSV file as it is into an unindexed table of text columns.
 * Prints one JSON object on stdout. The full path stores with exchange's hook, as `clearway import`
 * does; with BENCH_PARTNER=CODE the administration has that partner (bound for by none of the rows)
 * and BENCH_WAITING=N export records waiting that name none of the imports.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { openAppContext } from '../src/app-context.ts';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { clearwayColumns } from '../src/declarations/formats/clearway-columns.ts';
import { importFile } from '../src/declarations/importer.ts';
import { declarationColumns, itemColumns } from '../src/declarations/rows.ts';

const [mode = 'full', target = 'pglite', file = '', location = '', dumpDir = ''] = process.argv.slice(2);

const tables: [string, readonly string[]][] = [
  ['declarations', declarationColumns],
  ['declaration_items', itemColumns],
  ['declaration_events', ['declaration_id', 'seq', 'kind', 'actor', 'data']],
  [
    'control_results',
    ['declaration_id', 'outcome', 'irregularity', 'severity', 'source', 'recorded_by', 'recorded_at'],
  ],
];

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const rssAt: number[] = [];

const open = () =>
  openAppContext(
    loadConfig({
      ...process.env,
      CLEARWAY_DATA_DIR: location,
      DATABASE_URL: target === 'postgres' ? location : '',
      CLEARWAY_DEMO: 'false',
      ...(process.env.BENCH_PARTNER ? { CLEARWAY_ADMINISTRATION: 'AA' } : {}),
    }),
  );

/** A partner in force that none of the rows is bound for, and export records waiting for no import. */
async function partnerWaiting(db: Database, code: string, waiting: number): Promise<void> {
  await db.query(
    `INSERT INTO exchange_partners (code, name, endpoint, public_key, message_types, agreement_ref, valid_from,
       proposed_by, confirmed_by, confirmed_at)
     VALUES ($1, 'bench partner', 'https://partner.example/api/exchange/inbox', 'none', '{export_declarations}',
       'bench', '2000-01-01', 'bench', 'bench', now())`,
    [code],
  );
  await db.query(
    `INSERT INTO exchange_inbox (sender, id, type, sent_at, content_type, payload, payload_sha256, signature,
       acknowledgement, ucr, transport_document, importer_key, exporter_keys, hs6, export_date)
     SELECT $1, gen_random_uuid(), 'export_declarations', now(), 'application/xml', '\\x00', '', '', '{}',
       'BENCH-UCR-' || n, 'BENCH-DOC-' || n, 'BENCHIMPORTER' || n, '{BENCHEXPORTER}', '{851713}', '2025-06-01'
     FROM generate_series(1, $2::int) AS n`,
    [code, waiting],
  );
}

async function full(): Promise<number> {
  const ctx = await open();
  if (process.env.BENCH_PARTNER)
    await partnerWaiting(ctx.db, process.env.BENCH_PARTNER, Number(process.env.BENCH_WAITING ?? 0));
  const expectedRows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const started = performance.now();
  // the path `clearway import` takes: prepared in a worker thread, stored from this one
  const summary = await importFile(
    ctx.db,
    { ...ctx.validation(), referenceDir: ctx.config.referenceDir },
    file,
    {
      format: 'clearway',
      actor: 'bench',
      hook: ctx.exchange.bulk,
      onProgress: (rows) => {
        if (Math.floor((rows / expectedRows) * 4) > rssAt.length)
          rssAt.push(Math.round(process.memoryUsage().rss / 1e6));
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  await ctx.close();
  if (summary.rejected > 0) throw new Error(`${summary.rejected} rows were rejected`);
  return seconds;
}

async function dump(): Promise<number> {
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  for (const [table, columns] of tables) {
    await pipeline(
      client.query(copyTo(`COPY ${table} (${columns.join(', ')}) TO STDOUT`)),
      createWriteStream(path.join(dumpDir, `${table}.copy`)),
    );
  }
  await client.end();
  return 0;
}

/** Feeds a COPY text file to PGlite in chunks of 100,000 lines. */
async function copyFileInChunks(
  db: Database,
  table: string,
  columns: readonly string[],
  source: string,
  header = false,
): Promise<void> {
  let pending = '';
  let chunk = '';
  let lines = 0;
  let skip = header;
  await db.transaction(async (tx) => {
    for await (const piece of createReadStream(source, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const text = pending + piece;
      const cut = text.lastIndexOf('\n') + 1;
      let body = text.slice(0, cut);
      pending = text.slice(cut);
      if (skip) {
        body = body.slice(body.indexOf('\n') + 1);
        skip = false;
      }
      chunk += body;
      for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) lines++;
      if (lines >= 100_000) {
        await tx.copyIn(table, columns, chunk);
        chunk = '';
        lines = 0;
      }
    }
    await tx.copyIn(table, columns, chunk + pending);
  });
}

async function ceiling(): Promise<number> {
  const ctx = await open(); // a fresh database with the same schema and indexes
  const started = performance.now();
  if (target === 'postgres') {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    await client.query('BEGIN');
    for (const [table, columns] of tables) {
      await pipeline(
        createReadStream(path.join(dumpDir, `${table}.copy`), { highWaterMark: 1 << 20 }),
        client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
      );
    }
    await client.query('COMMIT');
    await client.end();
  } else {
    for (const [table, columns] of tables)
      await copyFileInChunks(ctx.db, table, columns, path.join(dumpDir, `${table}.copy`));
  }
  const seconds = (performance.now() - started) / 1000;
  await ctx.close();
  return seconds;
}

async function landing(): Promise<number> {
  const create = `CREATE UNLOGGED TABLE landing (${clearwayColumns.map((c) => `${c} text`).join(', ')})`;
  if (target === 'postgres') {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    await client.query(create);
    const started = performance.now();
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      client.query(copyFrom('COPY landing FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
    const seconds = (performance.now() - started) / 1000;
    await client.end();
    return seconds;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(location);
  await db.query(create);
  const started = performance.now();
  const sql: Database = {
    kind: 'pglite',
    location,
    query: async () => [],
    copyIn: async (_t, _c, data) =>
      void (await db.query("COPY landing FROM '/dev/blob' WITH (FORMAT csv)", [], {
        blob: new Blob([data]),
      })),
    transaction: (fn) => fn(sql),
    holdLock: () => Promise.resolve({ release: () => Promise.resolve() }),
    close: () => db.close(),
  };
  await copyFileInChunks(sql, 'landing', [...clearwayColumns], file, true);
  const seconds = (performance.now() - started) / 1000;
  await db.close();
  return seconds;
}

const modes = { full, dump, ceiling, landing } as const;
const run = modes[mode as keyof typeof modes];
if (!run) throw new Error(`unknown mode ${mode}`);
const seconds = await run();
clearInterval(sampler);
process.stdout.write(
  JSON.stringify({ seconds, peakRssMb: Math.round(peak / 1e6), rssAtQuartersMb: rssAt }) + '\n',
);
