/**
 * Assessment judges each unit value against the band the price reference publishes for its HS6 and
 * origin, an analyst's bounds first, through the real server on each storage engine: HS 630231
 * (bed linen of cotton) from CN in USD, whose statistics come from lodged declarations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { unitValueStatsFrom, type UnitValueBand } from '../declarations/unit-values.ts';
import { Role } from '../governance/roles.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

/** Unit values (per kg) of the declarations the reference is computed from: median 10, wide spread. */
const observed = [4, 5, 6, 8, 9, 10, 11, 12, 14, 18, 22];

interface PriceReason {
  kind: string;
  detector?: string;
  text?: string;
  price?: { unitValue: number; low: number; high: number };
}

for (const target of storageTargets()) {
  describe(`unit values against the published price band (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let published = { low: 0, high: 0 };

    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
      for (const unitValue of observed) await lodge(unitValue);
      const recomputed = await server.request('POST', '/api/risk/prices/recompute', {
        token: tokens.risk_analyst,
      });
      assert.equal(recomputed.status, 200);
      const band = await server.request('GET', '/api/risk/prices/630231?origin=CN&currency=USD', {
        token: tokens.officer,
      });
      assert.equal(band.status, 200);
      assert.equal(band.body.level, 'origin');
      published = { low: Number(band.body.low), high: Number(band.body.high) };
      // the band is wider than a third to three times the median, so the two rules disagree near its ends
      assert.ok(published.low < 10 / 3 && published.high > 30, JSON.stringify(published));
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    /** Lodges a declaration of 100 kg of bed linen from CN at `unitValue` USD per kg; its id and validation warnings. */
    async function lodge(unitValue: number, origin = 'CN'): Promise<{ id: number; warnings: string[] }> {
      const value = Math.round(unitValue * 100 * 100) / 100;
      const res = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration({
          invoiceTotal: value,
          originCountry: origin,
          items: [
            anItem({
              originCountry: origin,
              hsCode: '63023100',
              description: 'bed linen of cotton, woven',
              netMass: 100,
              grossMass: 110,
              supplementaryQuantity: 50,
              value,
            }),
          ],
        }),
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const warnings = (res.body.findings ?? []) as { code: string }[];
      return { id: Number(res.body.id), warnings: warnings.map((w) => w.code) };
    }

    /** The price anomalies of the latest assessment of a declaration. */
    async function priceAnomalies(id: number): Promise<PriceReason[]> {
      const res = await server.request('GET', `/api/declarations/${id}/assessment`, {
        token: tokens.risk_analyst,
      });
      assert.equal(res.status, 200);
      const latest = res.body.latest as { reasons: PriceReason[] };
      return latest.reasons.filter((r) => r.kind === 'anomaly' && r.detector === 'price-reference');
    }

    test('unit values inside the published band are no price anomaly, however far from the median', async () => {
      for (const unitValue of [published.low * 1.1, 2.9, 32.2, published.high * 0.9]) {
        const { id } = await lodge(unitValue);
        assert.deepEqual(await priceAnomalies(id), [], `unit value ${unitValue}`);
      }
    });

    test('unit values outside the published band are price anomalies naming the band', async () => {
      for (const unitValue of [published.low * 0.8, published.high * 1.25]) {
        const { id } = await lodge(unitValue);
        const [anomaly, ...more] = await priceAnomalies(id);
        assert.deepEqual(more, []);
        assert.ok(anomaly?.price, `unit value ${unitValue} against ${JSON.stringify(published)}`);
        assert.ok(Math.abs(anomaly.price.unitValue - unitValue) < 1e-3, `${anomaly.price.unitValue}`);
        assert.deepEqual([anomaly.price.low, anomaly.price.high], [published.low, published.high]);
        assert.match(anomaly.text ?? '', /the reference for origin CN/);
      }
    });

    test("after an analyst's bounds of 5 to 20, values outside them are anomalies and validation warns; inside they are not", async () => {
      const set = await server.request('PUT', '/api/risk/prices/overrides', {
        token: tokens.risk_analyst,
        body: { hs6: '630231', origin: 'CN', currency: 'USD', min: 5, max: 20, reason: 'market survey 2026' },
      });
      assert.equal(set.status, 200);
      const band = await server.request('GET', '/api/risk/prices/630231?origin=CN&currency=USD', {
        token: tokens.officer,
      });
      assert.deepEqual([band.body.low, band.body.high], [5, 20]);

      for (const [unitValue, side, warning] of [
        [4.0, 'below', 'unit_value_low'],
        [25.0, 'above', 'unit_value_high'],
      ] as const) {
        const { id, warnings } = await lodge(unitValue);
        const [anomaly] = await priceAnomalies(id);
        assert.match(
          anomaly?.text ?? '',
          new RegExp(`is ${side} the band 5\\.00 to 20\\.0 \\(a risk analyst's bound\\)`),
        );
        assert.deepEqual([anomaly?.price?.low, anomaly?.price?.high], [5, 20]);
        assert.ok(warnings.includes(warning), `validation warns with the same band: ${warnings.join(', ')}`);
      }
      for (const unitValue of [5.5, 19]) {
        const { id, warnings } = await lodge(unitValue);
        assert.deepEqual(await priceAnomalies(id), [], `unit value ${unitValue}`);
        assert.deepEqual(
          warnings.filter((w) => w.startsWith('unit_value_')),
          [],
        );
      }
    });

    test('removing the bounds brings back the published band', async () => {
      const removed = await server.request(
        'DELETE',
        '/api/risk/prices/overrides/630231?origin=CN&currency=USD',
        {
          token: tokens.risk_analyst,
        },
      );
      assert.equal(removed.status, 200);
      const { id } = await lodge(4.0);
      assert.deepEqual(await priceAnomalies(id), []);
    });

    test("an analyst's bounds for an origin without statistics of its own apply to it, not to other origins", async () => {
      const set = await server.request('PUT', '/api/risk/prices/overrides', {
        token: tokens.risk_analyst,
        body: { hs6: '630231', origin: 'VN', currency: 'USD', min: 5, max: 20, reason: 'VN mills survey' },
      });
      assert.equal(set.status, 200);
      const band = await server.request('GET', '/api/risk/prices/630231?origin=VN&currency=USD', {
        token: tokens.officer,
      });
      assert.deepEqual([band.status, band.body.low, band.body.high], [200, 5, 20]);

      const fromVietnam = await lodge(4.0, 'VN');
      const [anomaly] = await priceAnomalies(fromVietnam.id);
      assert.match(anomaly?.text ?? '', /is below the band 5\.00 to 20\.0 \(a risk analyst's bound\)/);
      assert.ok(fromVietnam.warnings.includes('unit_value_low'), fromVietnam.warnings.join(', '));
      const fromChina = await lodge(4.0, 'CN');
      assert.deepEqual(await priceAnomalies(fromChina.id), [], 'the bounds are for VN only');
    });

    test('an import worker, given the bands as plain values, finds the same band as the server', () => {
      const prices = ctx.prices();
      const inWorker = unitValueStatsFrom(structuredClone(prices.bands));
      for (const origin of ['CN', 'VN', 'AQ', undefined]) {
        const plain = (b: UnitValueBand | undefined) => b && [b.count, b.median, b.low, b.high];
        assert.deepEqual(
          plain(inWorker.band('630231', origin, 'USD')),
          plain(prices.band('630231', origin, 'USD')),
          `origin ${origin}`,
        );
      }
      assert.deepEqual(inWorker.band('630231', 'VN', 'USD')?.low, 5);
    });
  });
}
