/**
 * Dashboard statistics through the real server on each storage: counts and sums per period and
 * key for known declarations, currencies kept apart, top keys and the rest, scoping by trader, and
 * bad input refused with the parameter named.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

type Body = Record<string, unknown>;

interface Series {
  key: string | null;
  label: string;
  total: Record<string, number>;
  [measure: string]: unknown;
}

const seriesOf = (body: Body): Series[] => body.series as Series[];

/** Each series as `key: measure per period`, for one readable assertion. */
const table = (body: Body, measure: string) =>
  Object.fromEntries(seriesOf(body).map((s) => [s.key ?? '(other)', s[measure]]));

const totals = (body: Body) => Object.fromEntries(seriesOf(body).map((s) => [s.key ?? '(other)', s.total]));

const window = 'from=2026-01-01&to=2026-02-28';

for (const target of storageTargets()) {
  describe(`dashboard statistics on ${target}`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let otherTraderToken: string;
    const lanes: Record<string, string> = {};

    const get = async (path: string, token = tokens.supervisor) => {
      const response = await server.request('GET', path, { token });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body;
    };

    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      otherTraderToken = await createUserToken(ctx, {
        username: 'trader-b',
        role: Role.Trader,
        partyId: otherTrader,
      });
      server = await startTestServer(ctx);

      const lodge = async (name: string, token: string, overrides: Body) => {
        const response = await server.request('POST', '/api/declarations', {
          token,
          body: aDeclaration(overrides),
        });
        assert.equal(response.status, 201, JSON.stringify(response.body));
        const id = response.body.id;
        assert.ok(typeof id === 'number');
        lanes[name] = String(response.body.lane);
        return id;
      };
      const phones = (value: number, more: Body = {}) => anItem({ value, ...more });
      // January: a declaration with goods under two chapters of section XVI and two origins
      await lodge('d1', tokens.trader, {
        date: '2026-01-05',
        invoiceTotal: 1500,
        items: [
          phones(1000, { dutyRate: 5 }),
          anItem({
            sequence: 2,
            hsCode: '84713000',
            description: 'laptops',
            originCountry: 'VN',
            value: 500,
            dutyRate: 2.5,
          }),
        ],
      });
      // T-shirts and trousers (two chapters of section XI), the first declared as a gift, with a
      // wrong invoice total: two findings
      const clothing = {
        originCountry: 'BD',
        supplementaryUnit: undefined,
        supplementaryQuantity: undefined,
      };
      await lodge('d2', tokens.trader, {
        date: '2026-01-20',
        invoiceTotal: 999,
        originCountry: 'BD',
        items: [
          anItem({ ...clothing, hsCode: '61091000', description: 'gift', value: 300, dutyRate: 12 }),
          anItem({
            ...clothing,
            sequence: 2,
            hsCode: '62034200',
            description: 'cotton trousers',
            value: 100,
            dutyRate: 16.5,
          }),
        ],
      });
      // February: one in euros, one in dollars with two vague items, one cancelled
      await lodge('d3', tokens.trader, {
        date: '2026-02-10',
        office: '020',
        currency: 'EUR',
        invoiceTotal: 2000,
        items: [phones(2000, { dutyRate: 5 })],
      });
      await lodge('d4', tokens.trader, {
        date: '2026-02-11',
        office: '020',
        invoiceTotal: 700,
        // 350 × 3.33% = 11.655, rounded half away from zero to 11.66 on each item
        items: [
          phones(350, { description: 'parts', dutyRate: 3.33 }),
          phones(350, { sequence: 2, description: 'parts', dutyRate: 3.33 }),
        ],
      });
      const cancelled = await lodge('d5', tokens.trader, {
        date: '2026-02-12',
        invoiceTotal: 900,
        items: [phones(900, { description: 'gift', dutyRate: 5 })],
      });
      const cancel = await server.request('POST', `/api/declarations/${cancelled}/cancel`, {
        token: tokens.trader,
        body: { reason: 'lodged twice' },
      });
      assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
      // another trader's coffee (section II) with a wrong invoice total
      await lodge('d6', otherTraderToken, {
        date: '2026-02-15',
        trader: otherTrader,
        originCountry: 'BR',
        invoiceTotal: 450,
        items: [
          anItem({
            hsCode: '09011100',
            description: 'green coffee beans',
            originCountry: 'BR',
            value: 400,
            dutyRate: 2,
          }),
        ],
      });
      // outside the window
      await lodge('d7', tokens.trader, { date: '2025-12-31', items: [phones(1200, { dutyRate: 5 })] });
    });

    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    describe('declarations over time', () => {
      test('counts declarations and adds item values and duties per month, cancelled ones apart', async () => {
        const body = await get(`/api/stats/declarations?period=month&${window}`);
        assert.deepEqual(body.periods, ['2026-01-01', '2026-02-01']);
        assert.equal(body.currency, 'USD');
        assert.deepEqual(body.currencies, [
          { currency: 'USD', declarations: 4 },
          { currency: 'EUR', declarations: 1 },
        ]);
        // January 50 + 12.5 + 36 + 16.5; February 11.66 × 2 + 8 (the euros and the cancelled one left out)
        assert.deepEqual(body.perPeriod, {
          declarations: [2, 3],
          value: [1900, 1100],
          duty: [115, 31.32],
          cancelled: [0, 1],
        });
        assert.deepEqual(body.total, { declarations: 5, value: 3000, duty: 146.32, cancelled: 1 });
        assert.deepEqual(body.series, []);
        assert.equal(body.by, null);
      });

      test('adds only the values and duties of the currency asked for, while counting every declaration', async () => {
        const body = await get(`/api/stats/declarations?period=month&${window}&currency=EUR&by=office`);
        assert.equal(body.currency, 'EUR');
        assert.deepEqual(body.perPeriod, {
          declarations: [2, 3],
          value: [0, 2000],
          duty: [0, 100],
          cancelled: [0, 1],
        });
        assert.deepEqual(totals(body), {
          '030': { declarations: 3, value: 0, duty: 0 },
          '020': { declarations: 2, value: 2000, duty: 100 },
        });
        const dollars = await get(`/api/stats/declarations?period=month&${window}&currency=USD&by=office`);
        assert.deepEqual(table(dollars, 'duty'), { '030': [115, 8], '020': [0, 23.32] });
      });

      test('breaks down by chapter per item, keeping the top keys and adding up the rest', async () => {
        const all = await get(`/api/stats/declarations?period=month&${window}&by=chapter`);
        assert.deepEqual(
          seriesOf(all).map((s) => s.key),
          ['85', '84', '09', '61', '62'],
          'most declarations first, then highest value',
        );
        assert.deepEqual(all.otherKeys, 0);
        const top = await get(`/api/stats/declarations?period=month&${window}&by=chapter&top=2`);
        // the T-shirts and trousers declaration has two of the other chapters and counts once
        assert.deepEqual(table(top, 'declarations'), { '85': [1, 2], '84': [1, 0], '(other)': [1, 1] });
        assert.deepEqual(table(top, 'value'), { '85': [1000, 700], '84': [500, 0], '(other)': [400, 400] });
        // each item's duty goes to its own chapter
        assert.deepEqual(table(top, 'duty'), { '85': [50, 23.32], '84': [12.5, 0], '(other)': [52.5, 8] });
        assert.deepEqual(totals(top)['(other)'], { declarations: 2, value: 800, duty: 60.5 });
        assert.equal(top.otherKeys, 3);
        const other = seriesOf(top).at(-1);
        assert.equal(other?.label, 'Other (3)');
        assert.match(seriesOf(top)[0]?.label ?? '', /^85 Electrical machinery/);
      });

      test('counts a declaration once in a section even when its items fall under two chapters of it', async () => {
        const body = await get(`/api/stats/declarations?period=month&${window}&by=section`);
        assert.deepEqual(table(body, 'declarations'), { XVI: [1, 2], II: [0, 1], XI: [1, 0] });
        assert.deepEqual(table(body, 'value'), { XVI: [1500, 700], II: [0, 400], XI: [400, 0] });
        assert.deepEqual(
          seriesOf(body).map((s) => s.key),
          ['XVI', 'II', 'XI'],
          'equal counts and values are ordered by key',
        );
        assert.match(seriesOf(body)[0]?.label ?? '', /^XVI Machinery and mechanical appliances/);
      });

      test('breaks down by the origin of each item', async () => {
        const body = await get(`/api/stats/declarations?period=month&${window}&by=origin`);
        assert.deepEqual(totals(body), {
          CN: { declarations: 3, value: 1700, duty: 73.32 },
          VN: { declarations: 1, value: 500, duty: 12.5 },
          BR: { declarations: 1, value: 400, duty: 8 },
          BD: { declarations: 1, value: 400, duty: 52.5 },
        });
        assert.equal(seriesOf(body).find((s) => s.key === 'VN')?.label, 'Vietnam');
      });

      test('breaks down by lane as assessed', async () => {
        const body = await get(`/api/stats/declarations?period=month&${window}&by=lane`);
        const expected: Record<string, number> = {};
        for (const name of ['d1', 'd2', 'd3', 'd4', 'd6']) {
          const lane = lanes[name] ?? '';
          expected[lane] = (expected[lane] ?? 0) + 1;
        }
        const counted = Object.fromEntries(seriesOf(body).map((s) => [s.key, s.total.declarations]));
        assert.deepEqual(counted, expected);
      });

      test('labels weeks by their Monday and fills weeks without declarations with zeros', async () => {
        const body = await get('/api/stats/declarations?period=week&from=2026-01-01&to=2026-01-31');
        assert.deepEqual(body.periods, [
          '2025-12-29',
          '2026-01-05',
          '2026-01-12',
          '2026-01-19',
          '2026-01-26',
        ]);
        // 2025-12-31 belongs to the first week but lies before the window
        assert.deepEqual(body.perPeriod, {
          declarations: [0, 1, 0, 1, 0],
          value: [0, 1500, 0, 400, 0],
          duty: [0, 62.5, 0, 52.5, 0],
          cancelled: [0, 0, 0, 0, 0],
        });
      });

      test('a day-by-day window counts each day', async () => {
        const body = await get(
          '/api/stats/declarations?period=day&from=2026-02-10&to=2026-02-12&by=office&currency=USD',
        );
        assert.deepEqual(body.perPeriod, {
          declarations: [1, 1, 0],
          value: [0, 700, 0],
          duty: [0, 23.32, 0],
          cancelled: [0, 0, 1],
        });
        assert.deepEqual(table(body, 'declarations'), { '020': [1, 1, 0] });
      });
    });

    describe('data quality over time', () => {
      test('counts findings by field, item numbers taken out, and the share of declarations with findings', async () => {
        const body = await get(`/api/stats/quality?period=month&${window}&by=field`);
        assert.deepEqual(body.perPeriod, {
          declarations: [2, 3],
          withFindings: [1, 2],
          findings: [2, 3],
          share: [0.5, 2 / 3],
        });
        assert.deepEqual(body.total, { declarations: 5, withFindings: 3, findings: 5, share: 0.6 });
        assert.deepEqual(table(body, 'findings'), { 'items[].description': [1, 2], invoiceTotal: [1, 1] });
        assert.deepEqual(table(body, 'declarations'), {
          'items[].description': [1, 1],
          invoiceTotal: [1, 1],
        });
        assert.deepEqual(
          seriesOf(body).map((s) => s.label),
          ['Description of goods', 'Total invoice amount'],
        );
      });

      test('counts findings by code', async () => {
        const body = await get(`/api/stats/quality?period=month&${window}&by=code`);
        assert.deepEqual(totals(body), {
          vague_description: { findings: 3, declarations: 2 },
          invoice_total_mismatch: { findings: 2, declarations: 2 },
        });
      });

      test('counts findings by trader, the rest in one series', async () => {
        const body = await get(`/api/stats/quality?period=month&${window}&by=trader&top=1`);
        assert.deepEqual(table(body, 'findings'), { 'TRADER-A': [2, 2], '(other)': [0, 1] });
        assert.deepEqual(totals(body), {
          'TRADER-A': { findings: 4, declarations: 2 },
          '(other)': { findings: 1, declarations: 1 },
        });
        assert.equal(body.otherKeys, 1);
      });

      test('a period without declarations has no share', async () => {
        const body = await get('/api/stats/quality?period=month&from=2026-01-01&to=2026-03-31');
        assert.deepEqual((body.perPeriod as Body).share, [0.5, 2 / 3, null]);
      });
    });

    describe('who sees what', () => {
      test("a trader's statistics hold only its own declarations", async () => {
        const mine = await get(`/api/stats/declarations?period=month&${window}&by=chapter`, tokens.trader);
        assert.deepEqual(mine.total, { declarations: 4, value: 2600, duty: 138.32, cancelled: 1 });
        assert.deepEqual(
          seriesOf(mine).map((s) => s.key),
          ['85', '84', '61', '62'],
        );
        const theirs = await get(
          `/api/stats/declarations?period=month&${window}&by=origin`,
          otherTraderToken,
        );
        assert.deepEqual(theirs.total, { declarations: 1, value: 400, duty: 8, cancelled: 0 });
        assert.deepEqual(theirs.currencies, [{ currency: 'USD', declarations: 1 }]);
        assert.deepEqual(totals(theirs), { BR: { declarations: 1, value: 400, duty: 8 } });
        const quality = await get(`/api/stats/quality?period=month&${window}&by=trader`, otherTraderToken);
        assert.deepEqual(totals(quality), { 'TRADER-B': { findings: 1, declarations: 1 } });
        assert.deepEqual(quality.total, { declarations: 1, withFindings: 1, findings: 1, share: 1 });
      });

      test('a declarant sees the declarations of the traders it represents', async () => {
        const body = await get(`/api/stats/quality?period=month&${window}&by=trader`, tokens.declarant);
        assert.deepEqual(totals(body), { 'TRADER-A': { findings: 4, declarations: 2 } });
      });

      for (const role of [Role.Administrator, Role.PartnerAgency]) {
        test(`a ${role.replace('_', ' ')} may not read the statistics`, async () => {
          const response = await server.request('GET', '/api/stats/declarations', { token: tokens[role] });
          assert.equal(response.status, 403);
          assert.equal(response.body.error, 'forbidden');
        });
      }
    });

    describe('bad input', () => {
      const cases: [query: string, message: RegExp][] = [
        ['/api/stats/declarations?from=2026-03-01&to=2026-01-01', /from 2026-03-01 is after to 2026-01-01/],
        [
          '/api/stats/declarations?from=2026-02-30',
          /From \(from\) must be a calendar day written YYYY-MM-DD/,
        ],
        ['/api/stats/declarations?to=yesterday', /To \(to\) must be a calendar day written YYYY-MM-DD/],
        ['/api/stats/declarations?period=year', /Period \(period\) must be one of 'day', 'week', 'month'/],
        ['/api/stats/declarations?by=trader', /By \(by\) must be one of 'section', 'chapter'/],
        [
          '/api/stats/declarations?currency=usd',
          /Currency \(currency\) must be an ISO 4217 currency code: three capital letters, such as 'USD'/,
        ],
        ['/api/stats/declarations?top=0', /Top \(top\) must be a whole number from 1 to 20/],
        [
          '/api/stats/declarations?top=many',
          /Top \(top\) must be a whole number from 1 to 20, written in digits/,
        ],
        ['/api/stats/declarations?office=ICN', /^Unknown query parameter 'office'\.$/],
        [
          '/api/stats/declarations?period=day&from=2025-01-01&to=2026-02-28',
          /from 2025-01-01 to 2026-02-28 spans more than 400 days: choose a longer period or a shorter window/,
        ],
        [
          '/api/stats/declarations?period=month&from=2020-01-01&to=2026-01-01',
          /the window from 2020-01-01 to 2026-01-01 is longer than 5 years/,
        ],
        ['/api/stats/quality?by=office', /By \(by\) must be one of 'field', 'code', 'trader'/],
        [
          '/api/stats/quality?period=week&from=2026-01-01&to=2025-12-01',
          /from 2026-01-01 is after to 2025-12-01/,
        ],
      ];
      for (const [query, message] of cases) {
        test(`refuses ${query.replace('/api/stats/', '')} and says why`, async () => {
          const response = await server.request('GET', query, { token: tokens.risk_analyst });
          assert.equal(response.status, 400, JSON.stringify(response.body));
          assert.equal(response.body.error, 'invalid_request');
          assert.match(String(response.body.message), message);
        });
      }
    });
  });
}
