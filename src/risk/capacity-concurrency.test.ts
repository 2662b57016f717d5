import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Readable } from 'node:stream';
import { importDeclarations } from '../declarations/importer.ts';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  testOffice,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { redForEveryone } from '../testing/profiles.ts';

const onOneConnection = 'PGlite has one connection: its transactions never run at once';

// goods the trader declares in varying mixes, so that the trader's goods rows are upserted by
// lodgings and batches alike, several at a time and in no particular order
const hsCodes = ['85171300', '61091000', '84713000', '62034200', '85183000'];
const origins = ['CN', 'VN', 'IN'];

for (const target of storageTargets()) {
  describe(
    `an import assessed in batches while clients lodge at the same office and day (${target})`,
    { skip: target === 'pglite' ? onOneConnection : false },
    () => {
      let ctx: TestContext;
      let server: TestServer;
      let traderToken: string;
      const red = 60;
      const yellow = 60;

      before(async () => {
        ctx = await openTestContext(target, {
          CLEARWAY_CONTROL_CAPACITY: `red=${red},yellow=${yellow}`,
          CLEARWAY_RANDOM_SHARE: '0.05',
        });
        traderToken = (await createRoleUsers(ctx)).trader;
        server = await startTestServer(ctx);
        await redForEveryone(ctx);
      });
      after(async () => {
        await server?.close();
        await ctx?.dispose();
      });

      // twice, on two days, for two chances for a wrong lock order to show (one that takes the
      // trader's goods before the capacity slots in batch assessment deadlocked in one run of two
      // once the ledger's append no longer locked its head row, which serialises both paths)
      for (const day of ['2026-03-09', '2026-03-10'])
        test(`no deadlock and no error; every declaration has a lane and the places used are those its assessments hold (${day})`, async () => {
          // a third of the imported declarations and half of those lodged want the red lane, more
          // than both lanes have places: the places run out while batches and lodgings meet
          const imported = 600;
          const rows = Array.from({ length: imported }, (_, i) =>
            aClearwayRow(`BULK-${day}-${i}`, {
              date: day,
              seller: i % 3 === 0 ? 'WATCHED CO' : 'SELLER-1',
              hs_code: hsCodes[i % hsCodes.length] as string,
              item_origin_country: origins[i % origins.length] as string,
              // controlled declarations of the history: their batches add to the trader's record
              // (trader_history) after its goods, as the lodgings' statements must too
              ...(i % 4 === 0 ? { control_outcome: i % 8 === 0 ? 'non_compliant' : 'compliant' } : {}),
            }),
          );
          // as `clearway import` does: store, then assess what has no lane, in small batches so
          // that many batch transactions meet the lodgings
          let importing = true;
          const cliImport = (async () => {
            try {
              const summary = await importDeclarations(
                ctx.db,
                ctx.validation(),
                Readable.from([clearwayCsv(rows)]),
                { format: 'clearway', actor: 'import:bulk.csv', batchSize: 100 },
              );
              assert.equal(summary.accepted, imported, JSON.stringify(summary));
              return await ctx.risk.assessPending('selectivity', { batchSize: 40 });
            } finally {
              importing = false;
            }
          })();
          const statuses: number[] = [];
          // each client lodges a few, then goes on while the import runs (at most 40)
          const clients = Array.from({ length: 16 }, async (_, client) => {
            for (let k = 0; k < 40 && (k < 4 || importing); k++) {
              const items = [0, 1, 2].map((j) =>
                anItem({
                  sequence: j + 1,
                  hsCode: hsCodes[(client + k + 2 * j) % hsCodes.length],
                  originCountry: origins[(client + j) % origins.length],
                }),
              );
              const res = await server.request('POST', '/api/declarations', {
                token: traderToken,
                body: aDeclaration({
                  date: day,
                  seller: k % 2 === 0 ? 'WATCHED CO' : 'SELLER-1',
                  invoiceTotal: 3600,
                  items: items.reverse(),
                }),
              });
              statuses.push(res.status);
              assert.equal(res.status, 201, JSON.stringify(res.body));
              assert.ok(typeof res.body.lane === 'string', 'assessed before the response');
            }
          });
          const [assessed] = await Promise.all([cliImport, ...clients]);
          assert.deepEqual([...new Set(statuses)], [201]);
          assert.ok(assessed.assessed > 0);

          const [unassessed] = await ctx.db.query<{ n: number }>(
            `SELECT count(*)::int4 AS n FROM declarations WHERE office = $1 AND date = $2 AND lane IS NULL`,
            [testOffice, day],
          );
          assert.equal(unassessed?.n, 0, 'every declaration has a lane');
          const [all] = await ctx.db.query<{ n: number }>(
            'SELECT count(*)::int4 AS n FROM declarations WHERE date = $1',
            [day],
          );
          assert.equal(all?.n, imported + statuses.length);

          const places = await ctx.db.query<{ lane: string; used: number; places: number; holders: number }>(
            `SELECT l.lane,
                  coalesce((SELECT u.used FROM control_capacity_use u WHERE u.office = $1 AND u.day = $2 AND u.lane = l.lane), 0) AS used,
                  coalesce((SELECT u.places FROM control_capacity_use u WHERE u.office = $1 AND u.day = $2 AND u.lane = l.lane), 0) AS places,
                  (SELECT count(*) FROM risk_assessments a
                   WHERE a.office = $1 AND a.day = $2 AND a.lane = l.lane AND NOT a.random)::int4 AS holders
           FROM (VALUES ('red'), ('yellow')) AS l(lane) ORDER BY l.lane`,
            [testOffice, day],
          );
          assert.deepEqual(places, [
            { lane: 'red', used: red, places: red, holders: red },
            { lane: 'yellow', used: yellow, places: yellow, holders: yellow },
          ]);
        });
    },
  );
}
