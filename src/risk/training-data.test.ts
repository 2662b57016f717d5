/**
 * The mirror figures as model features, on each engine: training data from Clearway's own
 * controlled declarations carries them for an import matched to partners' export records (the value
 * ratio the lowest over its matches whose values are comparable; the quantity and mass ratios and
 * HS and origin mismatches from the stored gaps) and NaN otherwise; a model trained where low ratios
 * were found irregular uses it, in batch assessment and in the re-assessment a match brings (the
 * path of lodging), and the officer's factors give the ratio.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { Sql } from '../db/database.ts';
import { importDeclarations } from '../declarations/importer.ts';
import { writeDemoCsv } from '../demo/clearway-csv-writer.ts';
import { Role } from '../governance/roles.ts';
import {
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import type { Labelled } from './features.ts';
import { mirrorReassessment } from './mirror-reassessment.ts';
import { activateModel, registerModel } from './registry.ts';
import { trainRiskModel } from './risk-model.ts';
import { controlledDeclarations } from './training-data.ts';

interface Factor {
  feature: string;
  contribution: number;
  value?: number | null;
}
interface View {
  score: number;
  reasons: { kind: string; scorer?: string; probability?: number }[];
  explanation: { probability: number; factors: Factor[] } | null;
}

/** A match of a partner's export record to an import, as exchange/matching.ts records it. */
async function insertMatch(
  sql: Sql,
  declarationId: number,
  ratio: number | null,
  gaps: unknown[] = [],
): Promise<void> {
  await sql.query(
    `INSERT INTO exchange_matches (sender, message_id, declaration_id, matched_by, gaps, beyond, value_ratio,
       import_value, export_value, comparable)
     VALUES ('BB', $1, $2, 'ucr', $6::jsonb, false, $3, 1000, $4, $5)`,
    [
      randomUUID(),
      declarationId,
      ratio,
      ratio === null ? 1000 : 1000 / ratio / 1.1,
      ratio !== null,
      JSON.stringify(gaps),
    ],
  );
}

/** An item's gap as exchange/mirror.ts computes it: a ratio for a quantity or mass, figures for HS or origin. */
const itemGap = (kind: 'quantity' | 'mass' | 'hs' | 'origin', item: number, ratio: number | null) => ({
  kind,
  item,
  importFigure: ratio === null ? 'CN' : ratio * 100,
  exportFigure: ratio === null ? 'VN' : 100,
  ratio,
  threshold: ratio === null ? null : 0.9,
  beyond: true,
  text: `item ${item}: ${kind}`,
});

for (const target of storageTargets()) {
  describe(`the mirror value ratio in training data and the model (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let training: Labelled[];
    /** The matched imports: ratio by id (NaN for a match whose values are not comparable). */
    const matched = new Map<number, number>();
    /** Low-ratio imports found irregular, assessed in the batch with their match. */
    const lowIrregular: number[] = [];
    let unmatchedOpen = 0;
    /** The import matched to three exports, with quantity, mass and origin gaps on its first item. */
    let twiceId = 0;

    before(async () => {
      ctx = await openTestContext(target);
      const csv = new PassThrough();
      const written = writeDemoCsv({ count: 2000, seed: 41, from: '2026-01-01', to: '2026-03-31' }, csv).then(
        () => csv.end(),
      );
      await importDeclarations(ctx.db, ctx.validation(), csv, { format: 'clearway', actor: 'test' });
      await written;
      await ctx.refreshPrices();
      const rows = await ctx.db.query<{ id: number; outcome: string }>(
        `SELECT d.id, c.outcome FROM declarations d JOIN control_results c ON c.declaration_id = d.id
         WHERE d.type = 'IM' AND c.superseded_at IS NULL ORDER BY d.id`,
      );
      // irregular imports declared far under the export's value; regular ones about at it
      rows.forEach(({ id, outcome }, n) => {
        if (outcome === 'non_compliant' && n % 2 === 0) matched.set(id, 0.3 + (n % 7) / 50);
        else if (outcome !== 'non_compliant' && n % 3 === 0) matched.set(id, 0.95 + (n % 5) / 50);
      });
      for (const [id, ratio] of matched) await insertMatch(ctx.db, id, ratio);
      // two exports of one consignment: the lowest ratio counts; one not comparable in value
      const [twice, notComparable] = rows.filter((r) => !matched.has(r.id)).map((r) => r.id);
      if (twice === undefined || notComparable === undefined) throw new Error('too few imports');
      // every match of an import stores the same gaps (of the import against all its exports)
      const [first] = await ctx.db.query<{ sequence: number }>(
        'SELECT min(sequence) AS sequence FROM declaration_items WHERE declaration_id = $1',
        [twice],
      );
      const item = Number(first?.sequence);
      const gaps = [
        itemGap('quantity', item, 0.5),
        itemGap('mass', item, 1.4),
        itemGap('origin', item, null),
      ];
      await insertMatch(ctx.db, twice, 1.2, gaps);
      await insertMatch(ctx.db, twice, 0.9, gaps);
      await insertMatch(ctx.db, twice, null, gaps);
      matched.set(twice, 0.9);
      twiceId = twice;
      await insertMatch(ctx.db, notComparable, null);
      matched.set(notComparable, NaN);
      for (const { id, outcome } of rows)
        if (outcome === 'non_compliant' && (matched.get(id) ?? 1) < 0.5 && lowIrregular.length < 20)
          lowIrregular.push(id);

      training = await controlledDeclarations(ctx.db);
      const model = trainRiskModel(training, [], { trees: 40, learningRate: 0.2, maxLeaves: 15 });
      const gain = model.fraud.featureImportance().find((f) => f.name === 'mirrorValueRatio')?.gain ?? 0;
      assert.ok(gain > 0, 'the model splits on the mirror value ratio');
      const registered = await registerModel(ctx.db, model, { createdBy: 'test', source: 'database' });
      await activateModel(ctx.db, registered.id, 'test');
      ctx.risk.invalidate();
      await ctx.risk.assessPending('test');
      const [open] = await ctx.db.query<{ id: number }>(
        `SELECT d.id FROM declarations d WHERE d.type = 'IM' AND d.status IN ('accepted', 'amended')
         AND d.lane IS NOT NULL AND NOT EXISTS (SELECT 1 FROM exchange_matches m WHERE m.declaration_id = d.id)
         ORDER BY d.id LIMIT 1`,
      );
      unmatchedOpen = open?.id ?? 0;
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    test('a matched import carries its lowest comparable ratio, any other row NaN', () => {
      const ids = new Set<number>();
      let unmatched = 0;
      for (const row of training) {
        const d = row.declaration;
        const id = 'id' in d ? Number(d.id) : NaN;
        ids.add(id);
        const ratio = row.extras?.mirrorValueRatio;
        const expected = matched.get(id);
        if (expected === undefined) {
          assert.ok(Number.isNaN(ratio), `declaration ${id} has no match`);
          unmatched++;
        } else if (Number.isNaN(expected))
          assert.ok(Number.isNaN(ratio), `declaration ${id}: not comparable`);
        else
          assert.ok(
            Math.abs((ratio ?? NaN) - expected) < 1e-12,
            `declaration ${id}: ${ratio} vs ${expected}`,
          );
      }
      for (const id of matched.keys()) assert.ok(ids.has(id), `matched import ${id} is in the training data`);
      // the other mirror figures: from the stored gaps of a matched import, 0 for no mismatch, NaN unmatched
      const figures = (id: number) => {
        const extras =
          training.find((r) => 'id' in r.declaration && Number(r.declaration.id) === id)?.extras ?? {};
        return [
          extras.mirrorQuantityRatio,
          extras.mirrorMassRatio,
          extras.mirrorHsMismatch,
          extras.mirrorOriginMismatch,
        ];
      };
      assert.deepEqual(figures(twiceId), [0.5, 1.4, 0, 1]);
      const plainMatch = [...matched.keys()].find((id) => id !== twiceId) ?? 0;
      assert.deepEqual(figures(plainMatch), [NaN, NaN, 0, 0]);
      const unmatchedId = [...ids].find((id) => !matched.has(id)) ?? 0;
      assert.deepEqual(figures(unmatchedId), [NaN, NaN, NaN, NaN]);
      assert.ok(unmatched > 500 && matched.size > 100, `${unmatched} unmatched, ${matched.size} matched`);
    });

    const assessment = async (id: number) => {
      const res = await server.request('GET', `/api/declarations/${id}/assessment`, {
        token: tokens.officer,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.latest as View;
    };

    test('batch assessment reads the ratio: its factor raises the risk of a low-ratio import and is named with it', async () => {
      assert.ok(lowIrregular.length >= 10, `${lowIrregular.length} low-ratio irregular imports`);
      for (const id of lowIrregular) {
        const factors = (await assessment(id)).explanation?.factors ?? [];
        const factor = factors.find((f) => f.feature === 'mirrorValueRatio');
        assert.ok(factor, `declaration ${id}: ${JSON.stringify(factors)}`);
        assert.ok(factor.contribution > 0, `declaration ${id}: ${factor.contribution}`);
        assert.ok(Math.abs((factor.value ?? NaN) - (matched.get(id) ?? NaN)) < 1e-12);
      }
    });

    test('a match arriving after assessment raises the model score of the same import (the lodging path)', async () => {
      assert.ok(unmatchedOpen > 0, 'an open assessed import without a match');
      const before = (await assessment(unmatchedOpen)).explanation;
      assert.ok(before);
      assert.ok(!before.factors.some((f) => f.feature === 'mirrorValueRatio' && f.contribution > 0));
      await ctx.db.transaction(async (tx) => {
        await insertMatch(tx, unmatchedOpen, 0.32);
        await mirrorReassessment(ctx.risk).matched(tx, { declarationId: unmatchedOpen });
      });
      const again = (await assessment(unmatchedOpen)).explanation;
      assert.ok(again);
      assert.ok(
        again.probability > before.probability,
        `P(fraud) ${again.probability} after the match, ${before.probability} before`,
      );
      const factor = again.factors.find((f) => f.feature === 'mirrorValueRatio');
      assert.ok(factor && factor.contribution > 0, JSON.stringify(again.factors));
      assert.equal(factor.value, 0.32);
    });
  });
}
