/**
 * Trade monitoring on each storage: the series built exactly from known declarations, no alert on
 * steady trade, each kind of alert when trade turns, runs that do not repeat alerts, and the
 * analyst's acknowledgement, dismissal and draft profile through the real server, by role.
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
import { lodgeMonitoringHistory } from '../testing/monitoring.ts';
import { runMonitoring, RunTrigger } from './run.ts';
import { runDueToday } from './schedule.ts';
import { buildSeries } from './series.ts';
import { defaultMonitoringSettings } from './settings.ts';

type Body = Record<string, unknown>;
interface AlertBody {
  id: number;
  kind: string;
  series: string;
  measure: string;
  size: number;
  explanation: string;
  state: string;
  allowed: string[];
}

for (const target of storageTargets()) {
  describe(`trade monitoring on ${target}`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;

    const run = async (today: string, unit: 'month' | 'week' = 'month') => {
      const done = await runMonitoring(ctx.db, {
        unit,
        today,
        trigger: RunTrigger.Cli,
        actor: 'test',
        settings: defaultMonitoringSettings,
      });
      assert.ok(done.ok && done.value);
      return done.value;
    };
    const alerts = async (query = '') => {
      const response = await server.request('GET', `/api/monitoring/alerts${query}`, {
        token: tokens.risk_analyst,
      });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.alerts as AlertBody[];
    };

    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
      // 2022: a small set whose series are checked to the cent, long before the monitored history
      const known = [
        aDeclaration({
          date: '2022-01-10',
          invoiceTotal: 1500,
          items: [
            anItem({ value: 1000, dutyRate: 10 }),
            anItem({
              sequence: 2,
              hsCode: '84713000',
              description: 'laptops',
              originCountry: 'VN',
              value: 500,
              dutyRate: 2.5,
            }),
          ],
        }),
        aDeclaration({
          date: '2022-01-20',
          currency: 'EUR',
          invoiceTotal: 2000,
          items: [anItem({ value: 2000, dutyRate: 10 })],
        }),
        aDeclaration({
          date: '2022-03-07',
          office: '020',
          originCountry: 'VN',
          invoiceTotal: 333.33,
          items: [anItem({ originCountry: undefined, value: 333.33, dutyRate: 3.3 })],
        }),
        aDeclaration({
          date: '2022-03-08',
          invoiceTotal: 900,
          items: [anItem({ value: 900, dutyRate: 10 })],
        }),
      ];
      const lodged = await server.request('POST', '/api/declarations/batch', {
        token: tokens.trader,
        body: { declarations: known },
      });
      assert.equal(lodged.body.accepted, 4, JSON.stringify(lodged.body));
      const results = lodged.body.results as { id: number }[];
      const cancelled = await server.request('POST', `/api/declarations/${results[3]?.id}/cancel`, {
        token: tokens.trader,
        body: { reason: 'lodged twice' },
      });
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      await lodgeMonitoringHistory(server, tokens.trader);
    });

    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    test('builds the series per month exactly: zeros filled, one currency valued, cancelled ones left out', async () => {
      const set = await buildSeries(ctx.db, { unit: 'month', last: '2022-03-01', periods: 4 });
      assert.deepEqual(set.periods, ['2021-12-01', '2022-01-01', '2022-02-01', '2022-03-01']);
      assert.equal(set.currency, 'USD');
      const of = (key: string) => {
        const s = set.series.get(key);
        assert.ok(s, `series ${key}`);
        return { declarations: s.declarations, value: s.value, duty: s.duty };
      };
      // the euro declaration counts as a declaration but adds no value or duty
      assert.deepEqual(of('total'), {
        declarations: [0, 2, 0, 1],
        value: [0, 1500, 0, 333.33],
        duty: [0, 112.5, 0, 11],
      });
      assert.deepEqual(of('chapter:85'), {
        declarations: [0, 2, 0, 1],
        value: [0, 1000, 0, 333.33],
        duty: [0, 100, 0, 11],
      });
      assert.deepEqual(of('chapter:84'), {
        declarations: [0, 1, 0, 0],
        value: [0, 500, 0, 0],
        duty: [0, 12.5, 0, 0],
      });
      // an item without an origin takes the declaration's
      assert.deepEqual(of('origin:VN'), {
        declarations: [0, 1, 0, 1],
        value: [0, 500, 0, 333.33],
        duty: [0, 12.5, 0, 11],
      });
      assert.deepEqual(of('origin:CN'), {
        declarations: [0, 2, 0, 0],
        value: [0, 1000, 0, 0],
        duty: [0, 100, 0, 0],
      });
      assert.deepEqual(of('office:020').declarations, [0, 0, 0, 1]);
      assert.deepEqual([...set.series.keys()].sort(), [
        'chapter:84',
        'chapter:85',
        'office:020',
        'office:030',
        'origin:CN',
        'origin:VN',
        'total',
      ]);
    });

    test('builds weekly series from Monday, and values another currency when asked', async () => {
      const set = await buildSeries(ctx.db, { unit: 'week', last: '2022-01-17', periods: 2 }, 'EUR');
      assert.deepEqual(set.periods, ['2022-01-10', '2022-01-17']);
      assert.deepEqual(set.series.get('total'), {
        dimension: 'total',
        key: '',
        declarations: [1, 1],
        value: [0, 2000],
        duty: [0, 200],
      });
    });

    test('raises no alert on steady trade', async () => {
      const made = await run('2026-03-10');
      assert.equal(made.latestPeriod, '2026-02-01');
      assert.equal(made.newAlerts, 0);
      // the total, chapters 85 and 94, origins CN and MY, office 030 (Viet Nam is too new)
      assert.equal(made.series, 6);
      assert.deepEqual(await alerts(), []);
    });

    test('raises an alert of each kind when trade turns, ranked by the value at stake', async () => {
      const made = await run('2026-04-02');
      assert.equal(made.latestPeriod, '2026-03-01');
      const found = await alerts();
      assert.equal(made.newAlerts, found.length);
      assert.deepEqual(found.map((a) => `${a.kind} ${a.series} ${a.measure}`).sort(), [
        'origin_surge hs6:851713/origin:VN share',
        'outside_interval chapter:85 declarations',
        'outside_interval chapter:85 duty',
        'outside_interval chapter:85 value',
        'outside_interval office:030 declarations',
        'outside_interval office:030 duty',
        'outside_interval office:030 value',
        'outside_interval total declarations',
        'outside_interval total duty',
        'outside_interval total value',
        'unit_value_drop hs6:940360 unit_value',
      ]);
      const sizes = found.map((a) => a.size);
      assert.deepEqual(
        sizes,
        [...sizes].sort((a, b) => b - a),
      );
      const surge = found.find((a) => a.kind === 'origin_surge');
      assert.equal(surge?.size, 5000);
      assert.match(
        surge?.explanation ?? '',
        /HS 8517\.13 from Vietnam \(VN\): 5 of 7 declarations .* \(71%\), against 0% over the 12 months before/,
      );
      const drop = found.find((a) => a.kind === 'unit_value_drop');
      // (50 - 20) USD/kg over 25 kg, three months
      assert.equal(drop?.size, 2250);
      assert.match(
        drop?.explanation ?? '',
        /50\.00 USD\/kg\) for 3 months: 20\.00 USD\/kg, 20\.00 USD\/kg, 20\.00 USD\/kg/,
      );
      const total = found.find((a) => a.series === 'total' && a.measure === 'value');
      assert.equal(total?.size, 5000);
      assert.match(
        total?.explanation ?? '',
        /Value of all imports in the month of 2026-03: 7,500\.00 USD, above the 95% forecast interval/,
      );
    });

    test('a run finding the same things again adds no alert', async () => {
      const before = await alerts();
      const again = await run('2026-04-20');
      assert.equal(again.newAlerts, 0);
      assert.deepEqual(
        (await alerts()).map((a) => a.id),
        before.map((a) => a.id),
      );
    });

    test('serves the series with history, forecast and bands', async () => {
      const list = await server.request('GET', '/api/monitoring/series?dimension=chapter&measure=value', {
        token: tokens.supervisor,
      });
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const series = list.body.series as { key: string; label: string; last: number }[];
      assert.deepEqual(
        series.map((s) => s.key),
        ['chapter:85', 'chapter:94'],
      );
      assert.equal(series[0]?.last, 7000);
      const one = await server.request('GET', '/api/monitoring/series/chapter:85?measure=value', {
        token: tokens.auditor,
      });
      assert.equal(one.status, 200, JSON.stringify(one.body));
      const history = one.body.history as { period: string; value: number }[];
      assert.equal(history.length, 15);
      assert.deepEqual(history[0], { period: '2025-01-01', value: 2000 });
      assert.deepEqual(history.at(-1), { period: '2026-03-01', value: 7000 });
      const points = one.body.forecast as Record<string, number | string>[];
      assert.equal(points.length, defaultMonitoringSettings.horizon);
      assert.equal(points[0]?.period, '2026-04-01');
      for (const p of points) {
        const [l95 = NaN, l80 = NaN, mean = NaN, u80 = NaN, u95 = NaN] = [
          p.lower95,
          p.lower80,
          p.mean,
          p.upper80,
          p.upper95,
        ].map(Number);
        assert.ok(l95 <= l80 && l80 <= mean && mean <= u80 && u80 <= u95, JSON.stringify(p));
      }
      const backtest = one.body.backtest as Body;
      assert.equal(backtest.observed, 7000);
      assert.ok(Number(backtest.upper95) < 7000);
    });

    test('refuses a malformed series key (400, naming it), and answers 404 for a series not monitored', async () => {
      const bad = await server.request('GET', '/api/monitoring/series/chapter:8A', {
        token: tokens.risk_analyst,
      });
      assert.equal(bad.status, 400);
      assert.match(String(bad.body.message), /key/);
      const none = await server.request('GET', '/api/monitoring/series/origin:VN', {
        token: tokens.risk_analyst,
      });
      assert.equal(none.status, 404);
      assert.equal(none.body.error, 'series_not_found');
      const week = await server.request('GET', '/api/monitoring/series?period=year', {
        token: tokens.risk_analyst,
      });
      assert.equal(week.status, 400);
      assert.match(String(week.body.message), /period/);
    });

    test('lets risk analysts act on alerts, supervisors and auditors read them, and no one else', async () => {
      for (const role of ['trader', 'declarant', 'officer', 'administrator', 'partner_agency'] as const) {
        const r = await server.request('GET', '/api/monitoring/alerts', { token: tokens[role] });
        assert.equal(r.status, 403, role);
      }
      const [first] = await alerts();
      assert.ok(first);
      for (const role of ['supervisor', 'auditor'] as const) {
        const read = await server.request('GET', '/api/monitoring/alerts', { token: tokens[role] });
        assert.equal(read.status, 200);
        assert.deepEqual((read.body.alerts as AlertBody[])[0]?.allowed, []);
        for (const path of ['acknowledge', 'dismiss', 'profile'])
          assert.equal(
            (
              await server.request('POST', `/api/monitoring/alerts/${first.id}/${path}`, {
                token: tokens[role],
                body: { reason: 'x' },
              })
            ).status,
            403,
          );
        assert.equal(
          (await server.request('POST', '/api/monitoring/runs', { token: tokens[role], body: {} })).status,
          403,
        );
      }
      assert.deepEqual(first.allowed, ['acknowledge', 'dismiss', 'profile']);
    });

    test('acknowledges and dismisses with a reason, kept on the alert and on the ledger', async () => {
      const [first, second] = await alerts('?state=open');
      assert.ok(first && second);
      const post = (id: number, action: string, body: unknown) =>
        server.request('POST', `/api/monitoring/alerts/${id}/${action}`, {
          token: tokens.risk_analyst,
          body,
        });
      const blank = await post(first.id, 'acknowledge', { reason: '  ' });
      assert.equal(blank.status, 400);
      assert.match(String(blank.body.message), /reason/);
      assert.equal((await post(first.id, 'acknowledge', {})).status, 400);
      const acked = await post(first.id, 'acknowledge', { reason: 'a known new supplier, watching' });
      assert.equal(acked.status, 200, JSON.stringify(acked.body));
      assert.equal(acked.body.state, 'acknowledged');
      assert.equal(acked.body.reason, 'a known new supplier, watching');
      assert.deepEqual(acked.body.allowed, ['dismiss', 'profile']);
      assert.equal((await post(first.id, 'acknowledge', { reason: 'again' })).status, 409);
      const dismissed = await post(second.id, 'dismiss', { reason: 'seasonal fair, not a risk' });
      assert.equal(dismissed.body.state, 'dismissed');
      assert.equal((await post(second.id, 'profile', undefined)).status, 409);
      assert.equal((await post(999_999, 'dismiss', { reason: 'x' })).status, 404);
      assert.deepEqual(
        (await alerts('?state=dismissed')).map((a) => a.id),
        [second.id],
      );
      const ledger = await ctx.db.query<{ action: string; subject_id: string }>(
        `SELECT action, subject_id FROM ledger_pending WHERE subject_kind = 'monitoring_alert'
         UNION ALL SELECT action, subject_id FROM ledger WHERE subject_kind = 'monitoring_alert'`,
      );
      assert.deepEqual(
        ledger.map((e) => `${e.action} ${e.subject_id}`).sort(),
        [`monitoring.alert.acknowledged ${first.id}`, `monitoring.alert.dismissed ${second.id}`].sort(),
      );
    });

    test('turns a surge into a draft profile on its HS6 and origin, once', async () => {
      const surge = (await alerts('?kind=origin_surge'))[0];
      assert.ok(surge);
      const made = await server.request('POST', `/api/monitoring/alerts/${surge.id}/profile`, {
        token: tokens.risk_analyst,
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const profile = made.body.profile as { id: number; code: string; status: string; conditions: unknown };
      assert.equal(profile.status, 'draft');
      assert.equal(profile.code, `MON-${surge.id}`);
      assert.deepEqual(profile.conditions, [
        { field: 'item.hsCode', op: 'prefix', value: ['851713'] },
        { field: 'item.originCountry', op: 'eq', value: 'VN' },
      ]);
      assert.equal((made.body.alert as Body).profileId, profile.id);
      const again = await server.request('POST', `/api/monitoring/alerts/${surge.id}/profile`, {
        token: tokens.risk_analyst,
      });
      assert.equal(again.status, 409);
      // the draft follows the four-eyes workflow: its author submits it
      const stored = await server.request('GET', `/api/risk/profiles/${profile.id}`, {
        token: tokens.risk_analyst,
      });
      assert.deepEqual(stored.body.allowed, ['submit']);
      const submitted = await server.request('POST', `/api/risk/profiles/${profile.id}/submit`, {
        token: tokens.risk_analyst,
      });
      assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    });

    test('turns a unit-value drop into a draft profile on its HS6 below the drop level', async () => {
      const drop = (await alerts('?kind=unit_value_drop'))[0];
      assert.ok(drop);
      const made = await server.request('POST', `/api/monitoring/alerts/${drop.id}/profile`, {
        token: tokens.risk_analyst,
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.deepEqual((made.body.profile as Body).conditions, [
        { field: 'item.hsCode', op: 'prefix', value: ['940360'] },
        { field: 'currency', op: 'eq', value: 'USD' },
        { field: 'item.unitValue', op: 'lt', value: 35 },
      ]);
    });

    test('the schedule runs each period once a day, however often it checks', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const runs = async () =>
        (
          await ctx.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM monitoring_runs WHERE trigger = 'schedule'",
          )
        )[0]?.n;
      const log = { info: () => undefined, error: (_: object, message: string) => assert.fail(message) };
      await runDueToday(ctx.db, defaultMonitoringSettings, today, log);
      assert.equal(await runs(), 2);
      await runDueToday(ctx.db, defaultMonitoringSettings, today, log);
      assert.equal(await runs(), 2);
    });

    test('lets an analyst start a run, and refuses a period that is not one', async () => {
      const bad = await server.request('POST', '/api/monitoring/runs', {
        token: tokens.risk_analyst,
        body: { period: 'year' },
      });
      assert.equal(bad.status, 400);
      assert.match(String(bad.body.message), /period/);
      const trader = await server.request('POST', '/api/monitoring/runs', { token: tokens.trader, body: {} });
      assert.equal(trader.status, 403);
      const made = await server.request('POST', '/api/monitoring/runs', {
        token: tokens.risk_analyst,
        body: { period: 'week' },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.equal(made.body.trigger, 'analyst');
      assert.equal(made.body.startedBy, 'risk-analyst');
    });
  });
}
