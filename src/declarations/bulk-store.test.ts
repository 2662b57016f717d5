import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import { openTestContext, storageTargets, type TestContext } from '../testing/harness.ts';
import { storeBatch } from './bulk-store.ts';
import { importDeclarations } from './importer.ts';
import { prepareDeclarations, type EncodedDeclaration } from './prepare.ts';

const references = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);

for (const target of storageTargets()) {
  describe(`imports of overlapping files at once (${target})`, () => {
    let ctx: TestContext;
    before(async () => {
      ctx = await openTestContext(target);
    });
    after(() => ctx.dispose());

    const importFile = (refs: string[], invoice = '1200') =>
      importDeclarations(
        ctx.db,
        ctx.validation(),
        Readable.from([clearwayCsv(refs.map((r) => aClearwayRow(r, { invoice_total: invoice })))]),
        { format: 'clearway', actor: 'import', batchSize: 50 },
      );

    /** Per reference: how many declarations, items and events it has. */
    async function stored(prefix: string) {
      return ctx.db.query<{ declarations: number; items: number; events: number }>(
        `SELECT count(DISTINCT d.id)::int4 AS declarations,
                (SELECT count(*) FROM declaration_items i JOIN declarations x ON x.id = i.declaration_id
                 WHERE x.functional_reference LIKE $1)::int4 AS items,
                (SELECT count(*) FROM declaration_events e JOIN declarations x ON x.id = e.declaration_id
                 WHERE x.functional_reference LIKE $1)::int4 AS events
         FROM declarations d WHERE d.functional_reference LIKE $1`,
        [`${prefix}-%`],
      );
    }

    /** The declarations of a file, validated and encoded as an import stores them. */
    async function prepared(refs: string[]): Promise<EncodedDeclaration[]> {
      const out: EncodedDeclaration[] = [];
      const csv = clearwayCsv(refs.map((r) => aClearwayRow(r)));
      for await (const batch of prepareDeclarations(Readable.from([csv]), 'clearway', ctx.validation())) {
        assert.deepEqual(batch.rejected, []);
        out.push(...batch.accepted);
      }
      return out;
    }

    test('batches storing the same declarations at the same moment, in any order, store each once', async () => {
      const meta = { source: 'clearway', actor: 'import' };
      for (let round = 0; round < 6; round++) {
        const refs = references(`ROUND${round}`, 0, 80);
        // four stores of overlapping halves, two of them in the opposite order
        const files = await Promise.all([
          prepared(refs),
          prepared([...refs].reverse()),
          prepared(refs.slice(20, 60)),
          prepared(refs.slice(40).reverse()),
        ]);
        const outcomes = await Promise.all(files.map((rows) => storeBatch(ctx.db, rows, meta)));
        assert.deepEqual(
          [
            outcomes.reduce((n, o) => n + o.stored, 0),
            outcomes.reduce((n, o) => n + o.duplicates.length, 0),
            outcomes.reduce((n, o) => n + o.conflicts.length, 0),
          ],
          [80, 80 + 40 + 40, 0],
        );
        assert.deepEqual(await stored(`ROUND${round}`), [{ declarations: 80, items: 80, events: 160 }]);
      }
    });

    test('each declaration is stored once and the others are counted as duplicates, whatever the order of the files', async () => {
      const first = references('OVERLAP', 0, 400);
      // the second file overlaps the first by half, in the opposite order
      const second = references('OVERLAP', 200, 600).reverse();
      const [a, b] = await Promise.all([importFile(first), importFile(second)]);
      assert.deepEqual([a.rejected, b.rejected], [0, 0]);
      assert.equal(a.accepted + b.accepted, 600);
      assert.equal(a.duplicates + b.duplicates, 200);
      assert.deepEqual(await stored('OVERLAP'), [{ declarations: 600, items: 600, events: 1200 }]);
    });

    test('the same reference with other content in the overlapping file is a conflict, stored once', async () => {
      const refs = references('CONFLICT', 0, 150);
      const [a, b] = await Promise.all([importFile(refs, '1200'), importFile([...refs].reverse(), '1300')]);
      assert.equal(a.accepted + b.accepted, 150);
      assert.equal(a.rejected + b.rejected, 150, 'each reference is refused once, in one file or the other');
      assert.equal(a.duplicates + b.duplicates, 0);
      assert.deepEqual(await stored('CONFLICT'), [{ declarations: 150, items: 150, events: 300 }]);
    });

    test('importing a file again stores nothing and counts every declaration as a duplicate', async () => {
      const refs = references('AGAIN', 0, 120);
      const once = await importFile(refs);
      const again = await importFile(refs);
      assert.deepEqual([once.accepted, once.duplicates], [120, 0]);
      assert.deepEqual([again.accepted, again.duplicates, again.rejected], [0, 120, 0]);
      assert.deepEqual(await stored('AGAIN'), [{ declarations: 120, items: 120, events: 240 }]);
    });
  });
}
