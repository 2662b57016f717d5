import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestContext, storageTargets, type TestContext } from '../testing/harness.ts';
import type { PreparedStatement } from './database.ts';

const next: PreparedStatement = {
  name: 'test_next',
  text: 'SELECT $1::bigint + 1 AS n, $2::text AS label, now() AS at',
};

for (const target of storageTargets()) {
  describe(`the database seam (${target})`, () => {
    let ctx: TestContext;
    before(async () => {
      ctx = await openTestContext(target);
    });
    after(() => ctx?.dispose());

    test('tells which storage runs a statement, in a transaction too', async () => {
      assert.equal(ctx.db.kind, target);
      assert.equal(await ctx.db.transaction(async (tx) => tx.kind), target);
    });

    test('a prepared statement gives what its text gives, in a transaction or out of one', async () => {
      const [first, again, asText] = await ctx.db.transaction(async (tx) => [
        await tx.query(next, [41, 'tab\there']),
        await tx.query(next, [41, 'tab\there']),
        await tx.query(next.text, [41, 'tab\there']),
      ]);
      assert.deepEqual(first, asText);
      assert.deepEqual(again, asText);
      assert.deepEqual(
        (await ctx.db.query<{ n: number; label: string | null }>(next, [1, null])).map((r) => [r.n, r.label]),
        [[2, null]],
      );
    });

    test('combined transactions: each commits or fails on its own, whatever the others do', async () => {
      await ctx.db.query('CREATE TABLE combined_test (id int PRIMARY KEY, who text NOT NULL)');
      const run = (id: number) =>
        ctx.db.transaction(
          async (tx) => {
            await tx.query('INSERT INTO combined_test VALUES ($1, $2)', [id, `first ${id}`]);
            if (id % 5 === 0) throw new Error(`refused ${id}`);
            if (id % 7 === 0) {
              // an error caught inside leaves the transaction aborted: it must not pass for a commit
              await tx
                .query('INSERT INTO combined_test VALUES ($1, $2)', [id, 'again'])
                .catch(() => undefined);
            }
            const [row] = await tx.query<{ n: number; xid: string }>(
              'SELECT count(*)::int AS n, txid_current()::text AS xid FROM combined_test WHERE id = $1',
              [id],
            );
            return row;
          },
          { combine: true },
        );
      const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => run(i + 1)));
      const rows = await ctx.db.query<{ id: number }>('SELECT id FROM combined_test ORDER BY id');
      const kept = rows.map((r) => r.id);
      for (let id = 1; id <= 40; id++) {
        const outcome = outcomes[id - 1];
        if (id % 5 === 0) {
          assert.equal(outcome?.status === 'rejected' && String(outcome.reason), `Error: refused ${id}`);
          assert.ok(!kept.includes(id), `the refused transaction ${id} left its row`);
        } else if (id % 7 === 0) {
          // alone, the caught error aborts its transaction: it fails and leaves nothing
          assert.equal(outcome?.status, 'rejected', `transaction ${id}`);
          assert.ok(!kept.includes(id), `the aborted transaction ${id} left its row`);
        } else {
          assert.equal(outcome?.status === 'fulfilled' && outcome.value?.n, 1, `transaction ${id}`);
          assert.ok(kept.includes(id), `transaction ${id} lost its row`);
        }
      }
      // on PGlite those asked for together share transactions (above, each group had one that
      // failed, so each was run again alone); PostgreSQL runs each in its own
      const ids = Array.from({ length: 40 }, (_, i) => 1001 + i).filter((id) => id % 5 && id % 7);
      const fine = await Promise.all(ids.map(run));
      const xids = fine.map((row) => row?.xid);
      assert.equal(new Set(xids).size < xids.length, target === 'pglite');
    });

    test('a prepared statement takes arrays as node-postgres sends them, in a transaction or out of one', async () => {
      const arrays: PreparedStatement = {
        name: 'test_arrays',
        text: 'SELECT t, n FROM unnest($1::text[], $2::numeric[]) WITH ORDINALITY AS a(t, n, i) ORDER BY i',
      };
      const texts = ['plain', 'a "quoted", {braced} text', 'back\\slash', 'NULL', '', null, ' spaced '];
      const numbers = [1, 2.5, -3, null, 0.001, 1e6, 7];
      const want = texts.map((t, i) => ({ t, n: numbers[i] }));
      assert.deepEqual(await ctx.db.query(arrays, [texts, numbers]), want);
      assert.deepEqual(await ctx.db.transaction((tx) => tx.query(arrays, [texts, numbers])), want);
      assert.deepEqual(await ctx.db.query(arrays, [[], []]), []);
    });

    test('a prepared statement run outside a transaction changes what it changes, for good', async () => {
      await ctx.db.query('CREATE TABLE prepared_writes (n int)');
      const write: PreparedStatement = {
        name: 'test_write',
        text: 'INSERT INTO prepared_writes VALUES ($1)',
      };
      await ctx.db.query(write, [1]);
      await assert.rejects(
        ctx.db.transaction(async (tx) => {
          await tx.query(write, [2]);
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      await ctx.db.query(write, [3]);
      assert.deepEqual(await ctx.db.query('SELECT n FROM prepared_writes ORDER BY n'), [{ n: 1 }, { n: 3 }]);
    });

    test('a prepared statement outlives a rolled back transaction and a failed run', async () => {
      const once: PreparedStatement = { name: 'test_once', text: 'SELECT $1::int AS n' };
      await assert.rejects(
        ctx.db.transaction(async (tx) => {
          await tx.query(once, [1]);
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      await assert.rejects(
        ctx.db.transaction((tx) => tx.query(once, ['not a number'])),
        /invalid input syntax/,
      );
      assert.deepEqual(await ctx.db.transaction((tx) => tx.query(once, [2])), [{ n: 2 }]);
    });
  });
}
