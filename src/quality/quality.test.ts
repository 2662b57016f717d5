import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { importDeclarations } from '../declarations/importer.ts';
import { admissionFor } from '../declarations/upload-admission.ts';
import { QualityTally } from '../declarations/quality-counts.ts';
import { statsWindow } from '../stats/window.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  openTestContext,
  otherTrader,
  startTestServer,
  storageTargets,
  testTrader,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import { qualityCommand } from '../cli/quality.ts';
import { qualityScores, ScoreKey } from './scores.ts';

interface CountRow {
  day: string;
  trader_id: string;
  field: string;
  checked: number;
  missing: number;
  invalid: number;
  inconsistent: number;
}

async function counts(ctx: TestContext): Promise<string[]> {
  const rows = await ctx.db.query<CountRow>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, trader_id, field, checked::int AS checked,
            missing::int AS missing, invalid::int AS invalid, inconsistent::int AS inconsistent
     FROM quality_counts ORDER BY day, trader_id, field`,
  );
  return rows.map(
    (r) =>
      `${r.day} ${r.trader_id || '-'} ${r.field || '*'} ${r.checked}/${r.missing}/${r.invalid}/${r.inconsistent}`,
  );
}

const window = (from: string, to: string, period: 'day' | 'week' | 'month') => {
  const w = statsWindow({ from, to, period }, to);
  if (!w.ok) throw new Error(w.error.message);
  return w.value;
};

for (const target of storageTargets()) {
  describe(`data-quality scores on ${target}`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Awaited<ReturnType<typeof createRoleUsers>>;

    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    test('counts valid, warned and refused declarations lodged through the API and an import', async () => {
      const lodge = (body: unknown, token = tokens.trader) =>
        server.request('POST', '/api/declarations', { token, body });
      assert.equal((await lodge(aDeclaration())).status, 201);
      const warned = await lodge(aDeclaration({ invoiceTotal: 5000, dispatchCountry: 'ZZ' }));
      assert.equal(warned.status, 201);
      const refused = await lodge(
        aDeclaration({
          office: '',
          items: [anItem({ hsCode: '12', value: 600 }), anItem({ sequence: 2, hsCode: 'X', value: 600 })],
        }),
      );
      assert.equal(refused.status, 422);
      // a declarant lodging for a trader it does not represent is not counted against that trader
      const foreign = await lodge(aDeclaration({ trader: otherTrader, currency: '' }), tokens.declarant);
      assert.equal(foreign.status, 422);
      // the dry run stores nothing and counts nothing
      const dry = await server.request('POST', '/api/declarations/validate', {
        token: tokens.trader,
        body: aDeclaration({ office: '' }),
      });
      assert.equal(dry.status, 200);

      const csv = clearwayCsv([
        aClearwayRow('IMP-1', { date: '2026-03-03' }),
        aClearwayRow('IMP-2', { date: '2026-03-03', currency: '' }),
        aClearwayRow('IMP-3', { date: '2026-03-03', trader: otherTrader, invoice_total: '9000' }),
      ]);
      const summary = await importDeclarations(ctx.db, ctx.validation(), Readable.from([csv]), {
        format: 'clearway',
        actor: 'importer',
      });
      assert.deepEqual([summary.accepted, summary.rejected], [2, 1]);

      assert.deepEqual(await counts(ctx), [
        '2026-03-02 - * 1/0/0/0',
        '2026-03-02 - currency 0/1/0/0',
        '2026-03-02 TRADER-A * 3/0/0/0',
        '2026-03-02 TRADER-A dispatchCountry 0/0/1/0',
        '2026-03-02 TRADER-A invoiceTotal 0/0/0/1',
        '2026-03-02 TRADER-A items[].hsCode 0/0/1/0',
        '2026-03-02 TRADER-A office 0/1/0/0',
        '2026-03-03 TRADER-A * 2/0/0/0',
        '2026-03-03 TRADER-A currency 0/1/0/0',
        '2026-03-03 TRADER-B * 1/0/0/0',
        '2026-03-03 TRADER-B invoiceTotal 0/0/0/1',
      ]);
    });

    test("counts an upload's rows for someone else as unattributed, never against that trader", async () => {
      const admit = await admissionFor(ctx.db, { username: 'trader', role: 'trader', party: testTrader });
      const csv = clearwayCsv([
        aClearwayRow('UP-1', { date: '2026-05-04', invoice_total: '9000' }),
        aClearwayRow('UP-2', { date: '2026-05-04', trader: otherTrader }),
        aClearwayRow('UP-3', { date: '2026-05-04', trader: otherTrader, office: '' }),
        aClearwayRow('UP-4', { date: '2026-05-04', hs_code: '1' }),
      ]);
      const summary = await importDeclarations(ctx.db, ctx.validation(), Readable.from([csv]), {
        format: 'clearway',
        actor: 'trader',
        admit,
      });
      assert.deepEqual([summary.accepted, summary.rejected], [1, 3]);
      assert.deepEqual(
        (await counts(ctx)).filter((line) => line.startsWith('2026-05-04')),
        [
          '2026-05-04 - * 2/0/0/0',
          '2026-05-04 - office 0/1/0/0',
          '2026-05-04 TRADER-A * 2/0/0/0',
          '2026-05-04 TRADER-A invoiceTotal 0/0/0/1',
          '2026-05-04 TRADER-A items[].hsCode 0/0/1/0',
        ],
      );
    });

    test("counts a trader's own refused draft for the trader even when it names no declarant", async () => {
      const res = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration({ date: '2026-06-01', declarant: undefined }),
      });
      assert.equal(res.status, 422);
      assert.deepEqual(
        (await counts(ctx)).filter((line) => line.startsWith('2026-06-01')),
        ['2026-06-01 TRADER-A * 1/0/0/0', '2026-06-01 TRADER-A declarant 0/1/0/0'],
      );
    });

    test('scores fields and traders exactly, with the trend between periods', async () => {
      // 2026-04-06 (Monday) and 2026-04-13: four declarations, then two
      const tally = new QualityTally();
      const add = (day: string, trader: string, failures: string[]) => tally.add({ day, trader, failures });
      add('2026-04-06', 'Q-1', ['completeness:seller', 'validity:items[].hsCode']);
      add('2026-04-07', 'Q-1', ['completeness:seller']);
      add('2026-04-08', 'Q-1', []);
      add('2026-04-08', 'Q-2', ['consistency:invoiceTotal']);
      add('2026-04-13', 'Q-1', []);
      add('2026-04-14', 'Q-1', ['completeness:seller']);
      await tally.write(ctx.db);

      const base = { window: window('2026-04-06', '2026-04-19', 'week'), scope: { kind: 'all' } as const };
      const byField = await qualityScores(ctx.db, {
        ...base,
        by: ScoreKey.Field,
        fields: ['seller', 'buyer', 'items[].hsCode'],
        trader: 'Q-1',
      });
      const seller = byField.items[0];
      assert.equal(seller?.key, 'seller');
      assert.equal(seller.checked, 5);
      assert.deepEqual(seller.failed, { completeness: 3, validity: 0, consistency: 0 });
      assert.deepEqual(seller.scores, { completeness: 0.4, validity: 1, consistency: 1, overall: 0.8 });
      assert.deepEqual(
        seller.periods.map((p) => [p.period, p.checked, p.completeness]),
        [
          ['2026-04-06', 3, 0.3333],
          ['2026-04-13', 2, 0.5],
        ],
      );
      assert.deepEqual(seller.trend, { completeness: 0.1667, validity: 0, consistency: 0, overall: 0.0556 });
      assert.deepEqual(
        byField.items.map((i) => [i.key, i.scores.overall]),
        [
          ['seller', 0.8],
          ['items[].hsCode', 0.9333],
          ['buyer', 1],
        ],
      );

      const byTrader = await qualityScores(ctx.db, { ...base, by: ScoreKey.Trader, fields: ['a', 'b'] });
      const rows = byTrader.items.filter((i) => i.key.startsWith('Q-'));
      // 5 declarations x 2 fields = 10 checks, 3 missing and 1 invalid; Q-2: 2 checks, 1 inconsistent
      assert.deepEqual(
        rows.map((i) => [i.key, i.checked, i.scores.completeness, i.scores.validity, i.scores.consistency]),
        [
          ['Q-2', 1, 1, 1, 0.5],
          ['Q-1', 5, 0.7, 0.9, 1],
        ],
      );
      assert.deepEqual(rows[0]?.trend.overall, null);
    });

    test("shows a trader its own scorecard and nobody else's", async () => {
      const query = '?from=2026-03-01&to=2026-03-31&period=month';
      const own = await server.request('GET', `/api/quality/traders/${testTrader}${query}`, {
        token: tokens.trader,
      });
      assert.equal(own.status, 200);
      const scores = own.body.scores as { checked: number; failed: Record<string, number> };
      assert.equal(scores.checked, 5);
      assert.deepEqual(scores.failed, { completeness: 2, validity: 2, consistency: 1 });
      const other = await server.request('GET', `/api/quality/traders/${otherTrader}${query}`, {
        token: tokens.trader,
      });
      assert.equal(other.status, 404);
      const staff = await server.request('GET', `/api/quality/traders/${otherTrader}${query}`, {
        token: tokens.auditor,
      });
      assert.equal(staff.status, 200);
      assert.equal((staff.body.scores as { checked: number }).checked, 1);

      const list = await server.request('GET', `/api/quality/scores${query}&by=trader`, {
        token: tokens.trader,
      });
      assert.equal(list.status, 200);
      assert.deepEqual(
        (list.body.items as { key: string }[]).map((i) => i.key),
        [testTrader],
      );
      const denied = await server.request('GET', `/api/quality/scores${query}`, {
        token: tokens.administrator,
      });
      assert.equal(denied.status, 403);
    });

    test('scores one field, and the traders lowest on it', async () => {
      const path = encodeURIComponent('items[].hsCode');
      const res = await server.request('GET', `/api/quality/fields/${path}?from=2026-03-01&to=2026-03-31`, {
        token: tokens.officer,
      });
      assert.equal(res.status, 200);
      const scores = res.body.scores as { checked: number; scores: { validity: number } };
      // seven declarations validated in March, one with a malformed HS code
      assert.equal(scores.checked, 7);
      assert.equal(scores.scores.validity, 0.8571);
      const traders = (res.body.traders as { items: { key: string; scores: { validity: number } }[] }).items;
      assert.deepEqual(
        traders.map((t) => [t.key, t.scores.validity]),
        [
          [testTrader, 0.8],
          ['', 1],
          [otherTrader, 1],
        ],
      );
    });

    test('clearway quality report refuses a grouping it does not know', async () => {
      await assert.rejects(qualityCommand(['report', '--by', 'office']), /--by must be one of field, trader/);
      await assert.rejects(qualityCommand(['report', '--from', '2026-02-30']), /from must be a calendar day/);
      await assert.rejects(qualityCommand(['summary']), /usage: clearway quality report/);
    });

    test('answers bad input with 400 and unknown fields with 404', async () => {
      const bad = [
        '/api/quality/scores?by=office',
        '/api/quality/scores?from=2026-02-30',
        '/api/quality/scores?from=2026-03-02&to=2026-03-01',
        '/api/quality/scores?limit=0',
        '/api/quality/scores?unknown=1',
        '/api/quality/traders/%20bad',
      ];
      for (const path of bad) {
        const res = await server.request('GET', path, { token: tokens.auditor });
        assert.equal(res.status, 400, path);
        assert.equal(res.body.error, 'invalid_request', path);
      }
      const unknown = await server.request('GET', '/api/quality/fields/colour', { token: tokens.auditor });
      assert.equal(unknown.status, 404);
    });
  });
}
