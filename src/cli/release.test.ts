/**
 * The real `clearway release` command as a subprocess, on each engine: prepare, the four-eyes
 * refusal for the user who prepared, publication with a signature, the list, and usage mistakes.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decideRelease } from '../open-data/releases.ts';
import { clearway } from '../testing/cli-process.ts';
import { storageTargets } from '../testing/harness.ts';
import { storeGoods } from '../testing/open-data.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';

for (const target of storageTargets()) {
  describe(`clearway release (${target})`, () => {
    let store: EmptyStore;
    before(async () => {
      store = await emptyStore(target);
      const db = await store.open();
      try {
        for (const trader of ['A', 'B', 'C', 'D'])
          for (const country of ['BR', 'CO'])
            await storeGoods(db, { trader, hs: '09011100', country, value: 100 });
        await storeGoods(db, { trader: 'E', hs: '09011200', country: 'BR', value: 900 });
      } finally {
        await db.close();
      }
    });
    after(() => store.dispose());
    const run = (args: string[]) =>
      clearway({ ...store.env, CLEARWAY_ADMINISTRATION: 'AA' }, ['release', ...args]);

    test('prepares, refuses approval by the same user, publishes once approved and lists', async () => {
      const prepared = await run(['prepare', '--from', '2026-10', '--currency', 'USD', '--json']);
      assert.equal(prepared.code, 0, prepared.stderr);
      const release = JSON.parse(prepared.stdout) as {
        id: number;
        name: string;
        status: string;
        summary: { primary: number };
      };
      assert.deepEqual([release.name, release.status], ['trade-2026-10', 'prepared']);
      assert.ok(release.summary.primary > 0);
      const own = await run(['approve', String(release.id)]);
      assert.equal(own.code, 1);
      assert.match(own.stderr, /^clearway release: a release is approved or rejected by another person/);
      const db = await store.open();
      try {
        assert.ok((await decideRelease(db, release.id, 'approve', 'supervisor', 'checked')).ok);
      } finally {
        await db.close();
      }
      const published = await run(['publish', String(release.id), '--json']);
      assert.equal(published.code, 0, published.stderr);
      const done = JSON.parse(published.stdout) as {
        status: string;
        manifest: string;
        signature: string;
        publicKey: string;
      };
      assert.equal(done.status, 'published');
      assert.ok(
        verify(
          null,
          Buffer.from(done.manifest),
          createPublicKey(done.publicKey),
          Buffer.from(done.signature, 'base64'),
        ),
      );
      assert.match(JSON.parse(done.manifest).agency, /^AA$/);
      const list = await run(['list']);
      assert.match(list.stdout, /trade-2026-10 v1 {2}published/);
    });

    test('a usage mistake ends with exit code 2 and one line', async () => {
      for (const args of [
        ['approve'],
        ['prepare', '--from', '2026-10'],
        ['prepare', '--from', '2026-10', '--currency', 'USD', '--dominance', '1-85'],
        ['nonsense'],
      ]) {
        const refused = await run(args);
        assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
        assert.doesNotMatch(refused.stderr, /\n\s+at /);
      }
    });
  });
}
