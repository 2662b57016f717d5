/** `clearway clearance waiting`, run as a subprocess against a fresh database of each engine. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clearway } from '../testing/cli-process.ts';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import { storageTargets, testOffice } from '../testing/harness.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';

for (const target of storageTargets()) {
  describe(`clearway clearance waiting on ${target}`, () => {
    let dir: string;
    let store: EmptyStore;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'clearway-clearance-'));
      store = await emptyStore(target, path.join(dir, 'data'));
    });
    after(async () => {
      await store?.dispose();
      await rm(dir, { recursive: true, force: true });
    });
    const run = (args: string[]) => clearway(store.env, args);

    test('lists what waits at each stage as one JSON line, or as a table', async () => {
      const empty = await run(['clearance', 'waiting', '--json']);
      assert.equal(empty.code, 0, empty.stderr);
      assert.equal(empty.stdout, '{"waiting":[]}\n');
      const file = path.join(dir, 'one.csv');
      await writeFile(file, clearwayCsv([aClearwayRow('CLR-OWES', { duty_rate: '5' })]));
      const imported = await run(['import', file, '--format', 'clearway', '--json']);
      assert.equal(imported.code, 0, imported.stderr);
      const listed = await run(['clearance', 'waiting', '--office', testOffice, '--json']);
      assert.equal(listed.code, 0, listed.stderr);
      const { waiting } = JSON.parse(listed.stdout) as {
        waiting: { office: string; stage: string; count: number }[];
      };
      assert.equal(
        waiting.reduce((n, w) => n + w.count, 0),
        1,
        listed.stdout,
      );
      assert.deepEqual(
        waiting.map((w) => [w.office, w.stage]),
        [[testOffice, 'awaiting_arrival']],
      );
      const table = await run(['clearance', 'waiting']);
      assert.match(table.stdout, new RegExp(`^${testOffice}\\s+awaiting_arrival\\s+1  since `));
      const elsewhere = await run(['clearance', 'waiting', '--office', '999', '--json']);
      assert.equal(elsewhere.stdout, '{"waiting":[]}\n');
    });

    test('refuses what it does not understand, saying how it is used', async () => {
      const bad = await run(['clearance', 'waiting', '--office', 'no such office!']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /--office must be an office code/);
      const unknown = await run(['clearance', 'nothing']);
      assert.notEqual(unknown.code, 0);
      assert.match(
        unknown.stderr,
        /usage: clearway clearance report .*; or clearway clearance waiting \[--office CODE\]/,
      );
    });
  });
}
