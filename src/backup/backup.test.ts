/**
 * Backup and restore on each storage target: a round trip into every other target reproduces each
 * table (row counts and canonical checksums equal), and each bad input is refused with its message
 * and nothing written.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Database } from '../db/database.ts';
import { fillSampleData } from '../testing/backup-fixtures.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';
import { openTestContext, storageTargets, type StorageTarget, type TestContext } from '../testing/harness.ts';
import { writeBackup, type BackupSummary } from './backup.ts';
import { verifyBackup } from './file-format.ts';
import { restoreBackup } from './restore.ts';
import { summariseClosedMonths } from '../clearance/times-summary.ts';
import { releaseWithTimes } from '../testing/release-times.ts';
import { databaseChecksums, TableDigest, type TableChecksum } from './table-content.ts';

async function openTarget(target: StorageTarget) {
  const store = await emptyStore(target);
  const db = await store.open();
  return { store, db, pristine: await databaseChecksums(db) };
}

/** Recomputes a backup text's table checksums, manifest and final checksum after an edit. */
function reseal(text: string): string {
  const lines = text.split('\n').slice(0, -2); // without the final checksum line and the last break
  const sums: TableChecksum[] = [];
  let digest: TableDigest | undefined;
  const out = lines.map((line) => {
    const value = JSON.parse(line) as unknown;
    if (Array.isArray(value)) digest?.add(line + '\n');
    else if (
      typeof value === 'object' &&
      value !== null &&
      'table' in value &&
      typeof value.table === 'string'
    )
      digest = new TableDigest(value.table);
    else if (typeof value === 'object' && value !== null && 'end' in value && digest) {
      const sum = digest.result();
      sums.push(sum);
      return JSON.stringify({ end: sum.table, rows: sum.rows, sha256: sum.sha256 });
    } else if (typeof value === 'object' && value !== null && 'manifest' in value && 'sequences' in value)
      return JSON.stringify({ manifest: sums, sequences: value.sequences });
    return line;
  });
  const body = out.join('\n') + '\n';
  return body + JSON.stringify({ sha256: createHash('sha256').update(body).digest('hex') }) + '\n';
}

const rowsOf = (sums: TableChecksum[], table: string) => sums.find((t) => t.table === table)?.rows;

for (const source of storageTargets()) {
  describe(`backup of ${source}`, () => {
    let ctx: TestContext;
    let dir: string;
    let file: string;
    let sourceSums: TableChecksum[];
    let declarations: number;
    let summary: BackupSummary;
    // the empty databases restored into, opened while the source fills (each takes a while on PGlite)
    const targets = new Map<
      StorageTarget,
      Promise<{ store: EmptyStore; db: Database; pristine: TableChecksum[] }>
    >();

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'clearway-backup-'));
      file = path.join(dir, 'backup.cwb');
      for (const target of storageTargets()) targets.set(target, openTarget(target));
      ctx = await openTestContext(source);
      ({ declarations } = await fillSampleData(ctx, 400));
      // two declarations released in February, and the Time Release Study's summary of their month
      const ids = await ctx.db.query<{ id: number }>('SELECT id FROM declarations ORDER BY id LIMIT 2');
      for (const { id } of ids)
        await releaseWithTimes(ctx.db, id, {
          lodged: '2026-02-02T08:00:00Z',
          accepted: 0,
          assessed: 10,
          released: 20,
        });
      await summariseClosedMonths(ctx.db, '2026-01-01', '2026-06-30');
      sourceSums = await databaseChecksums(ctx.db);
      summary = await writeBackup(ctx.db, file);
    });
    after(async () => {
      await ctx.dispose();
      for (const opened of targets.values()) {
        const { store, db } = await opened;
        await db.close();
        await store.dispose();
      }
      await rm(dir, { recursive: true, force: true });
    });

    test('writes a file whose manifest lists every table with the rows and checksums of the database', async () => {
      assert.deepEqual(summary.tables, sourceSums);
      assert.deepEqual((await verifyBackup(file)).manifest.tables, sourceSums);
      assert.equal(rowsOf(summary.tables, 'declarations'), declarations);
      assert.equal(rowsOf(summary.tables, 'users'), 8);
      assert.equal(rowsOf(summary.tables, 'risk_models'), 1);
      assert.equal(rowsOf(summary.tables, 'risk_profiles'), 1);
      assert.equal(rowsOf(summary.tables, 'sessions'), 1);
      assert.ok(!summary.tables.some((t) => t.table === 'schema_migrations'));
      assert.ok((rowsOf(summary.tables, 'clearance_times_periods') ?? 0) >= 1);
      assert.ok((rowsOf(summary.tables, 'clearance_times_summary') ?? 0) > 0);
      assert.deepEqual(await databaseChecksums(ctx.db), sourceSums, 'a backup changes nothing');
    });

    test('refuses to restore into a database that is not empty, and changes nothing', async () => {
      await assert.rejects(restoreBackup(ctx.db, file), {
        name: 'Error',
        message: `the target database is not empty: users has 8 rows`,
      });
      assert.deepEqual(await databaseChecksums(ctx.db), sourceSums);
    });

    for (const target of storageTargets()) {
      describe(`restored into ${target}`, () => {
        let db: Database;
        let pristine: TableChecksum[];

        before(async () => {
          const opened = targets.get(target);
          assert.ok(opened);
          ({ db, pristine } = await opened);
        });

        test('refuses a file cut short at any point, writing nothing', async () => {
          const whole = await readFile(file);
          for (const length of [
            0,
            10,
            200,
            Math.floor(whole.length / 3),
            whole.length - 30,
            whole.length - 1,
          ]) {
            const cut = path.join(dir, `cut-${length}.cwb`);
            await writeFile(cut, whole.subarray(0, length));
            await assert.rejects(restoreBackup(db, cut), {
              message: new RegExp(`^cut-${length}\\.cwb is truncated`),
            });
          }
          assert.deepEqual(await databaseChecksums(db), pristine);
        });

        test('refuses a file with a flipped byte, writing nothing', async () => {
          const bytes = await readFile(file);
          const middle = Math.floor(bytes.length / 2);
          bytes.writeUInt8(bytes.readUInt8(middle) ^ 0x20, middle);
          const flipped = path.join(dir, 'flipped.cwb');
          await writeFile(flipped, bytes);
          await assert.rejects(restoreBackup(db, flipped), { message: /^flipped\.cwb is corrupted/ });
          assert.deepEqual(await databaseChecksums(db), pristine);
        });

        test('refuses a well-compressed file whose rows were edited, naming the table', async () => {
          const text = gunzipSync(await readFile(file)).toString('utf8');
          const edited = text.replace(/^\["(\d+)","IM",/m, (_, id: string) => `["${id}","EX",`);
          assert.notEqual(edited, text);
          const out = path.join(dir, 'edited.cwb');
          await writeFile(out, gzipSync(edited));
          await assert.rejects(restoreBackup(db, out), {
            message: 'edited.cwb is corrupted: table declarations: checksum mismatch',
          });
          assert.deepEqual(await databaseChecksums(db), pristine);
        });

        test('refuses a file made at another schema, naming both', async () => {
          const text = gunzipSync(await readFile(file)).toString('utf8');
          const older = reseal(text.replace(/,"[0-9]{4}-[a-z0-9-]+\.sql"\]\}\n/, ']}\n'));
          const out = path.join(dir, 'older.cwb');
          await writeFile(out, gzipSync(older));
          const schema = summary.schema;
          await assert.rejects(restoreBackup(db, out), {
            message: new RegExp(
              `^older\\.cwb was made at schema \\d{4}-[a-z0-9-]+\\.sql, the target database is at ${schema}$`,
            ),
          });
          assert.deepEqual(await databaseChecksums(db), pristine);
        });

        test('refuses a consistent file holding a row the database rejects, writing nothing', async () => {
          const text = gunzipSync(await readFile(file)).toString('utf8');
          const bad = reseal(text.replace(/^\["(\d+)","IM",/m, (_, id: string) => `["${id}","XX",`));
          const out = path.join(dir, 'bad-row.cwb');
          await writeFile(out, gzipSync(bad));
          await assert.rejects(restoreBackup(db, out), {
            message: /^table declarations: the database refused a row: .*check constraint/,
          });
          assert.deepEqual(await databaseChecksums(db), pristine);
        });

        test('restores every row: the same row counts and checksums in every table', async () => {
          const summary = await restoreBackup(db, file);
          assert.equal(
            summary.rows,
            sourceSums.reduce((sum, t) => sum + t.rows, 0),
          );
          assert.deepEqual(await databaseChecksums(db), sourceSums);
        });

        test('new rows take ids after the restored ones', async () => {
          const [users] = await db.query<{ max: number }>('SELECT max(id) AS max FROM users');
          const [added] = await db.query<{ id: number }>(
            `INSERT INTO users (username, display_name, password_hash, role) VALUES ('new', 'New', 'x', 'auditor') RETURNING id`,
          );
          assert.equal(added?.id, (users?.max ?? 0) + 1);
          const [declaration] = await db.query<{ next: number; max: number }>(
            `SELECT nextval('declaration_id_seq') AS next, (SELECT max(id) FROM declarations) AS max`,
          );
          assert.ok(declaration && declaration.next > declaration.max, JSON.stringify(declaration));
        });
      });
    }
  });
}
