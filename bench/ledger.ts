/**
 * `npm run bench:ledger`: what the tamper-evident ledger costs, on PGlite and on PostgreSQL (a
 * fresh database on the server of DATABASE_URL, by default the local one). One JSON line per
 * measurement:
 * - `lodge`: declarations lodged per second through the declaration service (validation, storage,
 *   assessment in the same transaction) with the ledger and without it, in alternating chunks of
 *   the same generated data on the same database; `cost` = 1 - with/without (ceiling 10%). The
 *   chunks with the ledger record their entries and seal them at the chunk's end (ADR 0013); those
 *   without skip recording (the data is still encoded, so the cost shown is, if anything, slightly
 *   low);
 * - `verify`: re-checking a ledger of 1,000,000 entries, chain and checkpoint (ceiling 10 s).
 */
import { loadavg } from 'node:os';
import type { AppContext } from '../src/app-context.ts';
import { copyLine } from '../src/db/copy-text.ts';
import type { Database, PreparedStatement, Sql } from '../src/db/database.ts';
import { createDeclarationService } from '../src/declarations/service.ts';
import type { DeclarationDraft } from '../src/declarations/validate/index.ts';
import { generateDeclarations } from '../src/demo/generate.ts';
import { makeCheckpoint } from '../src/governance/ledger/checkpoints.ts';
import { canonicalJson, entryHash, genesisHash } from '../src/governance/ledger/entry.ts';
import { loadOrCreateSigner } from '../src/governance/ledger/signing.ts';
import { sealPending } from '../src/governance/ledger/seal.ts';
import { verifyLedger } from '../src/governance/ledger/verify.ts';
import { Role } from '../src/governance/roles.ts';
import { openTestContext, type StorageTarget } from '../src/testing/harness.ts';

const chunk = 100;
const chunks = 24; // alternating: without, with, without, ... (the first, chunk 0, warms up)
const verifyEntries = 1_000_000;
const costCeiling = 0.1;
const verifyCeilingSeconds = 10;

/** The database, with the ledger's append answered as if done, without running it. */
function withoutLedger(db: Database): Database {
  const skip = (sql: Sql): Sql => ({
    kind: sql.kind,
    query: async <R>(statement: string | PreparedStatement, params?: readonly unknown[]) =>
      typeof statement !== 'string' && statement.name === 'ledger_record'
        ? ([] as R[])
        : sql.query<R>(statement, params),
    copyIn: (table, columns, data) => sql.copyIn(table, columns, data),
  });
  return {
    ...db,
    ...skip(db),
    kind: db.kind,
    location: db.location,
    transaction: (fn) => db.transaction((tx) => fn(skip(tx))),
    close: () => db.close(),
  };
}

async function lodging(ctx: AppContext, storage: StorageTarget): Promise<void> {
  const drafts = [
    ...generateDeclarations({
      count: 3 * chunk * (chunks + 1),
      seed: 5,
      from: '2026-10-01',
      to: '2026-10-31',
    }),
  ]
    .map((g) => g.input)
    .slice(0, chunk * (chunks + 1));
  for (const d of drafts) {
    await ctx.db.query('INSERT INTO representations VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      d.declarant,
      d.trader,
    ]);
  }
  const services = {
    with: createDeclarationService({ db: ctx.db, validation: () => ctx.validation(), risk: ctx.risk }),
    without: createDeclarationService({
      db: withoutLedger(ctx.db),
      validation: () => ctx.validation(),
      risk: ctx.risk,
    }),
  };
  const seconds = { with: 0, without: 0 };
  const lodged = { with: 0, without: 0 };
  const pairCosts: number[] = [];
  let previous = 0;
  for (let c = 0; c <= chunks; c++) {
    const arm = c % 2 === 0 ? 'with' : 'without';
    const t = performance.now();
    for (const d of drafts.slice(c * chunk, (c + 1) * chunk)) {
      const actor = {
        userId: 0,
        username: 'bench',
        role: Role.Declarant,
        partyId: d.declarant,
        offices: [],
      };
      const result = await services[arm].lodge(actor, structuredClone(d) as unknown as DeclarationDraft);
      if (!result.ok) throw new Error(`lodging failed: ${JSON.stringify(result.error).slice(0, 300)}`);
    }
    // the chunk's entries chained, as the server's sealer does shortly after each lodging
    if (arm === 'with') await sealPending(ctx.db);
    if (c === 0) continue; // the first chunk warms up
    const s = (performance.now() - t) / 1000;
    seconds[arm] += s;
    lodged[arm] += chunk;
    // each chunk with the ledger against the chunk without it just before: the machine's load
    // drifts less within a pair than over the run
    if (arm === 'with') pairCosts.push(1 - previous / s);
    previous = s;
  }
  pairCosts.sort((a, b) => a - b);
  const medianPairCost = pairCosts[Math.floor(pairCosts.length / 2)] ?? NaN;
  const perSecond = { with: lodged.with / seconds.with, without: lodged.without / seconds.without };
  const cost = 1 - perSecond.with / perSecond.without;
  process.stdout.write(
    JSON.stringify({
      bench: 'ledger',
      storage,
      what: 'lodge',
      declarations: lodged.with + lodged.without,
      withLedgerPerSecond: Math.round(perSecond.with),
      withoutLedgerPerSecond: Math.round(perSecond.without),
      cost: Math.round(cost * 1000) / 1000,
      medianPairCost: Math.round(medianPairCost * 1000) / 1000,
      ceiling: costCeiling,
      ok: cost <= costCeiling,
      loadAverage: loadavg()[0],
    }) + '\n',
  );
}

/** Appends `n` generated entries after the current head with COPY, hashed here as the ledger would. */
async function fill(ctx: AppContext, n: number): Promise<void> {
  const [head] = await ctx.db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM ledger_head');
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? genesisHash;
  const lanes = ['green', 'blue', 'yellow', 'red'];
  const columns = ['seq', 'at', 'actor', 'action', 'subject_kind', 'subject_id', 'data', 'prev_hash', 'hash'];
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let done = 0; done < n;) {
    let text = '';
    const upto = Math.min(n, done + 100_000);
    for (; done < upto; done++) {
      seq++;
      const e = {
        seq,
        at: new Date(start + seq * 1000).toISOString(),
        actor: seq % 7 === 0 ? 'officer-3' : 'selectivity',
        action: seq % 7 === 0 ? 'declaration.read' : 'declaration.assessed',
        subjectKind: 'declaration' as const,
        subjectId: String(100_000 + seq),
        data: canonicalJson(
          seq % 7 === 0
            ? { what: 'declaration', role: 'officer' }
            : { lane: lanes[seq % 4], score: (seq % 1000) / 1000, random: seq % 100 === 0 },
        ),
        prevHash: prev,
      };
      const hash = entryHash(e);
      text += copyLine([e.seq, e.at, e.actor, e.action, e.subjectKind, e.subjectId, e.data, prev, hash]);
      prev = hash;
    }
    await ctx.db.transaction((tx) => tx.copyIn('ledger', columns, text));
  }
  await ctx.db.query('UPDATE ledger_head SET seq = $1, hash = $2', [seq, prev]);
}

async function verifying(ctx: AppContext, storage: StorageTarget): Promise<void> {
  await fill(ctx, verifyEntries);
  const signer = await loadOrCreateSigner(ctx.config.ledgerKeyFile);
  const made = await makeCheckpoint(ctx.db, signer);
  if (!made.made) throw new Error(`no checkpoint: ${made.reason}`);
  for (const roots of [false, true]) {
    const t = performance.now();
    const report = await verifyLedger(ctx.db, signer.publicKeyPem, { roots });
    const seconds = (performance.now() - t) / 1000;
    if (!report.ok) throw new Error(`the generated ledger does not verify: ${report.firstBad.message}`);
    process.stdout.write(
      JSON.stringify({
        bench: 'ledger',
        storage,
        what: roots ? 'verify --roots' : 'verify',
        entries: report.checked,
        checkpoints: report.checkpoints,
        seconds: Math.round(seconds * 100) / 100,
        entriesPerSecond: Math.round(report.checked / seconds),
        ceilingSeconds: verifyCeilingSeconds,
        ok: seconds <= verifyCeilingSeconds,
        loadAverage: loadavg()[0],
      }) + '\n',
    );
  }
}

async function measure(storage: StorageTarget): Promise<void> {
  const ctx = await openTestContext(storage);
  try {
    if (!part || part === 'lodge') await lodging(ctx, storage);
    if (!part || part === 'verify') await verifying(ctx, storage);
  } finally {
    await ctx.dispose();
  }
}

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
// `npm run bench:ledger -- [pglite|postgres] [lodge|verify]` runs one storage or one part
const only = process.argv[2];
const part = process.argv[3];
if (!only || only === 'pglite') await measure('pglite');
if (!only || only === 'postgres') await measure('postgres');
