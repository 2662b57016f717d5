import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { importDeclarations } from '../declarations/importer.ts';
import { Role } from '../governance/roles.ts';
import {
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { activeModel, registerModel } from './registry.ts';
import { trainOnControls } from './retrain.ts';
import { trainRiskModel } from './risk-model.ts';
import { controlledDeclarations } from './training-data.ts';
import { dataFile } from '../reference/reference-dir.ts';

const validCsv = dataFile('kcs/valid.csv');

for (const target of storageTargets()) {
  describe(`the model registry (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    before(async () => {
      ctx = await openTestContext(target);
      await importDeclarations(ctx.db, ctx.validation(), createReadStream(validCsv), {
        format: 'kcs',
        actor: 'test',
      });
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    test('training data are the controlled declarations with their latest result', async () => {
      const rows = await controlledDeclarations(ctx.db);
      assert.equal(rows.length, 8_134);
      assert.equal(rows.filter((r) => r.fraud).length, 1_704);
      assert.ok(rows.every((r) => r.declaration.items.length === 1));
    });

    test('a registered model is inactive until an analyst activates it; one is active at a time', async () => {
      const rows = await controlledDeclarations(ctx.db);
      const small = { trees: 20, learningRate: 0.2, maxLeaves: 15 };
      const first = await registerModel(ctx.db, trainRiskModel(rows, [], small), {
        createdBy: 'test',
        source: 'database',
      });
      const second = await registerModel(ctx.db, trainRiskModel(rows.slice(0, 5000), [], small), {
        createdBy: 'test',
        source: 'database',
      });
      assert.equal(await activeModel(ctx.db), null);
      const list = await server.request('GET', '/api/risk/models', { token: tokens.risk_analyst });
      const models = list.body.models as {
        id: number;
        active: boolean;
        allowed: string[];
        rows: number;
        windowFrom: string;
      }[];
      assert.deepEqual(
        models.map((m) => m.id),
        [second.id, first.id],
      );
      assert.deepEqual(models[1]?.allowed, ['activate']);
      assert.deepEqual([models[1]?.rows, models[1]?.windowFrom], [8_134, '2021-01-01']);
      assert.equal(
        (
          await server.request('POST', `/api/risk/models/${first.id}/activate`, {
            token: tokens.risk_analyst,
          })
        ).status,
        200,
      );
      assert.equal((await activeModel(ctx.db))?.id, first.id);
      const again = await server.request('POST', `/api/risk/models/${second.id}/activate`, {
        token: tokens.risk_analyst,
      });
      assert.deepEqual(
        [again.status, again.body.active, again.body.activatedBy],
        [200, true, 'risk-analyst'],
      );
      const active = await ctx.db.query<{ id: number }>('SELECT id FROM risk_models WHERE active');
      assert.deepEqual(
        active.map((r) => r.id),
        [second.id],
      );
      const loaded = await activeModel(ctx.db);
      assert.ok(loaded && loaded.model.fraud.treeCount > 0);
      // a model already loaded is kept while it is the active one, and read again once another is
      assert.equal(await activeModel(ctx.db, loaded), loaded);
      const stale = await activeModel(ctx.db, { id: first.id, model: loaded.model });
      assert.ok(stale && stale.id === second.id && stale.model !== loaded.model);
    });

    test('a model trained on the control history is registered with its measures on the latest tenth', async () => {
      const trained = await trainOnControls(ctx.db, 'test');
      assert.ok(trained.ok);
      const { metrics, registered } = trained;
      // 8,134 controlled declarations: the latest 814 in time are held out and measured
      assert.deepEqual([trained.holdout, metrics.n, registered.rows], [814, 814, 7_320]);
      assert.deepEqual(Object.keys(metrics.precisionAt).sort(), ['1', '10', '2', '5']);
      assert.ok(metrics.auc > 0.7 && metrics.auc <= 1, `AUC ${metrics.auc}`);
      // better than always predicting the held-out rate, whose Brier score is rate × (1 - rate)
      const rate = metrics.positives / metrics.n;
      assert.ok(metrics.brier !== undefined && metrics.brier > 0 && metrics.brier < rate * (1 - rate));
      const list = await server.request('GET', '/api/risk/models', { token: tokens.auditor });
      const shown = (list.body.models as { id: number; metrics: unknown }[]).find(
        (m) => m.id === registered.id,
      );
      assert.deepEqual(shown?.metrics, metrics);
    });

    test('activating a version that does not exist is a 404 and changes nothing', async () => {
      const before = await activeModel(ctx.db);
      const res = await server.request('POST', '/api/risk/models/999999/activate', {
        token: tokens.risk_analyst,
      });
      assert.deepEqual([res.status, res.body.error], [404, 'not_found']);
      assert.equal((await activeModel(ctx.db))?.id, before?.id);
    });
  });
}
