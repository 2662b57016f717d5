/**
 * `clearway backup` and `clearway restore` killed with SIGKILL part-way, as a power cut or an
 * operator's kill -9 would: nothing is lost or half-done, and running the command again completes.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { fillSampleData } from '../testing/backup-fixtures.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';
import { storageTargets } from '../testing/harness.ts';
import { clearway } from '../testing/cli-process.ts';
import { sealPending } from '../governance/ledger/seal.ts';
import { verifyBackup } from './file-format.ts';
import { databaseChecksums, type TableChecksum } from './table-content.ts';

async function checksumsOf(store: EmptyStore): Promise<TableChecksum[]> {
  const db = await store.open();
  try {
    return await databaseChecksums(db);
  } finally {
    await db.close();
  }
}

for (const target of storageTargets()) {
  describe(`interrupted on ${target}`, () => {
    let dir: string;
    let file: string;
    let source: EmptyStore;
    let copy: EmptyStore;
    let sourceSums: TableChecksum[];
    let pristine: TableChecksum[];

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'clearway-interrupted-'));
      file = path.join(dir, 'backup.cwb');
      source = await emptyStore(target);
      copy = await emptyStore(target);
      const created = checksumsOf(copy); // a migrated empty target, made while the source fills
      // the code lists a start loads (about 16,000 rows) make the commands run long enough to kill
      const ctx = await openAppContext(loadConfig({ ...process.env, ...source.env, LOG_LEVEL: 'silent' }));
      try {
        await fillSampleData(ctx, 200);
        // the ledger as any later opening leaves it: pending entries chained
        await sealPending(ctx.db);
        sourceSums = await databaseChecksums(ctx.db);
      } finally {
        await ctx.close();
      }
      pristine = await created;
    });
    after(async () => {
      await source.dispose();
      await copy.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    test('a killed backup leaves no backup file and the database unchanged; a rerun completes', async () => {
      const killed = await clearway(source.env, ['backup', '--out', file], {
        killAfter: /^backed up users: \d+ rows$/m,
      });
      assert.equal(killed.signal, 'SIGKILL', `the backup ended before it was killed: ${killed.stdout}`);
      assert.equal(existsSync(file), false);
      assert.deepEqual(await checksumsOf(source), sourceSums);

      const rerun = await clearway(source.env, ['backup', '--out', file]);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.equal(existsSync(`${file}.partial`), false);
      assert.deepEqual((await verifyBackup(file)).manifest.tables, sourceSums);
    });

    test('a killed restore leaves the target as it was, so a rerun restores every row', async () => {
      assert.ok(pristine.some((t) => t.table === 'declarations' && t.rows === 0));

      const killed = await clearway(copy.env, ['restore', file], {
        killAfter: /^restored users: \d+ rows$/m,
      });
      assert.equal(killed.signal, 'SIGKILL', `the restore ended before it was killed: ${killed.stdout}`);
      assert.deepEqual(await checksumsOf(copy), pristine);

      const rerun = await clearway(copy.env, ['restore', file]);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.match(rerun.stdout, /every table's checksum matches\n$/);
      assert.deepEqual(await checksumsOf(copy), sourceSums);

      const again = await clearway(copy.env, ['restore', file]);
      const users = sourceSums.find((t) => t.table === 'users')?.rows;
      assert.deepEqual(
        [again.code, again.stderr, again.stdout],
        [1, `clearway restore: the target database is not empty: users has ${users} rows\n`, ''],
      );
    });

    test('backup --verify prints every table of a good file and refuses a truncated one in one line', async () => {
      const good = await clearway({}, ['backup', '--verify', file, '--json']);
      assert.equal(good.code, 0, good.stderr);
      assert.deepEqual((JSON.parse(good.stdout) as { tables: TableChecksum[] }).tables, sourceSums);

      const cut = path.join(dir, 'cut.cwb');
      await writeFile(cut, (await readFile(file)).subarray(0, 1000));
      const bad = await clearway({}, ['backup', '--verify', cut]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /^clearway backup: cut\.cwb is truncated: it ends inside table [a-z_]+\n$/);
      assert.equal(bad.stdout, '');
    });
  });
}
