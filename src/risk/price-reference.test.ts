import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { writeDemoCsv } from '../demo/clearway-csv-writer.ts';
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

for (const target of storageTargets()) {
  describe(`the price reference (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    before(async () => {
      ctx = await openTestContext(target);
      const csv = new PassThrough();
      const written = writeDemoCsv({ count: 4000, seed: 5, from: '2026-01-01', to: '2026-06-30' }, csv).then(
        () => csv.end(),
      );
      await importDeclarations(ctx.db, ctx.validation(), csv, { format: 'clearway', actor: 'test' });
      await written;
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });
    const asAnalyst = (method: string, path: string, body?: unknown) =>
      server.request(method, path, { token: tokens.risk_analyst, body });

    test('recomputing builds statistics per HS6 and origin and over every origin, with ordered percentiles', async () => {
      const res = await asAnalyst('POST', '/api/risk/prices/recompute');
      assert.equal(res.status, 200);
      assert.ok(Number(res.body.entries) > 10);
      const [check] = await ctx.db.query<{ bad: number; fallback: number }>(
        `SELECT count(*) FILTER (WHERE NOT (p05 <= p25 AND p25 <= p50 AND p50 <= p75 AND p75 <= p95))::int8 AS bad,
                count(*) FILTER (WHERE origin = '')::int8 AS fallback FROM price_reference`,
      );
      assert.equal(check?.bad, 0);
      assert.ok((check?.fallback ?? 0) > 0);
    });

    test('the count of a statistic is the number of items it was computed from', async () => {
      const [entry] = await ctx.db.query<{ hs6: string; currency: string; n: number }>(
        "SELECT hs6, currency, n FROM price_reference WHERE origin = '' ORDER BY n DESC LIMIT 1",
      );
      assert.ok(entry);
      const [count] = await ctx.db.query<{ n: number }>(
        `SELECT count(*)::int8 AS n FROM declaration_items i JOIN declarations d ON d.id = i.declaration_id
         WHERE substr(i.hs_code, 1, 6) = $1 AND d.currency = $2 AND i.net_mass > 0 AND i.value > 0`,
        [entry.hs6, entry.currency],
      );
      assert.equal(count?.n, entry.n);
    });

    test('a look-up falls back to the HS6 over every origin when the origin has no statistics', async () => {
      const [entry] = await ctx.db.query<{ hs6: string; origin: string; currency: string }>(
        "SELECT hs6, origin, currency FROM price_reference WHERE origin <> '' LIMIT 1",
      );
      assert.ok(entry);
      const specific = await asAnalyst(
        'GET',
        `/api/risk/prices/${entry.hs6}?origin=${entry.origin}&currency=${entry.currency}`,
      );
      assert.deepEqual(
        [specific.status, specific.body.level, specific.body.origin],
        [200, 'origin', entry.origin],
      );
      const fallback = await asAnalyst(
        'GET',
        `/api/risk/prices/${entry.hs6}?origin=AQ&currency=${entry.currency}`,
      );
      assert.deepEqual([fallback.status, fallback.body.level, fallback.body.origin], [200, 'hs6', '']);
      assert.ok(
        Number(fallback.body.low) < Number(fallback.body.p50) &&
          Number(fallback.body.p50) < Number(fallback.body.high),
      );
    });

    test("an analyst's bounds take precedence over the computed band until removed", async () => {
      const [entry] = await ctx.db.query<{ hs6: string; currency: string }>(
        "SELECT hs6, currency FROM price_reference WHERE origin = '' LIMIT 1",
      );
      assert.ok(entry);
      const set = await asAnalyst('PUT', '/api/risk/prices/overrides', {
        hs6: entry.hs6,
        currency: entry.currency,
        min: 1.5,
        max: 99,
        reason: 'customs laboratory survey',
      });
      assert.equal(set.status, 200);
      const looked = await asAnalyst('GET', `/api/risk/prices/${entry.hs6}?currency=${entry.currency}`);
      assert.deepEqual([looked.body.low, looked.body.high], [1.5, 99]);
      assert.equal((looked.body.override as { setBy: string }).setBy, 'risk-analyst');
      const removed = await asAnalyst(
        'DELETE',
        `/api/risk/prices/overrides/${entry.hs6}?currency=${entry.currency}`,
      );
      assert.equal(removed.status, 200);
      const again = await asAnalyst('GET', `/api/risk/prices/${entry.hs6}?currency=${entry.currency}`);
      assert.notEqual(again.body.low, 1.5);
    });

    test('bounds the wrong way round are refused', async () => {
      const res = await asAnalyst('PUT', '/api/risk/prices/overrides', {
        hs6: '610910',
        currency: 'USD',
        min: 10,
        max: 1,
        reason: 'typo',
      });
      assert.deepEqual([res.status, res.body.error], [400, 'invalid_request']);
    });

    test('browsing pages through every statistic once, in order', async () => {
      const seen: string[] = [];
      let cursor: unknown = null;
      do {
        const res = await server.request(
          'GET',
          `/api/risk/prices?limit=7${cursor ? `&after=${encodeURIComponent(String(cursor))}` : ''}`,
          { token: tokens.officer },
        );
        assert.equal(res.status, 200);
        const items = res.body.items as { hs6: string; origin: string; currency: string }[];
        seen.push(...items.map((e) => `${e.hs6}|${e.origin}|${e.currency}`));
        cursor = res.body.nextCursor;
      } while (cursor);
      const [total] = await ctx.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM price_reference');
      assert.equal(seen.length, total?.n);
      assert.equal(new Set(seen).size, seen.length);
    });
  });
}
