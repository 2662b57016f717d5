/**
 * Where one lodging's time goes, statement by statement: lodges generated declarations one at a
 * time through the declaration service (as the API does) on PGlite and on PostgreSQL, after an
 * imported history with a trained model, and prints per statement (normalised text) how often it
 * ran per lodging and its mean and p99 time. Run with `node --cpu-prof --import tsx` for the CPU
 * side. Not part of `npm run bench:*`: a tool for finding what to make cheaper.
 */
import { PassThrough } from 'node:stream';
import type { Database, PreparedStatement, Sql } from '../src/db/database.ts';
import { importDeclarations } from '../src/declarations/importer.ts';
import { createDeclarationService } from '../src/declarations/service.ts';
import type { DeclarationDraft } from '../src/declarations/validate/index.ts';
import { writeDemoCsv } from '../src/demo/clearway-csv-writer.ts';
import { generateDeclarations } from '../src/demo/generate.ts';
import { Role } from '../src/governance/roles.ts';
import { activateModel } from '../src/risk/registry.ts';
import { trainOnControls } from '../src/risk/retrain.ts';
import { openTestContext, type StorageTarget } from '../src/testing/harness.ts';

const history = Number(process.env.HISTORY ?? 10_000);
const lodgings = Number(process.env.LODGINGS ?? 2_000);
const warmup = 200;

/** Per statement text: wall times and CPU times of this process (the engine itself, on PGlite), in ms. */
type Timings = Map<string, { wall: number[]; cpu: number[] }>;

function timed(db: Database, times: Timings, on: { value: boolean }): Database {
  const wrap = (sql: Sql): Sql => ({
    kind: sql.kind,
    async query<R>(statement: string | PreparedStatement, params?: readonly unknown[]) {
      const t = performance.now();
      const c = process.cpuUsage();
      try {
        return await sql.query<R>(statement, params);
      } finally {
        if (on.value) {
          const used = process.cpuUsage(c);
          const text = (typeof statement === 'string' ? statement : `[${statement.name}] ${statement.text}`)
            .replace(/\s+/g, ' ')
            .slice(0, 90);
          const entry = times.get(text) ?? { wall: [], cpu: [] };
          entry.wall.push(performance.now() - t);
          entry.cpu.push((used.user + used.system) / 1000);
          times.set(text, entry);
        }
      }
    },
    copyIn: (table, columns, data) => sql.copyIn(table, columns, data),
  });
  return { ...db, ...wrap(db), transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) };
}

async function measure(storage: StorageTarget): Promise<void> {
  const ctx = await openTestContext(storage);
  try {
    const csv = new PassThrough();
    const written = writeDemoCsv(
      { count: history, seed: 21, from: '2026-01-01', to: '2026-09-30' },
      csv,
    ).then(() => csv.end());
    await importDeclarations(ctx.db, ctx.validation(), csv, { format: 'clearway', actor: 'bench' });
    await written;
    await ctx.refreshPrices();
    const trained = await trainOnControls(ctx.db, 'bench');
    if (!trained.ok) throw new Error('too few controls');
    await activateModel(ctx.db, trained.registered.id, 'bench');
    await ctx.risk.assessPending('bench');
    const drafts = [
      ...generateDeclarations({
        count: 3 * (lodgings + warmup),
        seed: 99,
        from: '2026-10-01',
        to: '2026-10-31',
      }),
    ]
      .map((g) => g.input)
      .slice(0, lodgings + warmup);
    for (const d of drafts)
      await ctx.db.query('INSERT INTO representations VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        d.declarant,
        d.trader,
      ]);
    const times: Timings = new Map();
    const on = { value: false };
    const service = createDeclarationService({
      db: timed(ctx.db, times, on),
      validation: () => ctx.validation(),
      risk: ctx.risk,
    });
    const total: number[] = [];
    let lodgeCpu = 0;
    for (const [k, d] of drafts.entries()) {
      on.value = k >= warmup;
      const actor = { userId: 0, username: 'bench', role: Role.Declarant, partyId: d.declarant, offices: [] };
      const t = performance.now();
      const c = process.cpuUsage();
      const result = await service.lodge(actor, structuredClone(d) as unknown as DeclarationDraft);
      if (on.value) {
        total.push(performance.now() - t);
        const used = process.cpuUsage(c);
        lodgeCpu += (used.user + used.system) / 1000;
      }
      if (!result.ok) throw new Error(JSON.stringify(result.error).slice(0, 300));
    }
    const pct = (xs: number[], p: number) =>
      [...xs].sort((a, b) => a - b)[Math.floor((xs.length * p) / 100)] ?? NaN;
    const r = (x: number) => Math.round(x * 1000) / 1000;
    const n = total.length;
    let sum = 0;
    let cpuSum = 0;
    const rows = [...times.entries()].map(([text, { wall, cpu }]) => {
      const s = wall.reduce((a, b) => a + b, 0);
      const sc = cpu.reduce((a, b) => a + b, 0);
      sum += s;
      cpuSum += sc;
      return {
        perLodging: r(wall.length / n),
        meanMs: r(s / wall.length),
        p99Ms: r(pct(wall, 99)),
        msPerLodging: r(s / n),
        cpuMsPerLodging: r(sc / n),
        text,
      };
    });
    rows.sort((a, b) => b.msPerLodging - a.msPerLodging);
    console.log(
      JSON.stringify({
        storage,
        lodgings: n,
        statementsPerLodging: r(rows.reduce((a, b) => a + b.perLodging, 0)),
        sqlMsPerLodging: r(sum / n),
        sqlCpuMsPerLodging: r(cpuSum / n),
        lodgeP50Ms: r(pct(total, 50)),
        lodgeP99Ms: r(pct(total, 99)),
        lodgeCpuMs: r(lodgeCpu / n),
      }),
    );
    for (const row of rows) console.log(JSON.stringify(row));
  } finally {
    await ctx.dispose();
  }
}

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
for (const s of (process.env.STORAGE ?? 'pglite,postgres').split(',')) await measure(s as StorageTarget);
