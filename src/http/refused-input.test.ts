/**
 * Input that once reached a 500: text PostgreSQL cannot store, a URL that does not decode, numbers
 * out of range or written loosely in ids and cursors, days PostgreSQL cannot take. Each is a 4xx
 * naming the field, on every storage engine.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Role } from '../governance/roles.ts';
import { clearwayCsv } from '../testing/clearway-csv.ts';
import {
  aDeclaration,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

interface Example {
  name: string;
  as?: Role;
  method: 'GET' | 'POST';
  /** The path; `:id` is a declaration of the trader, `:import` an upload of the trader. */
  path: string;
  /** A JSON text, sent as it is so that lone surrogates travel escaped. */
  raw?: string;
  status: number;
  /** Where the refusal says the problem is. */
  names: RegExp;
}

const examples: Example[] = [
  {
    name: 'a NUL in the name of an API token',
    as: 'trader',
    method: 'POST',
    path: '/api/auth/tokens',
    raw: '{"name":"a\\u0000b"}',
    status: 400,
    names: /body field name contains a NUL character/,
  },
  {
    name: 'a NUL in the office of a worklist',
    as: 'officer',
    method: 'GET',
    path: '/api/worklist?office=a%00b',
    status: 400,
    names: /query parameter office contains a NUL character/,
  },
  {
    name: 'a NUL in the reason of a legal hold',
    as: 'supervisor',
    method: 'POST',
    path: '/api/declarations/:id/legal-hold',
    raw: '{"reason":"a\\u0000b"}',
    status: 400,
    names: /body field reason contains a NUL character/,
  },
  {
    name: 'a lone surrogate in the name of a risk profile',
    as: 'risk_analyst',
    method: 'POST',
    path: '/api/risk/profiles',
    raw: '{"code":"P1","name":"bad \\ud800 name","lane":"red","weight":5,"reason":"r","validFrom":"2026-01-01","conditions":[{"field":"originCountry","op":"eq","value":"CN"}]}',
    status: 400,
    names: /body field name contains a lone UTF-16 surrogate/,
  },
  {
    name: 'a lone low surrogate in a declaration item',
    as: 'trader',
    method: 'POST',
    path: '/api/declarations',
    raw: JSON.stringify(aDeclaration()).replace('smartphones', 'smart\\udc00phones'),
    status: 400,
    names: /body field items\[0\]\.description contains a lone UTF-16 surrogate/,
  },
  {
    name: 'a URL that does not decode, without signing in',
    method: 'GET',
    path: '/%25',
    status: 400,
    names: /the path \/% does not decode/,
  },
  {
    name: 'a URL with a broken escape, without signing in',
    method: 'GET',
    path: '/api/declarations/%E0%A4%A',
    status: 400,
    names: /is not a valid url component/,
  },
  ...['1e21', '99999999999999999999', 'Infinity'].map((before): Example => ({
    name: `a declarations cursor before=${before}`,
    as: 'trader',
    method: 'GET',
    path: `/api/declarations?before=${before}`,
    status: 400,
    names: /Before \(before\) must be a whole number from 1 to 9007199254740991, written in digits/,
  })),
  {
    name: 'a worklist cursor whose id is out of range',
    as: 'officer',
    method: 'GET',
    path: '/api/worklist?office=ICN&after=1_1000000000000000000000',
    status: 400,
    names: /after must be a nextCursor/,
  },
  {
    name: 'a rejects cursor whose line is out of range',
    as: 'trader',
    method: 'GET',
    path: '/api/imports/:import/rejects?after=9999999999_1',
    status: 400,
    names:
      /after must be a nextCursor from a previous page: line_seq, each a whole number from 0 to 2147483647/,
  },
  ...['0x10', '1e3', '%201', '1.0', '-1'].map((id): Example => ({
    name: `a declaration id written ${decodeURIComponent(id)}`,
    as: 'trader',
    method: 'GET',
    path: `/api/declarations/${id}`,
    status: 400,
    names: /ID \(id\) must be a whole number from 1 to 9007199254740991, written in digits/,
  })),
  {
    name: 'a declaration dated 0000-01-01',
    as: 'trader',
    method: 'POST',
    path: '/api/declarations',
    raw: JSON.stringify(aDeclaration({ date: '0000-01-01' })),
    status: 422,
    names: /"path":"date","code":"date_out_of_range"/,
  },
  {
    name: 'a quality statistics window ending on 0000-01-01',
    as: 'officer',
    method: 'GET',
    path: '/api/stats/quality?to=0000-01-01',
    status: 400,
    names: /To \(to\) must be a calendar day written YYYY-MM-DD, from 1900-01-01 to 9999-12-31/,
  },
  {
    name: 'a declarations list from 0000-01-01',
    as: 'trader',
    method: 'GET',
    path: '/api/declarations?from=0000-01-01',
    status: 400,
    names: /From \(from\) must be a calendar day written YYYY-MM-DD, from 1900-01-01/,
  },
];

for (const target of storageTargets()) {
  describe(`input that once reached a 500 is refused naming the field, on ${target}`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let declarationId = 0;
    let importId = 0;

    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
      const lodged = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration(),
      });
      assert.equal(lodged.status, 201);
      declarationId = Number(lodged.body.id);
      const uploaded = await server.request('POST', '/api/imports?format=clearway', {
        token: tokens.trader,
        raw: clearwayCsv([]),
        headers: { 'content-type': 'text/csv' },
      });
      assert.equal(uploaded.status, 202);
      importId = Number(uploaded.body.id);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    for (const example of examples) {
      test(`${example.name} is a ${example.status} naming it`, async () => {
        const path = example.path.replace(':id', String(declarationId)).replace(':import', String(importId));
        const response = await server.request(example.method, path, {
          ...(example.as ? { token: tokens[example.as] } : {}),
          ...(example.raw === undefined ? {} : { raw: example.raw }),
        });
        assert.equal(response.status, example.status, JSON.stringify(response.body));
        assert.match(JSON.stringify(response.body), example.names);
        // the one error shape of the API, also for what the router refuses before any route
        assert.equal(response.body.error, example.status === 400 ? 'invalid_request' : 'validation_failed');
        assert.equal(typeof response.body.message, 'string');
      });
    }
  });
}
