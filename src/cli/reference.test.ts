/** `clearway reference search`, run as a child process as an operator would. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storageTargets } from '../testing/harness.ts';
import { clearway } from '../testing/cli-process.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';

for (const target of storageTargets()) {
  describe(`clearway reference search on ${target}`, () => {
    let store: EmptyStore;
    const run = (args: string[]) => clearway(store.env, args);
    before(async () => {
      store = await emptyStore(target);
    });
    after(() => store.dispose());

    test('prints the HS subheadings of the edition in force, by words, one per line', async () => {
      const found = await run([
        'reference',
        'search',
        'hs',
        'yoghurt',
        '--date',
        '2021-06-01',
        '--limit',
        '1',
      ]);
      assert.equal(found.code, 0, found.stderr);
      assert.match(found.stdout, /^040310\tDairy produce; yoghurt, /);
      assert.equal(found.stdout.trim().split('\n').length, 1);
      const current = await run(['reference', 'search', 'hs', 'yoghurt', '--date', '2024-06-01', '--json']);
      const answer = JSON.parse(current.stdout) as { edition: string; items: { code: string }[] };
      assert.deepEqual([answer.edition, answer.items[0]?.code], ['HS2022', '040320']);
    });

    test('--codes prints exactly the given HS subheadings in the edition in force; bad codes are refused', async () => {
      const found = await run([
        'reference',
        'search',
        'hs',
        '--codes',
        '040310,040320,701349',
        '--date',
        '2024-06-01',
      ]);
      assert.equal(found.code, 0, found.stderr);
      const lines = found.stdout.trim().split('\n');
      assert.deepEqual(
        lines.map((l) => l.split('\t')[0]),
        ['040320', '701349'],
      );
      assert.match(lines[0] ?? '', /yoghurt/i);
      const bad = await run(['reference', 'search', 'hs', '--codes', '0403']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /6-digit HS subheadings.*"0403"/);
    });

    test('searches the offices of the database, and the other lists, by words', async () => {
      const offices = await run(['reference', 'search', 'offices', 'belfast', 'custom', 'house']);
      assert.equal(offices.code, 0, offices.stderr);
      assert.equal(offices.stdout, 'GBBEL003\tBelfast, Custom House (GB)\n');
      const country = await run(['reference', 'search', 'countries', 'new', 'zealand']);
      assert.equal(country.stdout, 'NZ\tNew Zealand\n');
    });
  });
}
