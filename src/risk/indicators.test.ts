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
import { computeIndicators, computeIndicatorsBatch, ownControls, recordHistory } from './indicators.ts';

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

    test('the trader history counts earlier declarations and the hit rate of its controls', async () => {
      const x = await computeIndicators(ctx.db, ctx.prices(), declaration([anItem()]));
      assert.equal(x.traderDeclarations, 12);
      assert.equal(x.traderHitRate, 0.25);
      // declarations are counted before the one assessed; the control record is the trader's to date
      const fifth = await computeIndicators(ctx.db, ctx.prices(), declaration([anItem()]), ids[4]);
      assert.deepEqual([fifth.traderDeclarations, fifth.traderHitRate], [4, 0.25]);
      const first = await computeIndicators(ctx.db, ctx.prices(), declaration([anItem()]), ids[0]);
      assert.deepEqual(
        [first.traderDeclarations, first.firstUseOfHs, first.firstUseOfOrigin],
        [0, [true], [true]],
      );
    });

    test('indicators of a batch equal those of assessing its declarations one after another', async () => {
      // the trader's declarations as if never assessed: no lane, nothing learned of the trader
      await ctx.db.query('UPDATE declarations SET lane = NULL WHERE trader_id = $1', [testTrader]);
      await ctx.db.query('DELETE FROM trader_goods WHERE trader_id = $1', [testTrader]);
      await ctx.db.query('DELETE FROM trader_history WHERE trader_id = $1', [testTrader]);
      // stored declarations are all alike; the fourth is taken to declare new goods from a new origin
      const stored = ids.map((id) => ({ id, input: declaration([anItem()]) }));
      stored[3] = {
        id: ids[3] ?? 0,
        input: declaration([anItem({ hsCode: '610910', originCountry: 'VN' })]),
      };
      const batch = await computeIndicatorsBatch(ctx.db, ctx.prices(), stored);
      const controls = await ownControls(
        ctx.db,
        stored.map((b) => b.id),
      );
      for (const [k, b] of stored.entries()) {
        const one = await computeIndicators(ctx.db, ctx.prices(), b.input, b.id);
        await recordHistory(ctx.db, [{ ...b, controls: 0, positives: 0, ...controls.get(b.id) }]);
        assert.deepEqual(batch[k], one, `declaration ${b.id}`);
      }
      assert.deepEqual(
        batch.map((x) => [x.traderDeclarations, x.traderHitRate]),
        ids.map((_, k) => [k, k === 0 ? NaN : k < 4 ? 1 / k : 0.25]),
      );
      assert.deepEqual(
        batch.map((x) => x.firstUseOfHs[0]),
        ids.map((_, k) => k === 0 || k === 3),
      );
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
        declaration([anItem(), anItem({ sequence: 2, hsCode: '620342', originCountry: 'BD' })]),
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
