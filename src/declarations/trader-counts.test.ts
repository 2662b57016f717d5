import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { writeDemoCsv } from '../demo/clearway-csv-writer.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { computeIndicators } from '../risk/indicators.ts';
import {
  aDeclaration,
  openTestContext,
  storageTargets,
  testTrader,
  type TestContext,
} from '../testing/harness.ts';
import { importDeclarations } from './importer.ts';
import type { DeclarationInput } from './model.ts';
import { declarationsRepository } from './repository.ts';
import { createDeclarationService } from './service.ts';
import type { DeclarationDraft } from './validate/index.ts';

const trader = (partyId: string): Actor => ({
  userId: 0,
  username: partyId.toLowerCase(),
  role: Role.Trader,
  partyId,
  offices: [],
});

for (const target of storageTargets()) {
  describe(`the count of each trader's declarations (${target})`, () => {
    let ctx: TestContext;
    before(async () => {
      // no random selection: the first declaration's green lane says it was assessed by the rules alone
      ctx = await openTestContext(target, { CLEARWAY_RANDOM_SHARE: '0' });
    });
    after(() => ctx.dispose());

    /** Each trader's count against its declarations counted one by one. */
    const counts = async () => ({
      kept: await ctx.db.query(
        'SELECT trader_id, declarations AS n FROM trader_history WHERE declarations <> 0 ORDER BY trader_id',
      ),
      stored: await ctx.db.query(
        'SELECT trader_id, count(*)::int8 AS n FROM declarations GROUP BY trader_id ORDER BY trader_id',
      ),
    });

    test('is kept as declarations are lodged, assessed or not, and imported; not by resubmissions or amendments', async () => {
      const assessed = createDeclarationService({
        db: ctx.db,
        validation: () => ctx.validation(),
        risk: ctx.risk,
      });
      const unassessed = createDeclarationService({ db: ctx.db, validation: () => ctx.validation() });
      const first = aDeclaration({ functionalReference: 'COUNT-1' });
      const lodged = await assessed.lodge(trader(testTrader), structuredClone(first) as DeclarationDraft);
      assert.ok(lodged.ok && lodged.value.created);
      assert.equal(lodged.value.declaration.lane, 'green');
      const again = await assessed.lodge(trader(testTrader), structuredClone(first) as DeclarationDraft);
      assert.ok(again.ok && !again.value.created);
      for (const k of [2, 3])
        assert.ok(
          (await assessed.lodge(trader(testTrader), aDeclaration({ functionalReference: `COUNT-${k}` }))).ok,
        );
      const amended = await assessed.amend(
        trader(testTrader),
        { kind: 'trader', traderId: testTrader },
        lodged.value.declaration.id,
        aDeclaration({ functionalReference: 'COUNT-1', invoiceTotal: 1300 }) as DeclarationDraft,
      );
      assert.ok(amended.ok, JSON.stringify(amended));
      assert.ok(
        (
          await unassessed.lodge(
            trader('TRADER-U'),
            aDeclaration({ trader: 'TRADER-U', functionalReference: 'U-1' }),
          )
        ).ok,
      );
      const csv = new PassThrough();
      const written = writeDemoCsv({ count: 60, seed: 3, from: '2026-01-01', to: '2026-03-31' }, csv).then(
        () => csv.end(),
      );
      const imported = await importDeclarations(ctx.db, ctx.validation(), csv, {
        format: 'clearway',
        actor: 'test',
      });
      await written;
      assert.ok(imported.accepted > 0);

      const { kept, stored } = await counts();
      assert.deepEqual(kept, stored);
      assert.deepEqual(
        kept.filter((r) => r.trader_id === testTrader || r.trader_id === 'TRADER-U'),
        [
          { trader_id: testTrader, n: 3 },
          { trader_id: 'TRADER-U', n: 1 },
        ],
      );
    });

    test('stays exact when a trader lodges many declarations at once', async () => {
      const service = createDeclarationService({
        db: ctx.db,
        validation: () => ctx.validation(),
        risk: ctx.risk,
      });
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, k) =>
          service.lodge(
            trader('TRADER-C'),
            aDeclaration({ trader: 'TRADER-C', functionalReference: `AT-ONCE-${k}` }) as DeclarationDraft,
          ),
        ),
      );
      assert.ok(results.every((r) => r.ok && r.value.created));
      const { kept, stored } = await counts();
      assert.deepEqual(kept, stored);
      assert.deepEqual(
        kept.filter((r) => r.trader_id === 'TRADER-C'),
        [{ trader_id: 'TRADER-C', n: 12 }],
      );
    });

    test('gives a declaration being accepted the same earlier declarations as counting them', async () => {
      const input = aDeclaration({ functionalReference: 'COUNT-NEW' }) as unknown as DeclarationInput;
      await assert.rejects(
        ctx.db.transaction(async (tx) => {
          const stored = await declarationsRepository.insert(tx, {
            input,
            findings: [],
            contentHash: 'hash',
            source: 'test',
            actor: 'test',
          });
          assert.ok(stored);
          const read = await computeIndicators(tx, ctx.prices(), input, stored.id, { newest: true });
          const counted = await computeIndicators(tx, ctx.prices(), input, stored.id);
          assert.deepEqual(read, counted);
          assert.equal(read.traderDeclarations, 3);
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
    });
  });
}
