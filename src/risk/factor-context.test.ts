/**
 * The model factors of a declaration's latest assessment carry the declaration's value and the
 * reference it stands against, computed here apart from the code that serves them: unit values
 * from the items, the unit value against the HS6's median with the median of the training rows'
 * main items, the plain unit value beside the price reference's table, a trader's or office's
 * history by counting the training declarations; earlier assessments and every existing field stay
 * as they were. The lane thresholds are those stored with the assessment; a model the code can no
 * longer read leaves the assessment served without context. Through the real server on each engine.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
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
import { activateModel, registerModel } from './registry.ts';
import { trainRiskModel } from './risk-model.ts';
import { controlledDeclarations } from './training-data.ts';

interface Factor {
  feature: string;
  contribution: number;
  value?: number | null;
  unit?: string | null;
  subject?: string[] | null;
  reference?: Record<string, unknown> | null;
}
interface View {
  explanation: { factors: Factor[] } | null;
  reasons: { kind: string; feature?: string }[];
  thresholds?: { red: number; yellow: number; blue: number };
}

const checked = 120;

for (const target of storageTargets()) {
  describe(`the factors of an assessment, with value and reference (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let training: Labelled[];
    /** Per HS6 with five or more: the median unit value of the training rows' main items. */
    const trainingMedians = new Map<string, number>();

    before(async () => {
      ctx = await openTestContext(target);
      const csv = new PassThrough();
      const written = writeDemoCsv({ count: 2000, seed: 29, from: '2026-01-01', to: '2026-03-31' }, csv).then(
        () => csv.end(),
      );
      await importDeclarations(ctx.db, ctx.validation(), csv, { format: 'clearway', actor: 'test' });
      await written;
      await ctx.refreshPrices();
      training = await controlledDeclarations(ctx.db);
      const ratios = new Map<string, number[]>();
      for (const { declaration: d } of training) {
        // the main item: the first of the greatest value
        const main = d.items.reduce((best, it) => (it.value > best.value ? it : best));
        if (!main.netMass || main.netMass <= 0 || main.value <= 0) continue;
        const hs6 = main.hsCode.slice(0, 6);
        ratios.set(hs6, [...(ratios.get(hs6) ?? []), main.value / main.netMass]);
      }
      for (const [hs6, list] of ratios) {
        if (list.length < 5) continue;
        list.sort((a, b) => a - b);
        trainingMedians.set(hs6, list[Math.floor(list.length / 2)] as number);
      }
      const model = trainRiskModel(training, [], { trees: 40, learningRate: 0.2, maxLeaves: 15 });
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

    test('unit values and histories stand against references computed apart from the server', async () => {
      const ids = await ctx.db.query<{ id: number }>('SELECT id FROM declarations ORDER BY id LIMIT $1', [
        checked,
      ]);
      const seen = { unitValue: 0, priceMedian: 0, trainingMedian: 0, history: 0, headerHistory: 0 };
      for (const { id } of ids) {
        const res = await server.request('GET', `/api/declarations/${id}/assessment`, {
          token: tokens.officer,
        });
        assert.equal(res.status, 200);
        const latest = res.body.latest as View;
        // assessed under the settings of this context: the thresholds stored with it are those
        assert.deepEqual(latest.thresholds, ctx.risk.settings.policy.thresholds);
        const factors = latest.explanation?.factors ?? [];
        assert.ok(factors.length > 0, `declaration ${id} has factors`);
        // the reasons keep their shape: feature and contribution only
        for (const r of latest.reasons.filter((r) => r.kind === 'factor'))
          assert.deepEqual(Object.keys(r).sort(), ['contribution', 'feature', 'kind']);
        const [d] = await ctx.db.query<{ currency: string; trader_id: string; office: string }>(
          'SELECT currency, trader_id, office FROM declarations WHERE id = $1',
          [id],
        );
        assert.ok(d);
        const items = await ctx.db.query<{
          hs_code: string;
          origin_country: string | null;
          value: number;
          net_mass: number | null;
        }>(
          'SELECT hs_code, origin_country, value::float8 AS value, net_mass::float8 AS net_mass FROM declaration_items WHERE declaration_id = $1 ORDER BY value DESC, sequence',
          [id],
        );
        for (const f of factors) {
          assert.ok('value' in f && 'reference' in f && 'subject' in f, `${f.feature} has its context`);
          if (f.feature === 'logUnitValue' || f.feature === 'unitValueVsHs6') {
            const value = items.reduce((s, it) => s + it.value, 0);
            const mass = items.reduce((s, it) => s + (it.net_mass ?? 0), 0);
            assert.ok(Math.abs((f.value ?? NaN) - value / mass) < 1e-9 * (value / mass), `${id} unit value`);
            assert.equal(f.unit, `${d.currency}/kg`);
            const ref = f.reference;
            const main = items[0];
            assert.ok(main);
            const hs6 = main.hs_code.slice(0, 6);
            if (f.feature === 'unitValueVsHs6') {
              // what the model compared the unit value with: the training median of the HS6
              const median = trainingMedians.get(hs6);
              if (median === undefined) {
                assert.equal(ref, null, `${id}: no training median for ${hs6}`);
                continue;
              }
              assert.ok(ref, `${id}: the training median of ${hs6}`);
              assert.deepEqual(Object.keys(ref).sort(), ['currency', 'hs6', 'kind', 'median']);
              assert.equal(ref.kind, 'training_median');
              assert.equal(ref.hs6, hs6);
              assert.equal(ref.currency, null, 'the training median has no single currency');
              assert.ok(
                Math.abs(Number(ref.median) - median) < 1e-9 * median,
                `${id}: ${String(ref.median)}`,
              );
              seen.trainingMedian++;
              continue;
            }
            if (!ref) {
              // no reference only when the price reference has none for the HS6 and origin or over every origin
              const rows: unknown[] = await ctx.db.query(
                "SELECT 1 FROM price_reference WHERE hs6 = $1 AND origin IN ($2, '') AND currency = $3",
                [hs6, main.origin_country ?? '', d.currency],
              );
              assert.equal(rows.length, 0, `${id}: a price reference exists`);
              continue;
            }
            assert.equal(ref.hs6, hs6);
            seen.unitValue++;
            // the plain unit value stands beside the published price reference only
            assert.equal(ref.kind, 'price_median');
            seen.priceMedian++;
            const [p]: { p50: number; n: number }[] = await ctx.db.query<{ p50: number; n: number }>(
              'SELECT p50::float8 AS p50, n FROM price_reference WHERE hs6 = $1 AND origin = $2 AND currency = $3',
              [ref.hs6, ref.origin ?? '', d.currency],
            );
            assert.ok(p, `the price reference has ${String(ref.hs6)}/${String(ref.origin)}`);
            assert.ok(Math.abs(Number(ref.median) - p.p50) < 1e-9 * p.p50);
            assert.equal(ref.observations, Number(p.n));
            assert.equal(ref.currency, d.currency);
            if (ref.origin !== null) assert.equal(ref.origin, main.origin_country);
          }
          const category = /^(.+):(rate|count)$/.exec(f.feature)?.[1];
          if (category && f.reference) {
            seen.history++;
            const ref = f.reference;
            assert.equal(ref.kind, 'history');
            assert.ok(Number(ref.irregular) <= Number(ref.declarations));
            const overall = training.reduce((s, l) => s + l.fraud, 0) / training.length;
            assert.ok(Math.abs(Number(ref.overallRate) - overall) < 1e-12);
            const field = category === 'trader' ? 'trader' : category === 'office' ? 'office' : null;
            if (field) {
              seen.headerHistory++;
              const expected: string = field === 'trader' ? d.trader_id : d.office;
              assert.deepEqual(f.subject, [expected]);
              const same = training.filter((l) => l.declaration[field] === expected);
              assert.equal(ref.declarations, same.length, `${id}: ${category} ${expected}`);
              assert.equal(
                ref.irregular,
                same.reduce((s, l) => s + l.fraud, 0),
              );
            }
          }
        }
      }
      assert.ok(
        seen.priceMedian > 0 && seen.trainingMedian > 0 && seen.history > 0 && seen.headerHistory > 0,
        JSON.stringify(seen),
      );
    });

    test('earlier assessments are served as before, without the context of the declaration as it is now', async () => {
      const [row] = await ctx.db.query<{ id: number }>('SELECT id FROM declarations ORDER BY id LIMIT 1');
      assert.ok(row);
      const res = await server.request('GET', `/api/declarations/${row.id}/assessment`, {
        token: tokens.auditor,
      });
      assert.equal(res.status, 200);
      const history = res.body.history as View[];
      assert.ok(history.length >= 1);
      for (const a of history) {
        // the thresholds stored with each assessment, not the declaration's context
        assert.deepEqual(a.thresholds, ctx.risk.settings.policy.thresholds);
        for (const f of a.explanation?.factors ?? [])
          assert.deepEqual(Object.keys(f).sort(), ['contribution', 'feature']);
      }
    });

    test('the thresholds served are those stored with the assessment; none when it has none', async () => {
      const [a, b] = await ctx.db.query<{ id: number; declaration_id: number; thresholds: unknown }>(
        `SELECT DISTINCT ON (declaration_id) id, declaration_id, thresholds FROM risk_assessments
         ORDER BY declaration_id, id DESC LIMIT 2`,
      );
      assert.ok(a && b);
      // a new assessment keeps the thresholds of the policy it was made with
      assert.deepEqual(a.thresholds, ctx.risk.settings.policy.thresholds);
      const then = { red: 0.9, yellow: 0.6, blue: 0.3 };
      assert.notDeepEqual(then, ctx.risk.settings.policy.thresholds);
      await ctx.db.query('UPDATE risk_assessments SET thresholds = $1::jsonb WHERE id = $2', [
        JSON.stringify(then),
        a.id,
      ]);
      await ctx.db.query('UPDATE risk_assessments SET thresholds = NULL WHERE id = $1', [b.id]);
      const read = async (id: number) => {
        const res = await server.request('GET', `/api/declarations/${id}/assessment`, {
          token: tokens.officer,
        });
        assert.equal(res.status, 200);
        return res.body.latest as View;
      };
      assert.deepEqual((await read(a.declaration_id)).thresholds, then);
      const older = await read(b.declaration_id);
      assert.ok(!('thresholds' in older), 'an assessment stored without thresholds is served without them');
      assert.ok(older.explanation, 'and with the rest as before');
    });

    test("an assessment whose model this code can no longer read is served without the factors' context", async () => {
      const [row] = await ctx.db.query<{ id: number; declaration_id: number; model_id: number }>(
        `SELECT DISTINCT ON (declaration_id) id, declaration_id, model_id FROM risk_assessments
         WHERE model_id IS NOT NULL ORDER BY declaration_id DESC, id DESC LIMIT 1`,
      );
      assert.ok(row);
      const [stored] = await ctx.db.query<{ model: string }>('SELECT model FROM risk_models WHERE id = $1', [
        row.model_id,
      ]);
      assert.ok(stored);
      const json = JSON.parse(stored.model) as { features: string[] };
      json.features = [...json.features, 'aFeatureOfAnotherVersion'];
      const [other] = await ctx.db.query<{ id: number }>(
        `INSERT INTO risk_models (created_by, source, window_from, window_to, rows, positives, features, metrics, model)
         SELECT created_by, source, window_from, window_to, rows, positives, features, metrics, $1
         FROM risk_models WHERE id = $2 RETURNING id`,
        [JSON.stringify(json), row.model_id],
      );
      assert.ok(other);
      await ctx.db.query('UPDATE risk_assessments SET model_id = $1 WHERE id = $2', [other.id, row.id]);
      const res = await server.request('GET', `/api/declarations/${row.declaration_id}/assessment`, {
        token: tokens.officer,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const latest = res.body.latest as View & { modelId: number };
      assert.equal(latest.modelId, other.id);
      const factors = latest.explanation?.factors ?? [];
      assert.ok(factors.length > 0, 'the factors are served');
      for (const f of factors) assert.deepEqual(Object.keys(f).sort(), ['contribution', 'feature']);
    });

    test('traders and declarants are refused the assessment', async () => {
      const [row] = await ctx.db.query<{ id: number }>('SELECT id FROM declarations ORDER BY id LIMIT 1');
      assert.ok(row);
      for (const role of [Role.Trader, Role.Declarant]) {
        const res = await server.request('GET', `/api/declarations/${row.id}/assessment`, {
          token: tokens[role],
        });
        assert.equal(res.status, 403, role);
      }
    });
  });
}
