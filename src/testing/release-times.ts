/**
 * Released declarations with known stage times, for Time Release Study tests: a declaration lodged
 * through the real API gets its history rewritten with the stage events at chosen minutes after its
 * lodging (and its status set to released, its lane to the one given), so every duration is known.
 */
import assert from 'node:assert/strict';
import type { AppContext } from '../app-context.ts';
import type { Sql } from '../db/database.ts';
import { aDeclaration, otherOffice, otherTrader, type TestServer } from './harness.ts';

/** Minutes after lodging of each stage; `arrived` may be negative (goods arrived before lodging). */
export interface StageTimes {
  lodged: string;
  lane?: 'green' | 'yellow' | 'red' | 'blue';
  arrived?: number;
  accepted: number;
  assessed: number;
  released: number;
  documents?: [requested: number, provided: number, checked: number];
  inspection?: [scheduled: number, started: number, completed: number];
  payment?: [dutiesAssessed: number, paid: number];
}

const at = (lodged: string, minutes: number) => new Date(Date.parse(lodged) + minutes * 60_000).toISOString();

/** Replaces the declaration's events with those of `times`, in time order, and marks it released. */
export async function releaseWithTimes(sql: Sql, id: number, times: StageTimes): Promise<void> {
  const t = (m: number) => at(times.lodged, m);
  const events: [kind: string, minutes: number, data: unknown][] = [
    ['lodged', 0, null],
    ['accepted', times.accepted, null],
    ['assessed', times.assessed, { lane: times.lane ?? 'green' }],
  ];
  if (times.arrived !== undefined)
    events.push(['arrived', Math.max(0, times.arrived), { arrivedAt: t(times.arrived) }]);
  if (times.documents) {
    const [requested, provided, checked] = times.documents;
    events.push(['documents_requested', requested, {}], ['documents_provided', provided, {}]);
    events.push(['documents_checked', checked, { outcome: 'satisfactory' }]);
  }
  if (times.inspection) {
    const [scheduled, started, completed] = times.inspection;
    events.push(['inspection_scheduled', scheduled, { plannedAt: t(started), place: 'Shed 1' }]);
    events.push(['inspection_started', started, { place: 'Shed 1' }]);
    events.push(['inspection_completed', completed, { place: 'Shed 1' }]);
  }
  if (times.payment) {
    const [assessed, paid] = times.payment;
    events.push(['duties_assessed', assessed, { currency: 'USD', duty: 10 }]);
    events.push(['paid', paid, { amount: 10, currency: 'USD', reference: `R-${id}` }]);
  }
  events.push(['released', times.released, { automatic: false }]);
  events.sort((a, b) => a[1] - b[1]);
  // the lane is the declaration's from its assessment on, before the release that keeps it (migration 0037)
  await sql.query("UPDATE declarations SET status = 'released', lane = $2 WHERE id = $1", [
    id,
    times.lane ?? 'green',
  ]);
  await sql.query('DELETE FROM declaration_events WHERE declaration_id = $1', [id]);
  for (const [i, [kind, minutes, data]] of events.entries())
    await sql.query(
      'INSERT INTO declaration_events (declaration_id, seq, kind, at, actor, data) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, i + 1, kind, t(minutes), 'system', data === null ? null : JSON.stringify(data)],
    );
}

const march = '2026-03-02T08:00:00Z';

/**
 * The Time Release Study's test declarations. Trader A at office 030: totals 50, 40, 1560 and 10 minutes (A4 lodged 30 minutes before its goods
 * arrived); trader B at office 020: 720 and 3000. One of A's in February (200), one not released.
 */
const own: Record<string, StageTimes> = {
  a1: { lodged: march, arrived: -30, accepted: 0, assessed: 10, released: 20 },
  a2: { lodged: march, accepted: 0, assessed: 20, released: 40 },
  a3: {
    lodged: march,
    lane: 'yellow',
    arrived: -60,
    accepted: 5,
    assessed: 15,
    released: 1500,
    documents: [20, 1460, 1480],
    payment: [15, 1490],
  },
  a4: { lodged: march, arrived: 30, accepted: 0, assessed: 10, released: 40 },
  a6: { lodged: '2026-02-02T08:00:00Z', accepted: 0, assessed: 100, released: 200 },
};
const others: Record<string, StageTimes> = {
  b1: {
    lodged: march,
    lane: 'red',
    arrived: -120,
    accepted: 0,
    assessed: 30,
    released: 600,
    inspection: [60, 120, 480],
    payment: [30, 500],
  },
  b2: { lodged: march, lane: 'red', accepted: 10, assessed: 40, released: 3000 },
};

/** Lodges the declarations through the API and gives them their stage times. */
export async function seedReleaseTimes(
  ctx: AppContext,
  server: TestServer,
  traderA: string,
  traderB: string,
) {
  const lodge = async (token: string, overrides: Record<string, unknown> = {}) => {
    const response = await server.request('POST', '/api/declarations', {
      token,
      body: aDeclaration({ date: '2026-02-02', ...overrides }),
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.ok(typeof response.body.id === 'number');
    return response.body.id;
  };
  for (const times of Object.values(own)) await releaseWithTimes(ctx.db, await lodge(traderA), times);
  for (const times of Object.values(others))
    await releaseWithTimes(ctx.db, await lodge(traderB, { trader: otherTrader, office: otherOffice }), times);
  await lodge(traderA); // accepted, never released: not in the study
}
