/**
 * What a starting server takes over: only jobs whose server stopped are claimed, each by one claimer
 * however many start at once; the files of ended jobs are removed, the others kept; declarations
 * left without a lane are assessed.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Readable } from 'node:stream';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import { openTestContext, startTestServer, storageTargets, type TestContext } from '../testing/harness.ts';
import { importDeclarations } from './importer.ts';
import { importJobs } from './import-jobs.ts';
import {
  claimInterrupted,
  registerRunner,
  removeEndedFiles,
  runnerLockSpace,
  type Runner,
} from './upload-recovery.ts';

let serial = 0;

for (const target of storageTargets()) {
  describe(`claiming interrupted uploads (${target})`, () => {
    let ctx: TestContext;
    before(async () => {
      ctx = await openTestContext(target);
    });
    after(() => ctx.dispose());

    /** An unfinished job of a new owner, run by `runner`. */
    async function jobOf(runner: number, status: 'receiving' | 'importing' = 'receiving') {
      const job = await importJobs.open(ctx.db, {
        owner: `owner-${++serial}`,
        party: 'TRADER-A',
        role: 'trader',
        format: 'clearway',
        fileName: null,
        runner,
      });
      assert.ok(job);
      if (status === 'importing') assert.ok(await importJobs.startImporting(ctx.db, job.id, 10));
      return job.id;
    }

    test('two servers starting at once claim each job of a stopped server once, and no other job', async () => {
      const stopped = 2_000_000_000 + serial;
      const jobs = [await jobOf(stopped), await jobOf(stopped, 'importing'), await jobOf(stopped)];
      const [a, b] = [await registerRunner(ctx.db), await registerRunner(ctx.db)] as [Runner, Runner];
      const running = await jobOf(a.key);
      try {
        const [byA, byB] = await Promise.all([
          claimInterrupted(ctx.db, a.key, null),
          claimInterrupted(ctx.db, b.key, null),
        ]);
        const claimed = [...byA, ...byB].map((j) => j.id).sort((x, y) => x - y);
        assert.deepEqual(claimed, jobs, 'each job once, and not the job a live server runs');
        assert.ok(!claimed.includes(running));
        assert.deepEqual(
          [...byA, ...byB].find((j) => j.id === jobs[1])?.status,
          'importing',
          'with the stage it was at',
        );
        assert.deepEqual(
          await claimInterrupted(ctx.db, b.key, null),
          [],
          'claimed jobs are not claimed again',
        );
      } finally {
        await a.lock.release();
        await b.lock.release();
      }
    });

    if (target === 'postgres')
      test('a job whose server still holds its runner lock, in another connection, is left to it', async () => {
        const otherProcess = 1_900_000_000 + serial;
        const held = await ctx.db.holdLock(runnerLockSpace, otherProcess);
        assert.ok(held);
        const job = await jobOf(otherProcess);
        const owner = `owner-${serial}`;
        const me = await registerRunner(ctx.db);
        try {
          assert.deepEqual(await claimInterrupted(ctx.db, me.key, owner), []);
          await held.release();
          const claimed = await claimInterrupted(ctx.db, me.key, owner);
          assert.deepEqual(
            claimed.map((j) => j.id),
            [job],
          );
        } finally {
          await me.lock.release();
        }
      });

    test('the files of ended and unknown jobs are removed, those of unfinished jobs kept', async () => {
      const folder = await mkdtemp(path.join(tmpdir(), 'clearway-uploads-'));
      try {
        const runner = await registerRunner(ctx.db);
        const open = await jobOf(runner.key);
        const done = await jobOf(runner.key);
        await importJobs.fail(ctx.db, done, 'ended');
        await runner.lock.release();
        for (const name of [`${open}.csv`, `${done}.csv`, '999999999.csv', 'notes.txt'])
          await writeFile(path.join(folder, name), 'x');
        await removeEndedFiles(ctx.db, folder);
        assert.deepEqual((await readdir(folder)).sort(), [`${open}.csv`, 'notes.txt'].sort());
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    test('a starting server assesses every accepted declaration left without a lane', async () => {
      const csv = clearwayCsv(Array.from({ length: 30 }, (_, i) => aClearwayRow(`LANELESS-${i + 1}`)));
      const summary = await importDeclarations(ctx.db, ctx.validation(), Readable.from([csv]), {
        format: 'clearway',
        actor: 'importer',
      });
      assert.equal(summary.accepted, 30);
      const laneless = async () =>
        (
          await ctx.db.query<{ n: number }>(
            "SELECT count(*)::int8 AS n FROM declarations WHERE lane IS NULL AND status = 'accepted'",
          )
        )[0]?.n;
      assert.equal(await laneless(), 30);
      const server = await startTestServer(ctx);
      try {
        for (let i = 0; i < 200 && (await laneless()) !== 0; i++)
          await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(await laneless(), 0);
      } finally {
        await server.close();
      }
    });

    test('a starting server fails an interrupted import whose file is gone, that was started again twice, or that an earlier version started', async () => {
      const stopped = 2_100_000_000 + serial;
      const gone = await jobOf(stopped, 'importing');
      const tried = await jobOf(stopped, 'importing');
      await ctx.db.query('UPDATE imports SET restarts = 2 WHERE id = $1', [tried]);
      const legacy = await jobOf(stopped, 'importing');
      await ctx.db.query('UPDATE imports SET after_declaration_id = NULL, runner = NULL WHERE id = $1', [
        legacy,
      ]);
      const server = await startTestServer(ctx);
      await server.close();
      const errors = await ctx.db.query<{ id: number; status: string; error: string }>(
        'SELECT id, status, error FROM imports WHERE id = ANY($1::int8[]) ORDER BY id',
        [[gone, tried, legacy]],
      );
      assert.deepEqual(errors, [
        {
          id: gone,
          status: 'failed',
          error:
            'the server stopped while importing and the received file is no longer there: 0 declarations were stored; upload the file again to import the rest (the stored ones count as duplicates)',
        },
        {
          id: tried,
          status: 'failed',
          error:
            'the server stopped 3 times while importing this file, so it was given up: 0 declarations were stored; upload the file again to import the rest (the stored ones count as duplicates)',
        },
        {
          id: legacy,
          status: 'failed',
          error:
            'the server stopped while importing this file: upload the file again to import the rest (what was stored counts as duplicates)',
        },
      ]);
    });
  });
}
