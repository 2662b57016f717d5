/**
 * What the API shows of the learned model adds up: for every assessed declaration, the base value,
 * the listed contributions and the sum of the others make the model's score in log-odds, which is
 * what the model itself predicts for the declaration; through the real server on each engine.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { declarationsRepository } from '../declarations/repository.ts';
import { importDeclarations } from '../declarations/importer.ts';
import type { DeclarationInput } from '../declarations/model.ts';
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
import { activateModel, registerModel } from './registry.ts';
import { trainRiskModel, type RiskModel } from './risk-model.ts';
import { controlledDeclarations } from './training-data.ts';

interface Explanation {
  unit: string;
  base: number;
  factors: { feature: string; contribution: number }[];
  others: number;
  otherCount: number;
  total: number;
  probability: number;
}

/** Declarations checked through the API on each engine. */
const checked = 150;

for (const target of storageTargets()) {
  describe(`model explanations add up (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let model: RiskModel;

    before(async () => {
      ctx = await openTestContext(target);
      const csv = new PassThrough();
      const written = writeDemoCsv({ count: 2500, seed: 17, from: '2026-01-01', to: '2026-03-31' }, csv).then(
        () => csv.end(),
      );
      await importDeclarations(ctx.db, ctx.validation(), csv, { format: 'clearway', actor: 'test' });
      await written;
      model = trainRiskModel(await controlledDeclarations(ctx.db), [], {
        trees: 60,
        learningRate: 0.2,
        maxLeaves: 15,
      });
      const registered = await registerModel(ctx.db, model, { createdBy: 'test', source: 'database' });
      await activateModel(ctx.db, registered.id, 'test');
      ctx.risk.invalidate();
      await ctx.risk.assessPending('test');
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    test(`the base, the listed factors and the others make the model's log-odds for ${checked} declarations`, async () => {
      const ids = await ctx.db.query<{ id: number }>('SELECT id FROM declarations ORDER BY id LIMIT $1', [
        checked,
      ]);
      assert.equal(ids.length, checked);
      let listedOnly = 0;
      for (const { id } of ids) {
        const res = await server.request('GET', `/api/declarations/${id}/assessment`, {
          token: tokens.risk_analyst,
        });
        assert.equal(res.status, 200);
        const latest = res.body.latest as { explanation: Explanation | null; reasons: { kind: string }[] };
        const e = latest.explanation;
        assert.ok(e, `declaration ${id} has an explanation`);
        assert.equal(e.unit, 'log-odds');
        assert.ok(e.factors.length >= 1 && e.factors.length <= 5);
        const listed = e.factors.reduce((sum, f) => sum + f.contribution, 0);
        assert.ok(Math.abs(e.base + listed + e.others - e.total) < 1e-9, `declaration ${id} adds up`);

        // the total is what the model predicts for the declaration, computed apart from the API
        const [found] = await declarationsRepository.withItems(
          ctx.db,
          await ctx.db.query<Record<string, unknown> & { id: number }>(
            'SELECT * FROM declarations WHERE id = $1',
            [id],
          ),
        );
        assert.ok(found);
        const raw = model.fraud.predictRaw(model.encoder.encode(found as unknown as DeclarationInput));
        assert.ok(Math.abs(e.total - raw) < 1e-9, `declaration ${id}: ${e.total} vs ${raw}`);
        assert.ok(Math.abs(e.probability - 1 / (1 + Math.exp(-raw))) < 1e-12);
        if (Math.abs(e.base + listed - raw) > 0.05) listedOnly++;

        // the stored reasons carry the same explanation
        assert.equal(latest.reasons.filter((r) => r.kind === 'explanation').length, 1);
      }
      // without the base and the others, what was shown would not have added up
      assert.ok(listedOnly > checked / 2, `${listedOnly} of ${checked} need the others to add up`);
    });

    test('every stored assessment adds up, not only those read', async () => {
      const rows = await ctx.db.query<{ reasons: { kind: string; contribution?: number }[] }>(
        'SELECT reasons FROM risk_assessments',
      );
      const [assessed] = await ctx.db.query<{ n: number }>(
        'SELECT count(*)::int8 AS n FROM declarations WHERE lane IS NOT NULL',
      );
      assert.equal(rows.length, assessed?.n);
      assert.ok(rows.length > checked, `${rows.length} assessments`);
      for (const { reasons } of rows) {
        const e = reasons.find((r) => r.kind === 'explanation') as unknown as Explanation | undefined;
        assert.ok(e);
        const listed = reasons.reduce((sum, r) => sum + (r.kind === 'factor' ? (r.contribution ?? 0) : 0), 0);
        assert.ok(Math.abs(e.base + listed + e.others - e.total) < 1e-9);
      }
    });
  });
}
