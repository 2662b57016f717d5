/**
 * `clearway archive` killed with SIGKILL part-way, as a power cut or an operator's kill -9 would:
 * every declaration is still in the database or in exactly one committed archive, never lost and
 * never half-purged, and running the command again completes the job.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { openAppContext } from '../../app-context.ts';
import { loadConfig } from '../../config.ts';
import { fillSampleData } from '../../testing/backup-fixtures.ts';
import { clearway } from '../../testing/cli-process.ts';
import { storageTargets } from '../../testing/harness.ts';
import { emptyStore, type EmptyStore } from '../../testing/stores.ts';
import { archiveFolders, verifyArchiveFolder } from './archive-files.ts';
import { placeHold } from './holds.ts';
import { setPolicy } from './policies.ts';

const unzip = promisify(gunzip);

for (const target of storageTargets()) {
  describe(`archival interrupted on ${target}`, () => {
    let store: EmptyStore;
    let archiveDir: string;
    /** Each declaration as the database rendered it before archival, by id. */
    let original: Map<number, string>;
    let held: number;

    /** The declarations in the database now. */
    async function inDatabase(): Promise<Map<number, string>> {
      const db = await store.open();
      try {
        const rows = await db.query<{ id: number; row: string }>(
          'SELECT id, to_jsonb(d)::text AS row FROM declarations d',
        );
        return new Map(rows.map((r) => [r.id, r.row]));
      } finally {
        await db.close();
      }
    }

    /** The declarations in the folders of committed runs, each verified against its manifest. */
    async function inArchives(): Promise<{ declarations: Map<number, string>; duplicates: number }> {
      const db = await store.open();
      const committed = new Set(
        (await db.query<{ folder: string }>('SELECT folder FROM archive_runs')).map((r) => r.folder),
      );
      await db.close();
      const declarations = new Map<number, string>();
      let duplicates = 0;
      for (const name of await archiveFolders(archiveDir)) {
        if (!committed.has(name)) continue;
        const folder = path.join(archiveDir, name);
        const manifest = await verifyArchiveFolder(folder);
        if (!manifest.files.some((f) => f.dataClass === 'declarations')) continue;
        const text = (await unzip(await readFile(path.join(folder, 'declarations.jsonl.gz')))).toString();
        for (const line of text.trimEnd().split('\n')) {
          const row = /^\{"declaration":(\{.*?\}),"items":/.exec(line)?.[1] ?? '';
          const id = (JSON.parse(row) as { id: number }).id;
          if (declarations.has(id)) duplicates++;
          declarations.set(id, row);
        }
      }
      return { declarations, duplicates };
    }

    /** Nothing lost, nothing twice: each declaration, unchanged, in the database or one archive. */
    async function assertAccountedFor(): Promise<{ archived: number; remaining: number }> {
      const here = await inDatabase();
      const { declarations: archived, duplicates } = await inArchives();
      assert.equal(duplicates, 0, 'a declaration is in two committed archives');
      for (const [id, row] of original) {
        const found = here.get(id) ?? archived.get(id);
        assert.ok(found !== undefined, `declaration ${id} was lost`);
        assert.equal(found, row, `declaration ${id} changed`);
        assert.ok(!(here.has(id) && archived.has(id)), `declaration ${id} was archived but not purged`);
      }
      return { archived: archived.size, remaining: here.size };
    }

    before(async () => {
      store = await emptyStore(target);
      archiveDir = path.join(store.env.CLEARWAY_DATA_DIR ?? '', 'archive');
      const ctx = await openAppContext(loadConfig({ ...process.env, ...store.env }));
      try {
        await fillSampleData(ctx, 300);
        // every sample declaration (dated January to June 2026) is past a month
        const set = await ctx.db.transaction((tx) => setPolicy(tx, 'declarations', '1m', 'test'));
        assert.ok(set.ok);
        const [first] = await ctx.db.query<{ id: number }>('SELECT min(id)::int AS id FROM declarations');
        held = first?.id ?? 0;
        assert.ok((await placeHold(ctx.db, held, 'case 2026/31', 'test')).ok);
      } finally {
        await ctx.close();
      }
      original = await inDatabase();
      assert.ok(original.size > 40, `only ${original.size} declarations`);
    });
    after(() => store.dispose());

    const archive = (killAfter?: RegExp) =>
      clearway(store.env, ['archive', '--out', archiveDir, '--batch', '10'], { killAfter });

    test('killed while writing an archive, or after writing it and before the purge commits: nothing is lost', async () => {
      const whileWriting = await archive(/(^writing archive.*\n[^]*){2}/m);
      assert.equal(
        whileWriting.signal,
        'SIGKILL',
        `the job ended before it was killed: ${whileWriting.stdout}`,
      );
      const first = await assertAccountedFor();
      assert.ok(first.remaining < original.size, 'the first run had committed');

      const beforeCommit = await archive(/committing the purge/);
      assert.equal(
        beforeCommit.signal,
        'SIGKILL',
        `the job ended before it was killed: ${beforeCommit.stdout}`,
      );
      const second = await assertAccountedFor();
      assert.ok(second.archived >= first.archived);
    });

    test('a rerun sets aside folders of runs that never committed and completes the job', async () => {
      const rerun = await archive();
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.match(
        rerun.stdout,
        /^archived and purged \d+ declarations.* 1 expired declarations kept under legal hold/,
      );
      const { archived, remaining } = await assertAccountedFor();
      assert.deepEqual([archived, remaining], [original.size - 1, 1]);
      assert.ok((await inDatabase()).has(held));

      const verified = await clearway(store.env, ['ledger', 'verify']);
      assert.equal(verified.code, 0, verified.stderr);
      for (const name of await archiveFolders(archiveDir)) {
        const check = await clearway(store.env, ['archive', 'verify', path.join(archiveDir, name)]);
        assert.equal(check.code, 0, check.stderr);
        assert.match(check.stdout, /its purge is ledger entry \d+, which lists these files/);
      }
      const again = await archive();
      assert.match(again.stdout, /^archived and purged nothing in 0 runs/);
    });
  });
}
