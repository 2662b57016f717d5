/**
 * Narrowing the ledger over HTTP: by actor, action, subject and time range, each filter a
 * parameter of the query, paged by seq like the whole ledger; values no database could take are
 * refused with a 400 naming them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Role } from '../roles.ts';
import {
  aDeclaration,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../../testing/harness.ts';

interface Entry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subjectKind: string;
  subjectId: string | null;
}

for (const target of storageTargets()) {
  describe(`filtering the ledger over HTTP (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    const lodged: number[] = [];

    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
      for (let i = 0; i < 3; i++) {
        const res = await server.request('POST', '/api/declarations', {
          token: tokens.trader,
          body: aDeclaration(),
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        lodged.push(Number(res.body.id));
      }
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    const list = async (query: string, status = 200) => {
      const res = await server.request('GET', `/api/ledger?${query}`, { token: tokens.auditor });
      assert.equal(res.status, status, JSON.stringify(res.body));
      return res.body as { items: Entry[]; nextCursor: number | null; error?: string; message?: string };
    };
    const all = async () => (await list('limit=1000')).items;

    test('by action and actor: only the matching entries, in seq order, paged', async () => {
      const everything = await all();
      const expected = everything.filter((e) => e.action === 'declaration.lodged');
      assert.equal(expected.length, 3);
      const first = await list('action=declaration.lodged&actor=trader&limit=2');
      assert.deepEqual(
        first.items.map((e) => e.seq),
        expected.slice(0, 2).map((e) => e.seq),
      );
      assert.equal(first.nextCursor, expected[1]?.seq);
      const rest = await list(`action=declaration.lodged&actor=trader&limit=2&after=${first.nextCursor}`);
      assert.deepEqual(
        rest.items.map((e) => e.seq),
        [expected[2]?.seq],
      );
      assert.equal(rest.nextCursor, null);
      assert.deepEqual((await list('action=declaration.lodged&actor=officer')).items, []);
      const created = (await list('actor=system&action=user.created')).items;
      assert.ok(created.length >= 7, `${created.length} users created`);
      assert.ok(created.every((e) => e.actor === 'system' && e.action === 'user.created'));
    });

    test('by subject: its kind, and with it an id', async () => {
      const about = (await list(`subjectKind=declaration&subjectId=${lodged[1]}`)).items;
      assert.ok(about.length >= 1);
      assert.ok(about.every((e) => e.subjectKind === 'declaration' && e.subjectId === String(lodged[1])));
      const users = (await list('subjectKind=user')).items;
      assert.ok(users.length >= 7 && users.every((e) => e.subjectKind === 'user'));
      const refused = await list('subjectKind=spaceship', 400);
      assert.equal(refused.error, 'invalid_request');
      assert.match(refused.message ?? '', /subjectKind/);
    });

    test('by time range: from inclusive, to exclusive', async () => {
      const everything = await all();
      const middle = everything[Math.floor(everything.length / 2)];
      assert.ok(middle);
      const since = (await list(`from=${encodeURIComponent(middle.at)}&limit=1000`)).items;
      assert.deepEqual(
        since.map((e) => e.seq),
        everything.filter((e) => e.at >= middle.at).map((e) => e.seq),
      );
      const before = (await list(`to=${encodeURIComponent(middle.at)}&limit=1000`)).items;
      assert.deepEqual(
        before.map((e) => e.seq),
        everything.filter((e) => e.at < middle.at).map((e) => e.seq),
      );
      // an offset is read as the moment it names
      const shifted = middle.at.replace('Z', '+00:00');
      assert.equal((await list(`from=${encodeURIComponent(shifted)}&limit=1000`)).items.length, since.length);
      assert.deepEqual((await list('from=2999-01-01T00:00:00Z')).items, []);
    });

    test('a moment that is not one, or a range that ends before it starts, is refused with a 400', async () => {
      for (const [query, pattern] of [
        ['from=yesterday', /from/],
        ['to=2026-13-01T00:00:00Z', /to/],
        ['from=0000-01-01T00:00:00Z', /from is not a moment/],
        [`to=${encodeURIComponent('9999-12-31T23:59:59-23:59')}`, /to is not a moment/],
        ['to=2026-12-31T23:59:60Z', /to/],
        ['subjectId=' + 'x'.repeat(201), /subjectId/],
        ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', /from .* must come before to/],
        ['actor=', /actor/],
        ['colour=red', /colour|additional/],
      ] as const) {
        const refused = await list(query, 400);
        assert.equal(refused.error, 'invalid_request', query);
        assert.match(refused.message ?? '', pattern, query);
      }
    });

    test('the OpenAPI document names every filter', async () => {
      const doc = await server.request('GET', '/api/openapi.json', { token: tokens.auditor });
      const paths = doc.body.paths as Record<string, { get: { parameters: { name: string }[] } }>;
      const names = paths['/api/ledger']?.get.parameters.map((p) => p.name) ?? [];
      for (const name of ['after', 'limit', 'actor', 'action', 'subjectKind', 'subjectId', 'from', 'to'])
        assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    });

    test('only auditors read it, filtered or not', async () => {
      for (const role of [Role.Trader, Role.Officer, Role.Supervisor]) {
        const res = await server.request('GET', '/api/ledger?action=declaration.lodged', {
          token: tokens[role],
        });
        assert.equal(res.status, 403, role);
      }
    });
  });
}
