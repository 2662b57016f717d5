import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clearway } from '../testing/cli-process.ts';
import { storageTargets } from '../testing/harness.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';

interface Row {
  id: number;
  reference: string;
  trader: string;
  date: string;
  office: string;
  lane: string | null;
}

const rowsOf = (stdout: string): Row[] =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Row);

for (const target of storageTargets()) {
  describe(`clearway declarations list on ${target}`, () => {
    let dir: string;
    let store: EmptyStore;
    const run = (args: string[]) => clearway(store.env, ['declarations', 'list', ...args]);

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'clearway-declarations-cli-'));
      store = await emptyStore(target, path.join(dir, 'data'));
      const file = path.join(dir, 'demo.csv');
      const generated = await clearway({}, [
        'demo',
        'generate',
        '--count',
        '200',
        '--seed',
        '3',
        '--out',
        file,
      ]);
      assert.equal(generated.code, 0, generated.stderr);
      const imported = await clearway(store.env, [
        'import',
        file,
        '--format',
        'clearway',
        '--skip-assessment',
      ]);
      assert.equal(imported.code, 0, imported.stderr);
    });
    after(async () => {
      await store?.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    test('finds a declaration by its reference, exactly or by its start, newest first', async () => {
      const all = rowsOf((await run(['--limit', '1000', '--json'])).stdout);
      assert.ok(all.length > 50, `${all.length} declarations imported`);
      const picked = all[Math.floor(all.length / 2)];
      assert.ok(picked);
      const exact = rowsOf((await run(['--reference', picked.reference, '--exact', '--json'])).stdout);
      assert.deepEqual(
        exact.map((r) => r.id),
        all.filter((r) => r.reference === picked.reference).map((r) => r.id),
      );
      // whatever the case it is typed in
      const lowered = rowsOf(
        (await run(['--reference', picked.reference.toLowerCase(), '--exact', '--json'])).stdout,
      );
      assert.deepEqual(
        lowered.map((r) => r.id),
        exact.map((r) => r.id),
      );
      const start = picked.reference.slice(0, 6);
      const prefixed = rowsOf((await run(['--reference', start, '--limit', '1000', '--json'])).stdout);
      assert.deepEqual(
        prefixed.map((r) => r.id),
        all.filter((r) => r.reference.startsWith(start)).map((r) => r.id),
      );
      const ofTrader = rowsOf((await run(['--trader', picked.trader, '--limit', '1000', '--json'])).stdout);
      assert.deepEqual(
        ofTrader.map((r) => r.id),
        all.filter((r) => r.trader === picked.trader).map((r) => r.id),
      );
    });

    test('--hs takes an HS code with dots and spaces as its digits', async () => {
      const all = rowsOf((await run(['--limit', '1000', '--json'])).stdout);
      const digits = rowsOf((await run(['--hs', '8517', '--limit', '1000', '--json'])).stdout);
      const dotted = rowsOf((await run(['--hs', '85.17', '--limit', '1000', '--json'])).stdout);
      const spaced = rowsOf((await run(['--hs', '85 17', '--limit', '1000', '--json'])).stdout);
      assert.ok(digits.length > 0 && digits.length < all.length, `${digits.length} of ${all.length}`);
      assert.deepEqual(dotted, digits);
      assert.deepEqual(spaced, digits);
    });

    test('pages with --before and prints a table', async () => {
      const first = rowsOf((await run(['--limit', '2', '--json'])).stdout);
      const last = first.at(-1);
      assert.ok(last);
      const next = rowsOf((await run(['--limit', '2', '--before', String(last.id), '--json'])).stdout);
      assert.ok(next.every((r) => r.id < last.id));
      const table = await run(['--limit', '2']);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^ID\s+REFERENCE\s+TRADER\s+DATE\s+OFFICE\s+STATUS\s+LANE\n/);
      assert.match(table.stdout, /2 declarations\n$/);
      const none = await run(['--reference', 'NO-SUCH-REFERENCE']);
      assert.equal(none.stdout, 'no declarations match\n');
    });

    for (const [args, message] of [
      [['--hs', '8'], /--hs must be 2 to 10 digits, dots and spaces allowed \(such as 7013\.49\)/],
      [['--hs', '85x'], /--hs must be 2 to 10 digits.*got "85x"/],
      [
        ['--status', 'shipped'],
        /--status must be one of accepted, amended, controlled, cancelled, released, detained, seized, refused/,
      ],
      [['--lane', 'purple'], /--lane must be one of red, yellow, blue, green/],
      [['--from', '2026-02-30'], /--from must be a calendar day/],
      [['--from', '2026-03-09', '--to', '2026-03-01'], /--from \(2026-03-09\) is after --to \(2026-03-01\)/],
      [['--exact'], /--exact needs --reference/],
      [['--reference', 'R'.repeat(36)], /--reference must be 1 to 35 characters/],
    ] as const) {
      test(`refuses ${args.join(' ').slice(0, 40)} with exit 2`, async () => {
        const refused = await run([...args]);
        assert.equal(refused.code, 2, refused.stdout);
        assert.match(refused.stderr, message);
      });
    }
  });
}
