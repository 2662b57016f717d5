import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { importDeclarations } from '../declarations/importer.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import { writeDemoCsv } from '../demo/clearway-csv-writer.ts';
import { generateDeclarations } from '../demo/generate.ts';
import { openTestContext, storageTargets, type TestContext } from '../testing/harness.ts';
import { createRiskEngine, type RiskEngine } from './assessment.ts';
import { ownControls, recordHistory } from './indicators.ts';
import { parseProfile } from './profiles/profile.ts';
import { profilesRepository } from './profiles/repository.ts';
import { activateModel, registerModel } from './registry.ts';
import { trainRiskModel, type RiskModel } from './risk-model.ts';
import { defaultPolicy } from './selectivity.ts';

const model: RiskModel = trainRiskModel(
  [...generateDeclarations({ count: 2500, seed: 4, from: '2025-06-01', to: '2025-12-31' })].map(
    ({ input, label }) => ({
      declaration: input,
      fraud: label.outcome === 'non_compliant' ? 1 : 0,
      critical: label.irregularity && label.outcome === 'non_compliant' ? 1 : 0,
    }),
  ),
  [],
  { trees: 40, learningRate: 0.2, maxLeaves: 31, maxDepth: 8, minSamplesLeaf: 10 },
);

const profiles = [
  { code: 'NEW-HS', lane: 'blue', conditions: [{ field: 'indicator.firstUseOfHs', op: 'eq', value: true }] },
  {
    code: 'HISTORY',
    lane: 'yellow',
    conditions: [
      { field: 'indicator.traderHitRate', op: 'gt', value: 0.2 },
      { field: 'indicator.traderDeclarations', op: 'gte', value: 3 },
    ],
  },
  { code: 'DUTY', lane: 'red', conditions: [{ field: 'item.dutyRate', op: 'gte', value: 12 }] },
];

/** A database with the same imported declarations, price reference, model and profiles as every other. */
async function prepared(target: 'pglite' | 'postgres'): Promise<{ ctx: TestContext; engine: RiskEngine }> {
  const ctx = await openTestContext(target);
  const csv = new PassThrough();
  const written = writeDemoCsv({ count: 600, seed: 12, from: '2026-01-01', to: '2026-03-31' }, csv).then(() =>
    csv.end(),
  );
  await importDeclarations(ctx.db, ctx.validation(), csv, { format: 'clearway', actor: 'test' });
  await written;
  await ctx.refreshPrices();
  const registered = await registerModel(ctx.db, model, { createdBy: 'test', source: 'test' });
  await activateModel(ctx.db, registered.id, 'test');
  for (const { code, lane, conditions } of profiles) {
    const parsed = parseProfile({
      code,
      name: code,
      lane,
      weight: 40,
      reason: code,
      validFrom: '2020-01-01',
      conditions,
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const draft = await profilesRepository.create(ctx.db, parsed.value, 'analyst-1');
    await profilesRepository.submit(ctx.db, draft.id, 'analyst-1');
    await profilesRepository.decide(ctx.db, draft.id, 'analyst-2', true, null);
  }
  // places for everyone and no random selection: the lane is the scores' alone
  const engine = createRiskEngine({
    db: ctx.db,
    prices: () => ctx.prices(),
    settings: {
      policy: { ...defaultPolicy, randomShare: 0 },
      capacity: { red: 1e6, yellow: 1e6, offices: {} },
    },
  });
  return { ctx, engine };
}

const assessments = (ctx: TestContext) =>
  ctx.db.query(
    `SELECT a.declaration_id, a.score, a.critical, a.lane, a.random, a.reasons, a.versions, d.lane AS current,
            d.risk_score, (SELECT array_agg(h.profile_id ORDER BY h.profile_id) FROM profile_hits h
                           WHERE h.declaration_id = a.declaration_id) AS hits
     FROM risk_assessments a JOIN declarations d ON d.id = a.declaration_id ORDER BY a.declaration_id`,
  );

for (const target of storageTargets()) {
  describe(`batch assessment against one declaration at a time (${target})`, () => {
    let batch: { ctx: TestContext; engine: RiskEngine };
    let single: { ctx: TestContext; engine: RiskEngine };
    before(async () => {
      [batch, single] = [await prepared(target), await prepared(target)];
    });
    after(async () => {
      await batch.ctx.dispose();
      await single.ctx.dispose();
    });

    test('gives each declaration the score, lane, reasons and profile hits that assessing it alone gives', async () => {
      const done = await batch.engine.assessPending('selectivity', { batchSize: 97 });
      // the same declarations, each assessed in a transaction of its own in id order, the trader
      // history learning its control results as a batch does
      const rows = await single.ctx.db.query<Record<string, unknown>>(
        'SELECT * FROM declarations WHERE lane IS NULL ORDER BY id',
      );
      const declarations = await declarationsRepository.withItems(single.ctx.db, rows);
      for (const d of declarations) {
        await single.ctx.db.transaction(async (tx) => {
          // assessed as an amended declaration is (`again`): these were stored and counted by the
          // import, and have events already, unlike a declaration being lodged
          await single.engine.assess(tx, d.id, d, 'selectivity', true);
          const controls = (await ownControls(tx, [d.id])).get(d.id) ?? { controls: 0, positives: 0 };
          await recordHistory(tx, [{ id: d.id, input: d, ...controls }]);
        });
      }
      assert.equal(done.assessed, declarations.length);
      const [fromBatch, alone] = [await assessments(batch.ctx), await assessments(single.ctx)];
      assert.equal(fromBatch.length, declarations.length);
      assert.deepStrictEqual(fromBatch, alone);
      // the comparison covered every kind of reason and lane
      const kinds = new Set(fromBatch.flatMap((a) => (a.reasons as { kind: string }[]).map((r) => r.kind)));
      for (const kind of ['rule', 'factor', 'explanation']) assert.ok(kinds.has(kind), `a ${kind} reason`);
      assert.ok(new Set(fromBatch.map((a) => a.lane)).size >= 3, 'several lanes');
    });
  });
}
