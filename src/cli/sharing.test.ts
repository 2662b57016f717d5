/** `clearway sharing`, run as a subprocess against a fresh store on each engine. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { storageTargets } from '../testing/harness.ts';
import { clearway } from '../testing/cli-process.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';

for (const target of storageTargets()) {
  describe(`clearway sharing (${target})`, () => {
    let store: EmptyStore;
    let file: string;

    before(async () => {
      store = await emptyStore(target);
      for (const user of [
        ['--username', 'ada', '--role', 'administrator'],
        ['--username', 'sam', '--role', 'supervisor', '--office', '030'],
      ]) {
        const made = await clearway(store.env, ['users', 'create', ...user, '--password-stdin'], {
          stdin: 'a long enough password 1\n',
        });
        assert.equal(made.code, 0, made.stderr);
      }
      file = path.join(store.env.CLEARWAY_DATA_DIR ?? '', 'agreement.json');
      await writeFile(
        file,
        JSON.stringify({
          agency: 'AGRI',
          purpose: 'Sanitary and phytosanitary controls',
          legalBasis: 'Plant Health Act',
          fields: ['items[].hsCode', '063'],
          filters: { hsPrefixes: ['07', '08'] },
          level: 'pseudonymised',
          delivery: 'feed',
          validFrom: '2020-01-01',
          validTo: '2099-12-31',
        }),
      );
    });
    after(() => store.dispose());

    test('an agency is added, an agreement drafted, approved by a second official and listed in force', async () => {
      const added = await clearway(store.env, [
        'sharing',
        'agency',
        'add',
        'AGRI',
        '--name',
        'Ministry of Agriculture',
        '--contact',
        'sps@agriculture.example',
      ]);
      assert.equal(added.code, 0, added.stderr);
      const drafted = await clearway(store.env, [
        'sharing',
        'agreement',
        'draft',
        '--file',
        file,
        '--as',
        'ada',
      ]);
      assert.equal(drafted.code, 0, drafted.stderr);
      const id = /drafted agreement (\d+) for AGRI/.exec(drafted.stdout)?.[1];
      assert.ok(id, drafted.stdout);

      const drafts = await clearway(store.env, ['sharing', 'agreements', '--status', 'draft']);
      const columns = drafts.stdout.trim().split('\t');
      assert.deepEqual(columns.slice(0, 3), [id, 'AGRI', 'draft']);
      const digest = columns.at(-1) ?? '';
      assert.match(digest, /^[0-9a-f]{64}$/);
      const approve = (as: string, ...given: string[]) =>
        clearway(store.env, ['sharing', 'agreement', 'approve', id, ...given, '--as', as]);

      const own = await approve('ada', '--digest', digest);
      assert.equal(own.code, 1);
      assert.match(
        own.stderr,
        /ada drafted agreement \d+; another administrator or supervisor must approve it/,
      );
      const undigested = await approve('sam');
      assert.equal(undigested.code, 2, undigested.stderr);
      assert.match(undigested.stderr, /--digest/);
      const malformed = await approve('sam', '--digest', 'abc');
      assert.equal(malformed.code, 2, malformed.stderr);
      assert.match(malformed.stderr, /64 hex digits/);
      const otherTerms = await approve('sam', '--digest', 'f'.repeat(64));
      assert.equal(otherTerms.code, 1);
      assert.match(otherTerms.stderr, new RegExp(`agreement ${id} is not the one reviewed`));
      const approved = await approve('sam', '--digest', digest);
      assert.equal(approved.code, 0, approved.stderr);
      assert.equal(approved.stdout, `agreement ${id}\tactive\n`);

      const listed = await clearway(store.env, ['sharing', 'agreements', '--agency', 'AGRI', '--json']);
      assert.equal(listed.code, 0, listed.stderr);
      const [agreement] = listed.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.deepEqual(
        [agreement?.status, agreement?.inForce, agreement?.draftedBy, agreement?.decidedBy],
        ['active', true, 'ada', 'sam'],
      );
      assert.deepEqual(agreement?.fields, [
        { path: 'originCountry', wcoId: '063', name: 'Country of origin, coded' },
        { path: 'items[].hsCode', wcoId: '145', name: 'Commodity Classification' },
        { path: 'items[].originCountry', wcoId: '063', name: 'Country of origin, coded' },
      ]);

      const noReason = await clearway(store.env, ['sharing', 'agreement', 'suspend', id, '--as', 'sam']);
      assert.equal(noReason.code, 1);
      assert.match(noReason.stderr, /reason: say why the agreement is suspended/);
    });
  });
}
