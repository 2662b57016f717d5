import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DeclarationInput } from '../declarations/model.ts';
import { Role } from '../governance/roles.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  testTrader,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { computeIndicators, computeIndicatorsBatch } from './indicators.ts';

for (const target of storageTargets()) {
  describe(`risk indicators (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    const ids: number[] = [];
    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
      // twelve smartphone declarations from China at 100 USD/kg make a price reference
      for (let i = 0; i < 12; i++) {
        const res = await server.request('POST', '/api/declarations', {
          token: tokens.trader,
          body: aDeclaration({
            invoiceTotal: 1000,
            items: [anItem({ value: 1000, netMass: 10, grossMass: 11 })],
          }),
        });
        ids.push(Number(res.body.id));
      }
      await server.request('POST', `/api/declarations/${ids[0]}/control-results`, {
        token: tokens.officer,
        body: { outcome: 'non_compliant', irregularity: 'undervaluation' },
      });
      for (const id of ids.slice(1, 4))
        await server.request('POST', `/api/declarations/${id}/control-results`, {
          token: tokens.officer,
          body: { outcome: 'compliant' },
        });
      await ctx.refreshPrices();
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    const declaration = (items: Record<string, unknown>[]) =>
      aDeclaration({ invoiceTotal: 1, items }) as unknown as DeclarationInput;

    test('the trader history counts earlier declarations and the hit rate of their controls', async () => {
      const x = await computeIndicators(ctx.db, ctx.prices(), declaration([anItem()]));
      assert.equal(x.traderDeclarations, 12);
      assert.equal(x.traderHitRate, 0.25);
      const fifth = await computeIndicators(ctx.db, ctx.prices(), declaration([anItem()]), ids[4]);
      assert.deepEqual([fifth.traderDeclarations, fifth.traderHitRate], [4, 0.25]);
      const second = await computeIndicators(ctx.db, ctx.prices(), declaration([anItem()]), ids[1]);
      assert.deepEqual([second.traderDeclarations, second.traderHitRate], [1, 1]);
      const first = await computeIndicators(ctx.db, ctx.prices(), declaration([anItem()]), ids[0]);
      assert.equal(first.traderDeclarations, 0);
      assert.ok(Number.isNaN(first.traderHitRate));
    });

    test('indicators of a batch equal those computed one declaration at a time', async () => {
      // the stored declarations are all alike; the fourth declares new goods from a new origin
      const stored = ids.map((id) => ({ id, input: declaration([anItem()]) }));
      stored[3] = {
        id: ids[3] ?? 0,
        input: declaration([anItem({ hsCode: '610910', originCountry: 'VN' })]),
      };
      const batch = await computeIndicatorsBatch(ctx.db, ctx.prices(), stored.slice(2));
      for (const [k, b] of stored.slice(2).entries()) {
        const one = await computeIndicators(ctx.db, ctx.prices(), b.input, b.id);
        const history = batch[k];
        assert.deepEqual(
          [history?.traderDeclarations, history?.firstUseOfHs, history?.firstUseOfOrigin],
          [one.traderDeclarations, one.firstUseOfHs, one.firstUseOfOrigin],
          `declaration ${b.id}`,
        );
        assert.ok(Object.is(history?.traderHitRate, one.traderHitRate), `hit rate of ${b.id}`);
      }
    });

    test('unit values are compared with the price reference of the HS6 and origin', async () => {
      const x = await computeIndicators(
        ctx.db,
        ctx.prices(),
        declaration([anItem({ value: 250, netMass: 10 }), anItem({ sequence: 2, value: 1000, netMass: 10 })]),
      );
      assert.deepEqual(
        x.unitValueRatio.map((r) => Math.round(r * 100) / 100),
        [0.25, 1],
      );
      const unknown = await computeIndicators(
        ctx.db,
        ctx.prices(),
        declaration([anItem({ hsCode: '610910' })]),
      );
      assert.ok(Number.isNaN(unknown.unitValueRatio[0]));
    });

    test('a first use of an HS code or an origin is noticed per item', async () => {
      const x = await computeIndicators(
        ctx.db,
        ctx.prices(),
        declaration([anItem(), anItem({ sequence: 2, hsCode: '610910', originCountry: 'VN' })]),
      );
      assert.deepEqual(x.firstUseOfHs, [false, true]);
      assert.deepEqual(x.firstUseOfOrigin, [false, true]);
    });

    test('a trader without history has no hit rate and uses everything for the first time', async () => {
      const x = await computeIndicators(ctx.db, ctx.prices(), {
        ...declaration([anItem()]),
        trader: `${testTrader}-NEW`,
      });
      assert.deepEqual(
        [x.traderDeclarations, Number.isNaN(x.traderHitRate), x.firstUseOfHs, x.firstUseOfOrigin],
        [0, true, [true], [true]],
      );
    });
  });
}
