/**
 * Each trader's goods per finest cell, read from the stored declarations on each engine: whatever a
 * trader's identifier holds comes back as it was stored, and the sums and counts are those of the
 * goods, in cents, grams and thousandths.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestContext, storageTargets, type TestContext } from '../testing/harness.ts';
import { storeGoods } from '../testing/open-data.ts';
import { readContributions } from './contributions.ts';

const scope = { from: '2026-10', to: '2026-10', currency: 'USD' };
// identifiers no trader should have, which a direct write to the database could still leave
const awkward = ['A,"B"', 'line\nbreak', 'tab\there', 'back\\slash', 'Ünïcødé ✓', '[1,2]'];

for (const target of storageTargets()) {
  describe(`contributions to the release's cells (${target})`, () => {
    let ctx: TestContext;

    before(async () => {
      ctx = await openTestContext(target);
      for (const trader of awkward)
        await storeGoods(ctx.db, { trader, hs: '09011100', country: 'BR', value: 10.25 });
      // one trader, two declarations in the same cell: one contribution of two declarations
      await storeGoods(ctx.db, { trader: 'T', hs: '09011100', country: 'BR', value: 1 });
      await storeGoods(ctx.db, { trader: 'T', hs: '09011190', country: 'BR', value: 2.5 });
      await storeGoods(ctx.db, { type: 'EX', trader: 'T', hs: '61091000', country: 'DE', value: 80 });
    });
    after(() => ctx.dispose());

    test("every trader's identifier comes back as stored", async () => {
      const read = await readContributions(ctx.db, scope);
      assert.deepEqual(
        read
          .filter((c) => c.trader !== 'T')
          .map((c) => c.trader)
          .sort(),
        [...awkward].sort(),
      );
      for (const c of read.filter((c) => c.trader !== 'T'))
        assert.deepEqual(
          { ...c, trader: '' },
          {
            flow: 'imports',
            month: '2026-10',
            procedure: '4000',
            hs6: '090111',
            partner: 'BR',
            trader: '',
            value: 1025,
            netMass: 10500,
            supplementary: 2000,
            declarations: 1,
          },
        );
    });

    test("a trader's declarations in one cell make one contribution; each flow its own", async () => {
      const own = (await readContributions(ctx.db, scope)).filter((c) => c.trader === 'T');
      assert.deepEqual(own.map((c) => [c.flow, c.hs6, c.partner, c.value, c.declarations]).sort(), [
        ['exports', '610910', 'DE', 8000, 1],
        ['imports', '090111', 'BR', 350, 2],
      ]);
    });
  });
}
