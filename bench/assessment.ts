/**
 * `npm run bench:assess`: the latency of assessing one declaration with every scorer, in process,
 * and the throughput of batch assessment after an import, on PGlite and on PostgreSQL (a fresh
 * database on the server of DATABASE_URL, by default the local one). The database holds generated declarations with their control history,
 * a model trained on it and activated, and twenty active rule profiles.
 *
 * One JSON line per measurement:
 * - `score`: indicators given, the scorers and selectivity alone (rules, model with its factors,
 *   P(critical), isolation forest, price reference);
 * - `assess`: the whole assessment of a declaration being accepted, in its transaction (indicators
 *   query, scorers, capacity claim, storing the assessment, lane, event and profile hits);
 * - `batch`: the import of the history as `clearway import` stores it (a file prepared in a worker
 *   thread), then `assessPending` on the same declarations: stored and assessed per second, and
 *   their ratio (goal: assessing no slower than storing, a ratio of at least 1).
 * Latencies are p50/p99 over the runs; the goal is p99 <= 5 ms for `assess`.
 * BENCH_HISTORY sets the number of generated rows of the history (20,000 by default);
 * BENCH_BATCH_ONLY=1 measures `batch` alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppContext } from '../src/app-context.ts';
import { importFile } from '../src/declarations/importer.ts';
import type { DeclarationInput } from '../src/declarations/model.ts';
import { createDeclarationService } from '../src/declarations/service.ts';
import type { DeclarationDraft } from '../src/declarations/validate/index.ts';
import { writeDemoCsv } from '../src/demo/clearway-csv-writer.ts';
import { generateDeclarations } from '../src/demo/generate.ts';
import { Role } from '../src/governance/roles.ts';
import { createRiskEngine, runScorers } from '../src/risk/assessment.ts';
import { computeIndicators } from '../src/risk/indicators.ts';
import { parseProfile } from '../src/risk/profiles/profile.ts';
import { profilesRepository } from '../src/risk/profiles/repository.ts';
import { trainOnControls } from '../src/risk/retrain.ts';
import { assessBatch, defaultPolicy } from '../src/risk/selectivity.ts';
import { compileProfile } from '../src/risk/profiles/evaluate.ts';
import { activateModel, activeModel } from '../src/risk/registry.ts';
import { openTestContext, type StorageTarget } from '../src/testing/harness.ts';

const history = Number(process.env.BENCH_HISTORY ?? 20_000);
const runs = 2_000;
const goalP99Ms = 5;

const profiles = [
  [
    'TEXTILES-CHEAP',
    'yellow',
    [
      { field: 'item.hsCode', op: 'prefix', value: ['61', '62'] },
      { field: 'indicator.unitValueRatio', op: 'lt', value: 0.4 },
    ],
  ],
  [
    'NEW-HS',
    'blue',
    [
      { field: 'indicator.firstUseOfHs', op: 'eq', value: true },
      { field: 'item.value', op: 'gt', value: 20000 },
    ],
  ],
  [
    'NEW-ORIGIN',
    'blue',
    [
      { field: 'indicator.firstUseOfOrigin', op: 'eq', value: true },
      { field: 'item.dutyRate', op: 'gte', value: 8 },
    ],
  ],
  [
    'BAD-HISTORY',
    'red',
    [
      { field: 'indicator.traderHitRate', op: 'gt', value: 0.5 },
      { field: 'indicator.traderDeclarations', op: 'gte', value: 5 },
    ],
  ],
  [
    'NEWCOMER-BIG',
    'yellow',
    [
      { field: 'indicator.traderDeclarations', op: 'lt', value: 3 },
      { field: 'invoiceTotal', op: 'gt', value: 100000 },
    ],
  ],
  ['TOBACCO', 'red', [{ field: 'item.hsCode', op: 'prefix', value: ['2402', '2403'] }]],
  ['ALCOHOL', 'yellow', [{ field: 'item.hsCode', op: 'prefix', value: ['2203', '2204', '2208'] }]],
  ['VAGUE', 'blue', [{ field: 'item.description', op: 'in', value: ['gift', 'goods', 'parts', 'sample'] }]],
  ['HIGH-DUTY', 'blue', [{ field: 'item.dutyRate', op: 'gte', value: 20 }]],
  ['SPLIT', 'blue', [{ field: 'invoiceTotal', op: 'between', value: [140, 150] }]],
  ['MANY-ITEMS', 'blue', [{ field: 'itemCount', op: 'gte', value: 30 }]],
  ['ORIGIN-WATCH', 'yellow', [{ field: 'item.originCountry', op: 'in', value: ['KP', 'IR', 'SY'] }]],
  [
    'TRANSHIP',
    'yellow',
    [
      { field: 'dispatchCountry', op: 'in', value: ['AE', 'SG'] },
      { field: 'originCountry', op: 'in', value: ['CN', 'VN'] },
    ],
  ],
  [
    'ELECTRONICS-CHEAP',
    'yellow',
    [
      { field: 'item.hsCode', op: 'prefix', value: ['8517', '8471'] },
      { field: 'indicator.unitValueRatio', op: 'lt', value: 0.3 },
    ],
  ],
  [
    'STEEL',
    'blue',
    [
      { field: 'item.hsCode', op: 'prefix', value: ['72', '73'] },
      { field: 'item.netMass', op: 'gt', value: 50000 },
    ],
  ],
  ['LUXURY', 'blue', [{ field: 'item.hsCode', op: 'prefix', value: ['7113', '9101', '9102'] }]],
  [
    'MEDICINES',
    'yellow',
    [
      { field: 'item.hsCode', op: 'prefix', value: ['3004'] },
      { field: 'indicator.firstUseOfHs', op: 'eq', value: true },
    ],
  ],
  [
    'USED-CARS',
    'blue',
    [
      { field: 'item.hsCode', op: 'prefix', value: ['8703'] },
      { field: 'item.value', op: 'lt', value: 3000 },
    ],
  ],
  [
    'CASH-ON-DELIVERY',
    'blue',
    [
      { field: 'procedure', op: 'eq', value: '40' },
      { field: 'invoiceTotal', op: 'gt', value: 500000 },
    ],
  ],
  ['CONTAINS-SAMPLE', 'blue', [{ field: 'item.description', op: 'contains', value: 'sample' }]],
] as const;

async function activateProfiles(ctx: AppContext): Promise<void> {
  for (const [code, lane, conditions] of profiles) {
    const parsed = parseProfile({
      code,
      name: code.toLowerCase(),
      lane,
      weight: 60,
      reason: `benchmark profile ${code}`,
      validFrom: '2020-01-01',
      conditions,
    });
    if (!parsed.ok) throw new Error(`${code}: ${JSON.stringify(parsed.error)}`);
    const draft = await profilesRepository.create(ctx.db, parsed.value, 'bench-author');
    await profilesRepository.submit(ctx.db, draft.id, 'bench-author');
    const decided = await profilesRepository.decide(ctx.db, draft.id, 'bench-reviewer', true, null);
    if (!decided.ok) throw new Error(`${code}: ${JSON.stringify(decided.error)}`);
  }
}

/** Stores generated declarations as `clearway import` does; how many, and in how many seconds. */
async function importDemo(
  ctx: AppContext,
  count: number,
  seed: number,
): Promise<{ accepted: number; seconds: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'clearway-bench-'));
  try {
    const file = path.join(dir, 'history.csv');
    await writeDemoCsv({ count, seed, from: '2026-01-01', to: '2026-09-30' }, file);
    const started = performance.now();
    const { accepted } = await importFile(
      ctx.db,
      { ...ctx.validation(), referenceDir: ctx.config.referenceDir },
      file,
      { format: 'clearway', actor: 'bench' },
    );
    return { accepted, seconds: (performance.now() - started) / 1000 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

function latencyLine(storage: string, what: string, ms: number[], goal?: number) {
  const sorted = [...ms].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  process.stdout.write(
    JSON.stringify({
      bench: 'assessment',
      storage,
      what,
      runs: ms.length,
      p50Ms: round(percentile(sorted, 50)),
      p99Ms: round(p99),
      ...(goal === undefined ? {} : { goalP99Ms: goal, pass: p99 <= goal }),
    }) + '\n',
  );
}

async function measure(storage: StorageTarget): Promise<void> {
  const ctx = await openTestContext(storage);
  try {
    const imported = await importDemo(ctx, history, 21);
    await ctx.refreshPrices();
    const trained = await trainOnControls(ctx.db, 'bench');
    if (!trained.ok) throw new Error(`only ${trained.controls} controlled declarations`);
    await activateModel(ctx.db, trained.registered.id, 'bench');
    await activateProfiles(ctx);

    // batch assessment of the imported history
    const engine = createRiskEngine({ db: ctx.db, prices: () => ctx.prices() });
    const started = performance.now();
    const batch = await engine.assessPending('bench');
    const seconds = (performance.now() - started) / 1000;
    const stored = imported.accepted / imported.seconds;
    const assessed = batch.assessed / seconds;
    process.stdout.write(
      JSON.stringify({
        bench: 'assessment',
        storage,
        what: 'batch',
        declarations: batch.assessed,
        storedPerSecond: Math.round(stored),
        assessedPerSecond: Math.round(assessed),
        assessedOverStored: round(assessed / stored, 2),
        goalRatio: 1,
        pass: assessed >= stored,
        lanes: batch.lanes,
      }) + '\n',
    );

    if (process.env.BENCH_BATCH_ONLY) return;

    // fresh declarations, lodged one at a time as through the API
    const fresh = [
      ...generateDeclarations({ count: 3 * (runs + 200), seed: 99, from: '2026-10-01', to: '2026-10-31' }),
    ]
      .map((g) => g.input)
      .slice(0, runs + 200);
    if (fresh.length < runs + 200) throw new Error(`only ${fresh.length} fresh declarations were generated`);

    // the scorers and selectivity alone, indicators given
    const [model, active] = await Promise.all([activeModel(ctx.db), profilesRepository.active(ctx.db)]);
    const risk = {
      model,
      profiles: active.map((p) => ({ ...compileProfile(p.definition), id: p.id, version: p.version })),
    };
    const indicators = await Promise.all(
      fresh.slice(0, runs).map((d) => computeIndicators(ctx.db, ctx.prices(), d)),
    );
    const scoring: number[] = [];
    for (let i = 0; i < runs; i++) {
      const d = fresh[i] as DeclarationInput;
      const t = performance.now();
      const { outputs } = runScorers(risk, d, indicators[i] as never, d.date);
      assessBatch([{ office: d.office, day: d.date, outputs, draw: 0.5 }], undefined, defaultPolicy);
      scoring.push(performance.now() - t);
    }
    latencyLine(storage, 'score', scoring, goalP99Ms);

    // the whole assessment inside the accepting transaction
    const timed: number[] = [];
    const service = createDeclarationService({
      db: ctx.db,
      validation: () => ctx.validation(),
      risk: {
        async assess(tx, id, input, actor) {
          const t = performance.now();
          const assessed = await engine.assess(tx, id, input, actor);
          timed.push(performance.now() - t);
          return assessed;
        },
      },
    });
    for (const d of fresh) {
      const actor = {
        userId: 0,
        username: 'bench',
        role: Role.Declarant,
        partyId: d.declarant,
        offices: [],
      };
      await ctx.db.query('INSERT INTO representations VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        d.declarant,
        d.trader,
      ]);
      const result = await service.lodge(actor, structuredClone(d) as unknown as DeclarationDraft);
      if (!result.ok) throw new Error(`lodging failed: ${JSON.stringify(result.error).slice(0, 300)}`);
    }
    latencyLine(storage, 'assess', timed.slice(200), goalP99Ms); // the first 200 warm up
  } finally {
    await ctx.dispose();
  }
}

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
await measure('pglite');
await measure('postgres');
