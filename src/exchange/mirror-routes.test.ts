/**
 * The mirror routes through the real HTTP server on each engine: the statistics' period refused in
 * words when malformed, the CSV file named by checked months only, each read recorded in the ledger.
 * (Matching and the figures the routes serve: matching.test.ts.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sealPending } from '../governance/ledger/seal.ts';
import {
  aDeclaration,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`mirror routes (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<string, string>;

    before(async () => {
      ctx = await openTestContext(target, { CLEARWAY_ADMINISTRATION: 'AA' });
      server = await startTestServer(ctx);
      tokens = await createRoleUsers(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    const stats = (query: string) =>
      server.request('GET', `/api/exchange/mirror-statistics${query}`, { token: tokens.risk_analyst });

    test('a month of year 0000, before 1900 or malformed is refused 400 naming the parameter', async () => {
      for (const [query, field] of [
        ['?to=0000-01', 'to'],
        ['?from=0000-01&to=0000-01', 'from'],
        ['?from=1899-12&to=2026-01', 'from'],
        ['?to=2026-00', 'to'],
        ['?to=2026-1', 'to'],
        ['?from=20261-01', 'from'],
        ['?from=2026-01-01', 'from'],
      ] as const) {
        const refused = await stats(query);
        assert.equal(refused.status, 400, `${query}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.body.error, 'invalid_request');
        assert.match(
          JSON.stringify(refused.body),
          new RegExp(`${field}.*a month YYYY-MM from 1900-01 to 9999-12`),
        );
      }
    });

    test('the default period does not reach before 1900-01, and the CSV is named by the checked months', async () => {
      const early = await stats('?to=1900-05');
      assert.equal(early.status, 200, JSON.stringify(early.body));
      assert.deepEqual([early.body.from, early.body.to], ['1900-01', '1900-05']);
      const last = await stats('?from=9999-12&to=9999-12');
      assert.deepEqual([last.body.from, last.body.to], ['9999-12', '9999-12']);
      const csv = await stats('?to=1900-05&format=csv');
      assert.equal(csv.status, 200);
      assert.equal(
        csv.headers.get('content-disposition'),
        'attachment; filename="mirror-statistics-1900-01-1900-05.csv"',
      );
    });

    /** The ledger entries a step wrote: action, actor, subject and data. */
    async function recorded(step: () => Promise<unknown>) {
      await sealPending(ctx.db);
      const [head] = await ctx.db.query<{ seq: number }>('SELECT seq FROM ledger_head');
      await step();
      await sealPending(ctx.db);
      return ctx.db.query<{
        action: string;
        actor: string;
        subject_kind: string;
        subject_id: string | null;
        data: unknown;
      }>(
        'SELECT action, actor, subject_kind, subject_id, data::jsonb AS data FROM ledger WHERE seq > $1 ORDER BY seq',
        [head?.seq ?? -1],
      );
    }

    test("reading a declaration's mirror is recorded like reading the declaration, naming the records shown", async () => {
      const lodged = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration(),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      const id = String(lodged.body.id);
      const entries = await recorded(async () => {
        const read = await server.request('GET', `/api/declarations/${id}/mirror`, { token: tokens.officer });
        assert.equal(read.status, 200, JSON.stringify(read.body));
      });
      assert.deepEqual(entries, [
        {
          action: 'declaration.read',
          actor: 'officer',
          subject_kind: 'declaration',
          subject_id: id,
          data: { what: 'mirror', role: 'officer', records: [] },
        },
      ]);
      // refused or absent: nothing was read
      const none = await recorded(async () => {
        assert.equal(
          (await server.request('GET', `/api/declarations/${id}/mirror`, { token: tokens.trader })).status,
          403,
        );
        assert.equal(
          (await server.request('GET', '/api/declarations/999999999/mirror', { token: tokens.officer }))
            .status,
          404,
        );
      });
      assert.deepEqual(none, []);
    });

    test('reading the mirror statistics is recorded with its query, as JSON and as CSV', async () => {
      const entries = await recorded(async () => {
        assert.equal((await stats('?from=2026-01&to=2026-03')).status, 200);
        const csv = await server.request('GET', '/api/exchange/mirror-statistics?to=2026-02&format=csv', {
          token: tokens.administrator,
        });
        assert.equal(csv.status, 200);
        assert.equal((await stats('?to=0000-01')).status, 400);
      });
      assert.deepEqual(entries, [
        {
          action: 'exchange_messages.read',
          actor: 'risk-analyst',
          subject_kind: 'exchange_messages',
          subject_id: null,
          data: {
            what: 'mirror_statistics',
            role: 'risk_analyst',
            query: { from: '2026-01', to: '2026-03' },
          },
        },
        {
          action: 'exchange_messages.read',
          actor: 'administrator',
          subject_kind: 'exchange_messages',
          subject_id: null,
          data: { what: 'mirror_statistics', role: 'administrator', query: { to: '2026-02', format: 'csv' } },
        },
      ]);
    });

    test('the OpenAPI document names every status the mirror routes answer', async () => {
      const doc = await server.request('GET', '/api/openapi.json');
      const paths = doc.body.paths as Record<string, { get: { responses: Record<string, unknown> } }>;
      const statuses = (p: string) => Object.keys(paths[p]?.get.responses ?? {}).toSorted();
      assert.deepEqual(statuses('/api/declarations/{id}/mirror'), ['200', '400', '401', '403', '404']);
      assert.deepEqual(statuses('/api/exchange/mirror-statistics'), ['200', '400', '401', '403']);
      // each one answered
      const id = 'x';
      assert.equal(
        (await server.request('GET', `/api/declarations/${id}/mirror`, { token: tokens.officer })).status,
        400,
      );
      assert.equal((await server.request('GET', '/api/exchange/mirror-statistics')).status, 401);
      assert.equal(
        (await server.request('GET', '/api/exchange/mirror-statistics', { token: tokens.officer })).status,
        403,
      );
    });
  });
}
