/**
 * Sealing (ADR 0013): entries recorded by concurrent transactions without any lock are chained once,
 * in the order they were recorded, whoever seals and however many seal at once; a rolled-back change
 * leaves nothing to seal; the server's sealer chains entries without being asked and, when it stops,
 * what is still pending; a process that opens the database chains what a killed one left pending.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../config.ts';
import { openAppContext } from '../../app-context.ts';
import { openTestContext, storageTargets, type TestContext } from '../../testing/harness.ts';
import { SubjectKind } from './entry.ts';
import { committedHead } from './heads.ts';
import { readEntries } from './read.ts';
import { recordChained, recordChange } from './record.ts';
import { pendingEntries, sealBeforeReading, sealPending, startSealer } from './seal.ts';
import { loadOrCreateSigner } from './signing.ts';
import { verifyLedger } from './verify.ts';

const silent = { error: () => undefined };

for (const target of storageTargets()) {
  describe(`sealing the ledger (${target})`, () => {
    let ctx: TestContext;
    let publicKey: string;

    before(async () => {
      ctx = await openTestContext(target);
      publicKey = (await loadOrCreateSigner(ctx.config.ledgerKeyFile)).publicKeyPem;
    });
    after(async () => {
      await ctx?.dispose();
    });

    const change = (subjectId: string, data: Record<string, unknown> | null = null) => ({
      actor: 'tester',
      action: 'test.change',
      subjectKind: SubjectKind.Declaration,
      subjectId,
      data,
    });

    test('concurrent changes are chained once each, in recorded order, and rolled-back ones not at all', async () => {
      await sealPending(ctx.db);
      const before = (await committedHead(ctx.db)).seq;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 24 }, (_, t) =>
          ctx.db.transaction(async (tx) => {
            for (let i = 0; i < 3; i++) await recordChange(tx, change(`${t}`, { t, i }));
            if (t % 4 === 3) throw new Error('rolled back');
          }),
        ),
      );
      assert.equal(outcomes.filter((o) => o.status === 'rejected').length, 6);
      // two sealers at once (a server and a command): each entry is chained by exactly one of them
      const sealed = await Promise.all([sealPending(ctx.db), sealPending(ctx.db)]);
      assert.equal(sealed[0] + sealed[1], 18 * 3);
      assert.deepEqual(await pendingEntries(ctx.db), { count: 0, oldest: null });
      const entries = await readEntries(ctx.db, before, 1000);
      assert.equal(entries.length, 18 * 3);
      assert.deepEqual(
        entries.map((e) => e.seq),
        entries.map((_, i) => before + 1 + i),
      );
      const seen = entries.map((e) => JSON.parse(e.data) as { t: number; i: number });
      assert.ok(seen.every((d) => d.t % 4 !== 3));
      for (let t = 0; t < 24; t++) {
        const mine = seen.filter((d) => d.t === t).map((d) => d.i);
        assert.deepEqual(mine, t % 4 === 3 ? [] : [0, 1, 2], `transaction ${t}`);
      }
      const report = await verifyLedger(ctx.db, publicKey);
      assert.equal(report.ok, true, JSON.stringify(report));
    });

    test('an entry is pending until sealed, with the time it was recorded', async () => {
      const head = await committedHead(ctx.db);
      const at = Date.now();
      await ctx.db.transaction((tx) => recordChange(tx, change('pending')));
      const pending = await pendingEntries(ctx.db);
      assert.equal(pending.count, 1);
      assert.ok(pending.oldest && Math.abs(Date.parse(pending.oldest) - at) < 60_000);
      assert.deepEqual(await committedHead(ctx.db), head);
      assert.equal(await sealPending(ctx.db), 1);
      const [entry] = await readEntries(ctx.db, head.seq, 10);
      assert.deepEqual(entry && [entry.seq, entry.at, entry.prevHash], [
        head.seq + 1,
        pending.oldest,
        head.hash,
      ]);
    });

    test("the server's sealer chains entries unasked, and what is pending when it stops", async () => {
      const head = await committedHead(ctx.db);
      const stop = startSealer(ctx.db, silent, { delayMs: 5, everyMs: 50 });
      try {
        await ctx.db.transaction((tx) => recordChange(tx, change('unasked')));
        for (let waited = 0; (await committedHead(ctx.db)).seq === head.seq; waited += 20) {
          assert.ok(waited < 30_000, 'the sealer never chained the entry');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.equal((await committedHead(ctx.db)).seq, head.seq + 1);
      } finally {
        // a change recorded just before stopping is chained by the stop itself
        await ctx.db.transaction((tx) => recordChange(tx, change('at-stop')));
        await stop();
      }
      assert.equal((await pendingEntries(ctx.db)).count, 0);
      assert.equal((await committedHead(ctx.db)).seq, head.seq + 2);
    });

    test('a change chained at once comes after the changes committed before it', async () => {
      await ctx.db.transaction((tx) => recordChange(tx, change('first')));
      const chained = await ctx.db.transaction((tx) => recordChained(tx, change('second')));
      const [before, last] = await readEntries(ctx.db, chained.seq - 2, 10);
      assert.deepEqual([before?.subjectId, last?.subjectId, last?.hash], ['first', 'second', chained.hash]);
      assert.equal((await verifyLedger(ctx.db, publicKey)).ok, true);
    });

    test('a head moved back with entries pending: sealing fails, and verification still names it', async () => {
      const own = await openTestContext(target);
      try {
        await own.db.transaction((tx) => recordChange(tx, change('kept')));
        await sealPending(own.db);
        await own.db.transaction((tx) => recordChange(tx, change('waiting')));
        // what a database writer does to hide the last entry: the head one back
        await own.db.query(
          `UPDATE ledger_head SET seq = l.seq, hash = l.hash FROM ledger l
           WHERE l.seq = (SELECT max(seq) - 1 FROM ledger)`,
        );
        assert.ok(await sealBeforeReading(own.db), 'sealing over a moved head succeeded');
        const report = await verifyLedger(own.db, publicKey);
        assert.equal(report.ok, false);
        assert.equal(!report.ok && report.firstBad.problem, 'added');
      } finally {
        await own.dispose();
      }
    });

    test('a process opening the database chains what a killed process left pending', async () => {
      const own = await openTestContext(target);
      try {
        const head = await committedHead(own.db);
        // what a process killed between its commit and its sealer's run leaves behind
        await own.db.transaction((tx) => recordChange(tx, change('left-behind')));
        assert.equal((await pendingEntries(own.db)).count, 1);
        // the embedded database is one process's: it goes, as in a kill, without sealing
        if (target === 'pglite') await own.db.close();
        const next = await openAppContext(loadConfig({ ...process.env, ...envOf(own) }));
        try {
          assert.equal((await pendingEntries(next.db)).count, 0);
          assert.equal((await committedHead(next.db)).seq, head.seq + 1);
        } finally {
          await next.close();
        }
      } finally {
        if (target === 'pglite') await rm(own.config.dataDir, { recursive: true, force: true });
        else await own.dispose();
      }
    });
  });
}

/** The settings that open the same database as `ctx`. */
function envOf(ctx: TestContext): Record<string, string> {
  return {
    DATABASE_URL: ctx.config.databaseUrl ?? '',
    CLEARWAY_DATA_DIR: ctx.config.dataDir,
    CLEARWAY_DEMO: 'false',
    LOG_LEVEL: 'silent',
  };
}
