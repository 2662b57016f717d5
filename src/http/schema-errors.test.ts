/**
 * A request a route's schema refuses is said in sentences, for every route by the one error
 * mapper: the field by its name with its path in brackets, what is expected in words (never a
 * regular expression), unknown fields and query parameters named as such. The error code, the
 * status and each problem's path and keyword stay for clients.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Role } from '../governance/roles.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

interface Refusal {
  name: string;
  as: Role;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** The whole message, word for word. */
  message: string;
  /** Each problem's path and keyword, in order. */
  details: [path: string, keyword: string][];
}

const refusals: Refusal[] = [
  {
    name: 'a declarations search with a long reference, an unknown lane, an impossible day and an unknown parameter',
    as: 'officer',
    method: 'GET',
    path: `/api/declarations?reference=${'R'.repeat(36)}&lane=purple&from=2026-13-01&colour=red`,
    message:
      "Unknown query parameter 'colour'; Reference (reference) must be at most 35 characters (it has 36); " +
      "Lane (lane) must be one of 'red', 'yellow', 'blue', 'green'; " +
      'From (from) must be a calendar day written YYYY-MM-DD, from 1900-01-01 to 9999-12-31.',
    details: [
      ['colour', 'additionalProperties'],
      ['reference', 'maxLength'],
      ['lane', 'anyOf'],
      ['from', 'format'],
    ],
  },
  {
    name: 'a lodging with a long reference and bad fields of its first item',
    as: 'trader',
    method: 'POST',
    path: '/api/declarations',
    body: aDeclaration({
      functionalReference: 'X'.repeat(40),
      items: [anItem({ supplementaryUnit: 12, colour: 'red' })],
    }),
    message:
      'Functional reference (functionalReference) must be at most 35 characters (it has 40); ' +
      "Unknown field 'colour' in item 1 (items[0]); " +
      'Item 1, supplementary unit (items[0].supplementaryUnit) must be text.',
    details: [
      ['functionalReference', 'maxLength'],
      ['items[0].colour', 'additionalProperties'],
      ['items[0].supplementaryUnit', 'type'],
    ],
  },
  {
    name: 'a batch whose declaration has an HS code written as a number',
    as: 'trader',
    method: 'POST',
    path: '/api/declarations/batch',
    body: { declarations: [aDeclaration({ items: [anItem({ hsCode: 7013 })] })] },
    message: 'Declaration 1, item 1, HS code (declarations[0].items[0].hsCode) must be text.',
    details: [['declarations[0].items[0].hsCode', 'type']],
  },
  {
    name: 'a batch without its declarations',
    as: 'trader',
    method: 'POST',
    path: '/api/declarations/batch',
    body: {},
    message: 'Declarations (declarations) is required.',
    details: [['declarations', 'required']],
  },
  {
    name: 'a profile with an unknown field and a condition with a note',
    as: 'risk_analyst',
    method: 'POST',
    path: '/api/risk/profiles',
    body: { code: 'P', conditions: [{ field: 'trader', op: 'eq', value: 'T', note: 'x' }], colour: 1 },
    message: "Unknown field 'colour'; Unknown field 'note' in condition 1 (conditions[0]).",
    details: [
      ['colour', 'additionalProperties'],
      ['conditions[0].note', 'additionalProperties'],
    ],
  },
  {
    name: 'a reference search with a long text',
    as: 'trader',
    method: 'GET',
    path: `/api/reference/hs?q=${'a'.repeat(101)}`,
    message: 'Search text (q) must be at most 100 characters (it has 101).',
    details: [['q', 'maxLength']],
  },
  {
    name: 'a reference search for too many results',
    as: 'trader',
    method: 'GET',
    path: '/api/reference/countries?limit=0',
    message: 'Limit (limit) must be a whole number from 1 to 50, written in digits.',
    details: [['limit', 'integer']],
  },
  {
    name: 'an HS code with a letter',
    as: 'trader',
    method: 'GET',
    path: '/api/reference/hs/7013x',
    message: "HS code (code) must be an HS chapter, heading or subheading: 2, 4 or 6 digits, such as '7013'.",
    details: [['code', 'pattern']],
  },
  {
    name: 'statistics in a lower-case currency over an unknown period',
    as: 'supervisor',
    method: 'GET',
    path: '/api/stats/declarations?currency=usd&period=year',
    message:
      "Period (period) must be one of 'day', 'week', 'month'; " +
      "Currency (currency) must be an ISO 4217 currency code: three capital letters, such as 'USD'.",
    details: [
      ['period', 'enum'],
      ['currency', 'pattern'],
    ],
  },
];

for (const target of storageTargets()) {
  describe(`schema refusals in words (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    for (const r of refusals)
      test(`says what is wrong with ${r.name}`, async () => {
        const res = await server.request(r.method, r.path, { token: tokens[r.as], body: r.body });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error, 'invalid_request');
        assert.equal(res.body.message, r.message);
        const details = res.body.details as {
          path: string;
          keyword: string;
          message: string;
          field?: string;
        }[];
        assert.deepEqual(
          details.map((d) => [d.path, d.keyword]),
          r.details,
        );
        for (const d of details) {
          const said = d.field === undefined ? d.message : `'${d.field}'`;
          assert.ok(res.body.message.includes(said), `${said} is in the message`);
          assert.doesNotMatch(d.message, /\^|\$|\\d|must NOT|schema/, 'no regular expression or jargon');
        }
      });

    test('names each field in the details in words, an unknown one by its own name', async () => {
      const res = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration({ items: [anItem({ netMass: 'heavy', colour: 'red' })] }),
      });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.details, [
        {
          path: 'items[0].colour',
          keyword: 'additionalProperties',
          message: 'is an unknown field',
          field: 'colour',
        },
        { path: 'items[0].netMass', keyword: 'type', name: 'Item 1, net mass', message: 'must be a number' },
      ]);
    });

    test('says a request body that is not an object as a whole', async () => {
      const res = await server.request('POST', '/api/declarations/validate', {
        token: tokens.trader,
        body: [1],
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.message, 'The body must be a group of fields (a JSON object).');
    });
  });
}
