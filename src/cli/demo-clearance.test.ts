/**
 * `clearway demo clearance` as an operator fills a demo database: generated declarations imported
 * with `clearway import` (and assessed), then their stage times simulated up to a day.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clearway } from '../testing/cli-process.ts';
import { storageTargets } from '../testing/harness.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';
import { parseClearanceArgs } from './demo-clearance.ts';

let workDir = '';
let demoFile = '';

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'clearway-demo-clearance-'));
  demoFile = path.join(workDir, 'demo.csv');
  const args = [
    'demo',
    'generate',
    '--count',
    '200',
    '--seed',
    '3',
    '--from',
    '2026-01-05',
    '--to',
    '2026-02-27',
  ];
  const generated = await clearway({}, [...args, '--out', demoFile]);
  assert.equal(generated.code, 0, generated.stderr);
});
after(() => rm(workDir, { recursive: true, force: true }));

test('--until is the end of its day, never after now; a bad seed or day is refused', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  assert.equal(
    parseClearanceArgs(['--until', '2026-02-10'], now).until.toISOString(),
    '2026-02-10T23:59:59.999Z',
  );
  assert.equal(parseClearanceArgs(['--until', '2026-03-05'], now).until.toISOString(), now.toISOString());
  assert.deepEqual(parseClearanceArgs([], now), { seed: 1, until: now, lodgedBy: 'demo' });
  assert.throws(() => parseClearanceArgs(['--seed', '1.5'], now), /--seed must be an integer/);
  assert.throws(() => parseClearanceArgs(['--until', '2026-02-30'], now), /--until must be a date/);
});

for (const target of storageTargets()) {
  describe(`clearway demo clearance on ${target}`, () => {
    let store: EmptyStore;
    let imported = 0;
    before(async () => {
      store = await emptyStore(target);
      const run = await clearway(store.env, ['import', demoFile, '--format', 'clearway', '--json']);
      assert.equal(run.code, 0, run.stderr);
      imported = (JSON.parse(run.stdout) as { accepted: number }).accepted;
    });
    after(() => store?.dispose());

    test('declarations imported by someone else are left alone', async () => {
      const run = await clearway(store.env, ['demo', 'clearance']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal((JSON.parse(run.stdout) as { declarations: number }).declarations, 0);
    });

    test('simulates the imported declarations up to the day given, once', async () => {
      const args = [
        'demo',
        'clearance',
        '--lodged-by',
        'import:demo.csv',
        '--seed',
        '4',
        '--until',
        '2026-02-20',
      ];
      const first = await clearway(store.env, args);
      assert.equal(first.code, 0, first.stderr);
      const summary = JSON.parse(first.stdout) as { declarations: number; statuses: Record<string, number> };
      // those dated after the 20th wait for a later run
      assert.ok(summary.declarations > imported / 2 && summary.declarations < imported, first.stdout);
      assert.ok((summary.statuses.released ?? 0) > summary.declarations / 2, first.stdout);
      const again = await clearway(store.env, args);
      assert.equal((JSON.parse(again.stdout) as { declarations: number }).declarations, 0);
      const rest = await clearway(store.env, ['demo', 'clearance', '--lodged-by', 'import:demo.csv']);
      assert.equal(
        (JSON.parse(rest.stdout) as { declarations: number }).declarations,
        imported - summary.declarations,
      );
    });
  });
}
