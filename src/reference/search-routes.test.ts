import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import {
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

interface Answer {
  list: string;
  date: string;
  edition?: string | null;
  items: { code: string; description: string }[];
}

for (const target of storageTargets()) {
  describe(`searching the code lists over HTTP (${target})`, () => {
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
    const search = async (path: string, role: Role = Role.Trader) => {
      const res = await server.request('GET', path, { token: tokens[role] });
      return {
        status: res.status,
        body: res.body as unknown as Answer & { error?: string; message?: string },
      };
    };
    const codes = (answer: Answer) => answer.items.map((i) => i.code);

    test('finds HS subheadings by the start of their code, dots ignored, in code order', async () => {
      const res = await search('/api/reference/hs?q=7013.3&date=2026-03-02');
      assert.equal(res.status, 200);
      assert.deepEqual([res.body.list, res.body.edition], ['hs', 'HS2022']);
      assert.deepEqual(codes(res.body), ['701333', '701337']);
      assert.match(res.body.items[0]?.description ?? '', /drinking glasses/);
    });

    test('a code with national digits finds its subheading', async () => {
      const res = await search('/api/reference/hs?q=7013491000&date=2026-03-02');
      assert.deepEqual(codes(res.body), ['701349']);
    });

    test('finds HS subheadings by words, every word matching, word starts first', async () => {
      const res = await search('/api/reference/hs?q=Drinking%20GLASSES%20lead&date=2026-03-02&limit=50');
      assert.equal(res.status, 200);
      // 701322 "Stemware drinking glasses, of lead crystal" and 701333; 701328 and 701337 say "other
      // than of lead crystal", 701341 "(not drinking glasses), of lead crystal": all hold the three words
      assert.deepEqual(codes(res.body), ['701322', '701328', '701333', '701337', '701341']);
      const glass = await search('/api/reference/hs?q=glass&date=2026-03-02&limit=50');
      const items = glass.body.items;
      assert.equal(items.length, 50);
      assert.ok(items.every((i) => /glass/i.test(i.description)));
    });

    test('the edition searched is the one in force on the date', async () => {
      const old = await search('/api/reference/hs?q=yoghurt&date=2021-06-01');
      assert.deepEqual([old.body.edition, codes(old.body)[0]], ['HS2017', '040310']);
      const current = await search('/api/reference/hs?q=yoghurt&date=2022-01-01');
      assert.deepEqual([current.body.edition, codes(current.body)[0]], ['HS2022', '040320']);
      assert.ok(!codes(current.body).includes('040310'), '040310 is not in HS 2022');
      const before = await search('/api/reference/hs?q=yoghurt&date=2016-12-31');
      assert.deepEqual([before.status, before.body.edition, before.body.items], [200, null, []]);
    });

    test('codes= answers exactly the given HS subheadings in the edition in force, in one request', async () => {
      // 040310 is in HS 2017 only, 040320 in HS 2022 only; 999999 in neither
      const asked = '701349,040310,040320,701349,999999';
      const current = await search(`/api/reference/hs?codes=${asked}&date=2026-03-02`);
      assert.equal(current.status, 200);
      assert.equal(current.body.edition, 'HS2022');
      assert.deepEqual(codes(current.body), ['701349', '040320']);
      // each description is the one the single-code route gives for that edition
      for (const item of current.body.items) {
        const one = await server.request('GET', `/api/reference/hs/${item.code}?date=2026-03-02`, {
          token: tokens.trader,
        });
        assert.equal(item.description, one.body.description, item.code);
      }
      const old = await search(`/api/reference/hs?codes=${asked}&date=2021-06-01`);
      assert.deepEqual([old.body.edition, codes(old.body)], ['HS2017', ['701349', '040310']]);
      const many = Array.from({ length: 200 }, (_, i) => String(701300 + i));
      const full = await search(`/api/reference/hs?codes=${many.join(',')}&date=2026-03-02`);
      assert.equal(full.status, 200);
      assert.ok(codes(full.body).includes('701349') && full.body.items.length < 200);
      const none = await search('/api/reference/hs?codes=040310&date=2016-12-31');
      assert.deepEqual([none.status, none.body.edition, none.body.items], [200, null, []]);
    });

    test('refuses bad codes=, naming the problem', async () => {
      const tooMany = Array.from({ length: 201 }, (_, i) => String(100000 + i)).join(',');
      const cases: [string, RegExp][] = [
        ['/api/reference/hs?codes=70134', /6-digit HS subheadings.*"70134"/],
        ['/api/reference/hs?codes=701349,70134a', /"70134a"/],
        ['/api/reference/hs?codes=701349,,701333', /6-digit HS subheadings.*""/],
        ['/api/reference/hs?codes=', /6-digit HS subheadings/],
        [`/api/reference/hs?codes=${tooMany}`, /at most 200|1 to 200/],
        [
          `/api/reference/hs?codes=${'7'.repeat(2001)}`,
          /Codes \(codes\) must be at most 2,000 characters \(it has 2,001\)/,
        ],
        ['/api/reference/countries?codes=CN', /codes is for the hs list only/],
        ['/api/reference/hs?codes=701349&q=glass', /either q or codes/],
        ['/api/reference/hs?codes=701349&date=2026-02-30', /date/],
      ];
      for (const [path, message] of cases) {
        const res = await search(path);
        assert.deepEqual([res.status, res.body.error], [400, 'invalid_request'], path);
        assert.match(String(res.body.message), message, path);
      }
      const anonymous = await server.request('GET', '/api/reference/hs?codes=701349');
      assert.equal(anonymous.status, 401);
    });

    test('countries by name ignore accents and case; codes come first', async () => {
      const ivory = await search('/api/reference/countries?q=cote%20d%27ivoire');
      assert.deepEqual(codes(ivory.body), ['CI']);
      const accented = await search('/api/reference/countries?q=C%C3%94TE');
      assert.deepEqual(codes(accented.body), ['CI']);
      const korea = await search('/api/reference/countries?q=korea');
      assert.deepEqual(codes(korea.body).sort(), ['KP', 'KR']);
      const gb = await search('/api/reference/countries?q=gb&limit=3');
      assert.equal(codes(gb.body)[0], 'GB');
    });

    test('currencies, units, package types, procedures, transport modes, Incoterms and the other coded fields are searched alike', async () => {
      const table: [string, string, string][] = [
        ['currencies', 'euro', 'EUR'],
        ['currencies', 'krw', 'KRW'],
        ['units', 'kilogram', 'KGM'],
        ['package-types', 'carton', 'CT'],
        ['procedures', 'free circulation customs warehousing', '4071'],
        ['procedures', '4000', '4000'],
        ['transport-modes', 'air', '4'],
        ['transport-modes', 'sea', '1'],
        ['incoterms', 'insurance freight', 'CIF'],
        ['incoterms', 'fob', 'FOB'],
        ['transport-documents', 'air waybill', 'N740'],
        ['transport-documents', 'n705', 'N705'],
        ['additional-procedures', 'negligible value', 'C07'],
        ['payment-methods', 'deferment', 'E'],
        ['declaration-kinds', 'before the goods are presented', 'D'],
        ['declaration-kinds', 'supplementary', 'Z'],
        ['duty-tax-types', 'customs duties', 'A00'],
        ['duty-tax-types', 'anti-dumping', 'A30'],
        ['origin-types', 'preferential', '2'],
      ];
      for (const [list, q, expected] of table) {
        const res = await search(`/api/reference/${list}?q=${encodeURIComponent(q)}&limit=50`);
        assert.equal(res.status, 200, `${list} ${q}`);
        assert.ok(
          codes(res.body).includes(expected),
          `${list} "${q}" finds ${expected}: ${codes(res.body).join()}`,
        );
      }
      // transport documents only (UN/EDIFACT 7xx), written with their category N
      const documents = await search('/api/reference/transport-documents?limit=50');
      assert.ok(codes(documents.body).length >= 5, codes(documents.body).join());
      assert.deepEqual(
        codes(documents.body).filter((c) => !/^N7\d\d$/.test(c)),
        [],
      );
      assert.equal(
        codes(documents.body).includes('N380'),
        false,
        'a commercial invoice is no transport document',
      );
      const noPrevious = await search('/api/reference/procedures?q=4000');
      assert.match(
        noPrevious.body.items[0]?.description ?? '',
        /^Simultaneous release .*no previous procedure$/,
      );
    });

    test('offices are those in force on the date', async () => {
      const added = await server.request('POST', '/api/offices', {
        token: tokens[Role.Administrator],
        body: {
          code: 'ZQ900',
          name: 'Zuidhaven quay',
          country: 'NL',
          validFrom: '2024-01-01',
          validTo: '2024-12-31',
        },
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      const during = await search('/api/reference/offices?q=zuidhaven&date=2024-06-30');
      assert.deepEqual(during.body.items, [{ code: 'ZQ900', description: 'Zuidhaven quay (NL)' }]);
      const afterwards = await search('/api/reference/offices?q=zuidhaven&date=2025-01-01');
      assert.deepEqual(afterwards.body.items, []);
      const byCode = await search('/api/reference/offices?q=03&date=2025-01-01');
      assert.ok(codes(byCode.body).includes('030'));
    });

    test('every signed-in role may search; nobody else', async () => {
      for (const role of Object.values(Role)) {
        assert.equal((await search('/api/reference/currencies?q=usd', role)).status, 200, role);
      }
      const anonymous = await server.request('GET', '/api/reference/currencies?q=usd');
      assert.deepEqual([anonymous.status, anonymous.body.error], [401, 'unauthenticated']);
    });

    test('refuses an unknown list, a bad date, a long query and a bad limit, naming the problem', async () => {
      const cases: [string, RegExp][] = [
        ['/api/reference/planets?q=mars', /no code list "planets"; the lists are hs, countries/],
        ['/api/reference/hs?q=glass&date=2026-02-30', /date/],
        ['/api/reference/hs?q=glass&date=yesterday', /date/],
        [`/api/reference/hs?q=${'a'.repeat(101)}`, /Search text \(q\) must be at most 100 characters/],
        ['/api/reference/hs?q=glass&limit=0', /limit/],
        ['/api/reference/hs?q=glass&limit=51', /limit/],
        ['/api/reference/hs?q=glass&limit=ten', /limit/],
        ['/api/reference/hs?query=glass', /query/],
      ];
      for (const [path, message] of cases) {
        const res = await search(path);
        assert.deepEqual([res.status, res.body.error], [400, 'invalid_request'], path);
        assert.match(String(res.body.message), message, path);
      }
    });
  });
}
