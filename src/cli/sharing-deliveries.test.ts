/** `clearway sharing deliveries`, run as a subprocess against a store on each engine. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { recordDelivery } from '../sharing/deliveries.ts';
import { clearway } from '../testing/cli-process.ts';
import { storageTargets } from '../testing/harness.ts';
import { createAgency, insertAgreement } from '../testing/sharing.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';

for (const target of storageTargets()) {
  describe(`clearway sharing deliveries (${target})`, () => {
    let store: EmptyStore;

    before(async () => {
      store = await emptyStore(target);
      const db = await store.open();
      try {
        for (const agency of ['AGRI', 'HEALTH']) {
          await createAgency(db, agency);
          const agreementId = await insertAgreement(db, { agency, fields: ['type', 'items[].hsCode'] });
          await db.transaction((tx) =>
            recordDelivery(tx, {
              agreementId,
              agency,
              channel: 'feed',
              fields: ['type', 'items[].hsCode'],
              declarationIds: [],
              actor: `${agency.toLowerCase()}-reader`,
            }),
          );
        }
      } finally {
        await db.close();
      }
    });
    after(() => store.dispose());

    test("lists every agency's deliveries, newest first, or one agency's", async () => {
      const all = await clearway(store.env, ['sharing', 'deliveries', '--json']);
      assert.equal(all.code, 0, all.stderr);
      const parsed = JSON.parse(all.stdout) as {
        deliveries: { agency: string; actor: string; fields: string[] }[];
      };
      assert.deepEqual(
        parsed.deliveries.map((d) => [d.agency, d.actor]),
        [
          ['HEALTH', 'health-reader'],
          ['AGRI', 'agri-reader'],
        ],
      );
      const one = await clearway(store.env, ['sharing', 'deliveries', '--agency', 'AGRI']);
      assert.equal(one.code, 0, one.stderr);
      assert.match(
        one.stdout,
        /AGRI {2}agreement \d+ {2}feed {2}0 declarations {2}by agri-reader {2}fields type,items\[\]\.hsCode/,
      );
      assert.doesNotMatch(one.stdout, /HEALTH/);
    });

    test('refuses a malformed agency code and an unknown sub-command', async () => {
      const bad = await clearway(store.env, ['sharing', 'deliveries', '--agency', 'agri; drop']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--agency must be an agency code/);
      const unknown = await clearway(store.env, ['sharing', 'feed']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /unknown sub-command "feed".*deliveries/);
    });
  });
}
