import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  createUserToken,
  openTestContext,
  otherTrader,
  startTestServer,
  storageTargets,
  testDeclarant,
  testTrader,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

interface Listed {
  functionalReference: string;
  trader: string;
  office: string;
}

for (const target of storageTargets()) {
  describe(`searching declarations (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let otherToken: string;
    const run = `S${process.pid}`;

    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      otherToken = await createUserToken(ctx, {
        username: 'trader-b',
        role: Role.Trader,
        partyId: otherTrader,
      });
      server = await startTestServer(ctx);
      const lodge = async (token: string, name: string, overrides: Record<string, unknown>) => {
        const res = await server.request('POST', '/api/declarations', {
          token,
          body: aDeclaration({ functionalReference: `${run}-${name}`, ...overrides }),
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      };
      await lodge(tokens.trader, 'A1', { date: '2026-03-02' });
      await lodge(tokens.trader, 'A10', { date: '2026-03-05', office: '020' });
      await lodge(tokens.trader, 'A2', {
        date: '2026-03-09',
        items: [anItem(), anItem({ sequence: 2, hsCode: '61091000', description: 'cotton t-shirts' })],
      });
      // the other trader uses the same reference as the first: references are each trader's own
      await lodge(otherToken, 'A1', { trader: otherTrader, date: '2026-03-03' });
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    const search = async (query: string, token = tokens.officer) => {
      const res = await server.request('GET', `/api/declarations?${query}`, { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body.items as Listed[]).map(
        (d) => d.functionalReference + (d.trader === otherTrader ? '/B' : ''),
      );
    };

    test('a reference finds the declarations starting with it, or exactly it', async () => {
      assert.deepEqual(await search(`reference=${run}-A1`), [`${run}-A1/B`, `${run}-A10`, `${run}-A1`]);
      assert.deepEqual(await search(`reference=${run}-A1&referenceMatch=exact`), [
        `${run}-A1/B`,
        `${run}-A1`,
      ]);
      assert.deepEqual(await search(`reference=${run}-A`), [
        `${run}-A1/B`,
        `${run}-A2`,
        `${run}-A10`,
        `${run}-A1`,
      ]);
      assert.deepEqual(await search(`reference=${run}-Z`), []);
    });

    test('a reference matches whatever its case, as a start or exactly', async () => {
      const lower = run.toLowerCase();
      assert.deepEqual(await search(`reference=${lower}-a1`), [`${run}-A1/B`, `${run}-A10`, `${run}-A1`]);
      assert.deepEqual(await search(`reference=${lower}-a1&referenceMatch=exact`), [
        `${run}-A1/B`,
        `${run}-A1`,
      ]);
      // a reference stored in lower case is found by capitals too
      const res = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration({ functionalReference: `m${lower}-mixed-Case`, date: '2026-02-01' }),
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(await search(`reference=M${run}-MIXED-CASE&referenceMatch=exact`), [
        `m${lower}-mixed-Case`,
      ]);
      assert.deepEqual(await search(`reference=M${run}-MIX`), [`m${lower}-mixed-Case`]);
      assert.deepEqual(await search(`reference=M${run}-MIXED&referenceMatch=exact`), []);
    });

    test('the wildcards of LIKE in a reference are matched as themselves', async () => {
      assert.deepEqual(await search(`reference=${encodeURIComponent(`${run}-%`)}`), []);
      assert.deepEqual(await search(`reference=${run}_A`), []);
      assert.deepEqual(await search(`reference=${run.toLowerCase()}_a`), []);
      assert.deepEqual(await search(`reference=${encodeURIComponent(`${run}\\`)}`), []);
    });

    test('trader, HS code of any item, office and date range narrow the search', async () => {
      assert.deepEqual(await search(`reference=${run}&trader=${otherTrader}`), [`${run}-A1/B`]);
      assert.deepEqual(await search(`reference=${run}&hs=6109`), [`${run}-A2`]);
      // HS codes as people write them: dots and spaces between the digits
      assert.deepEqual(await search(`reference=${run}&hs=6109.10`), [`${run}-A2`]);
      assert.deepEqual(await search(`reference=${run}&hs=${encodeURIComponent('6109 10 00')}`), [
        `${run}-A2`,
      ]);
      assert.deepEqual(await search(`reference=${run}&hs=6109.20`), []);
      assert.deepEqual(await search(`reference=${run}&hs=8517&office=020`), [`${run}-A10`]);
      assert.deepEqual(await search(`reference=${run}&from=2026-03-03&to=2026-03-05`), [
        `${run}-A1/B`,
        `${run}-A10`,
      ]);
      assert.deepEqual(await search(`reference=${run}&status=cancelled`), []);
      assert.deepEqual(await search(`reference=${run}&declarant=NOBODY`), []);
      assert.equal((await search(`reference=${run}&declarant=${testDeclarant}`)).length, 4);
    });

    test("a trader's search never returns another trader's declarations", async () => {
      assert.deepEqual(await search(`reference=${run}-A1`, tokens.trader), [`${run}-A10`, `${run}-A1`]);
      assert.deepEqual(await search(`trader=${otherTrader}`, tokens.trader), []);
      assert.deepEqual(await search(`reference=${run}&hs=85`, otherToken), [`${run}-A1/B`]);
      assert.deepEqual(await search(`trader=${testTrader}&reference=${run}`, otherToken), []);
      // a declarant sees the traders it represents only
      assert.deepEqual(await search(`reference=${run}-A1&referenceMatch=exact`, tokens.declarant), [
        `${run}-A1`,
      ]);
    });

    test('paging a search keeps its filters', async () => {
      const seen: string[] = [];
      let cursor: unknown = undefined;
      do {
        const res = await server.request(
          'GET',
          `/api/declarations?reference=${run}-A&trader=${testTrader}&limit=1${cursor ? `&before=${cursor}` : ''}`,
          { token: tokens.officer },
        );
        assert.equal(res.status, 200);
        seen.push(...(res.body.items as Listed[]).map((d) => d.functionalReference));
        cursor = res.body.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, [`${run}-A2`, `${run}-A10`, `${run}-A1`]);
    });

    for (const [query, named] of [
      [
        'hs=8',
        /^the HS code \(hs\) must be 2 to 10 digits, dots and spaces allowed \(such as 7013\.49\): "8" is not$/,
      ],
      ['hs=85x', /^the HS code \(hs\) must be 2 to 10 digits.*"85x" is not$/],
      ['hs=8.5.1.7.1.2.0.0.0.0.1', /HS code \(hs\) must be 2 to 10 digits/],
      [`hs=${'8'.repeat(33)}`, /hs/],
      [
        'referenceMatch=exact',
        /referenceMatch \(exact\) says how reference matches, but no reference is given/,
      ],
      [
        'referenceMatch=prefix&trader=X',
        /referenceMatch \(prefix\) says how reference matches, but no reference is given/,
      ],
      ['status=cleared', /status/],
      ['lane=purple', /lane/],
      ['referenceMatch=fuzzy', /referenceMatch/],
      [`reference=${'R'.repeat(36)}`, /reference/],
      ['reference=', /reference/],
      ['trader=', /trader/],
      ['office=' + 'O'.repeat(18), /office/],
      ['from=2026-02-30', /from/],
      ['from=2026-03-09&to=2026-03-01', /from \(2026-03-09\) is after to \(2026-03-01\)/],
      ['kind=IM', /kind/],
    ] as const) {
      test(`a bad filter (${query.slice(0, 30)}) is a 400 naming it`, async () => {
        const res = await server.request('GET', `/api/declarations?${query}`, { token: tokens.officer });
        assert.deepEqual([res.status, res.body.error], [400, 'invalid_request'], JSON.stringify(res.body));
        assert.match(String(res.body.message), named);
      });
    }
  });
}
