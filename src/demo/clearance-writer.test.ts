/**
 * A small demo database seeded as at first start: its declarations carry their clearance, with
 * times on their own days, and every history is one the lifecycle itself accepts: its
 * `deriveStatus` gives the status stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deriveStatus, type DeclarationEvent } from '../declarations/lifecycle.ts';
import { loadOrCreateSigner } from '../governance/ledger/signing.ts';
import { sealPending } from '../governance/ledger/seal.ts';
import { verifyLedger } from '../governance/ledger/verify.ts';
import { seedDemoData } from '../seed.ts';
import { openTestContext, storageTargets, type TestContext } from '../testing/harness.ts';
import { simulateStoredClearance } from './clearance-writer.ts';

interface Row {
  id: number;
  date: string;
  lane: string;
  status: string;
  lodged_at: string;
  events: DeclarationEvent[];
}

const finalKinds = ['released', 'seized', 'refused'];

for (const target of storageTargets()) {
  describe(`demo clearance at first start (${target})`, () => {
    let ctx: TestContext;
    let rows: Row[] = [];
    const seededAt = Date.now();

    before(async () => {
      ctx = await openTestContext(target, { CLEARWAY_DEMO: 'true', CLEARWAY_DEMO_COUNT: '600' });
      await seedDemoData(ctx);
      rows = await ctx.db.query<Row>(
        `SELECT d.id, d.date::text AS date, d.lane, d.status, d.lodged_at,
                (SELECT json_agg(json_build_object('seq', e.seq, 'kind', e.kind, 'at', e.at, 'actor', e.actor, 'data', e.data)
                                 ORDER BY e.seq)
                   FROM declaration_events e WHERE e.declaration_id = d.id) AS events
         FROM declarations d ORDER BY d.id`,
      );
    });
    after(() => ctx.dispose());

    const time = (iso: string) => Date.parse(iso);

    test('every declaration was lodged, accepted and assessed on its own day, in that order', () => {
      assert.ok(rows.length > 100);
      for (const d of rows) {
        const [lodged, accepted, assessed, dutiesAssessed] = d.events;
        assert.deepEqual(
          [lodged?.kind, accepted?.kind, assessed?.kind, dutiesAssessed?.kind],
          ['lodged', 'accepted', 'assessed', 'duties_assessed'],
          `declaration ${d.id}`,
        );
        // the duty is assessed with the lane, by the system
        assert.equal(dutiesAssessed?.at, assessed?.at, `declaration ${d.id}`);
        assert.equal(dutiesAssessed?.actor, 'system');
        assert.equal(new Date(lodged?.at ?? '').toISOString().slice(0, 10), d.date, `declaration ${d.id}`);
        assert.equal(new Date(d.lodged_at).getTime(), time(lodged?.at ?? ''));
        assert.ok(time(lodged?.at ?? '') < time(accepted?.at ?? ''));
        assert.ok(time(accepted?.at ?? '') < time(assessed?.at ?? ''));
        assert.ok(time(assessed?.at ?? '') <= seededAt);
      }
    });

    test('events follow in time, and every release comes after assessment and the arrival of the goods', () => {
      let released = 0;
      for (const d of rows) {
        const at = d.events.map((e) => time(e.at));
        for (let i = 1; i < at.length; i++)
          assert.ok((at[i] ?? 0) >= (at[i - 1] ?? 0), `declaration ${d.id}`);
        const arrived = d.events.filter((e) => e.kind === 'arrived');
        const last = d.events.at(-1);
        assert.ok(last);
        const ends = d.events.filter((e) => finalKinds.includes(e.kind));
        assert.ok(ends.length <= 1, `declaration ${d.id} ends once`);
        if (arrived.length === 0) {
          // goods declared before they arrive, lodged lately: nothing has happened since the assessment
          assert.ok(
            d.lane === 'red' || d.lane === 'yellow',
            `declaration ${d.id} in the ${d.lane} lane has arrived`,
          );
          assert.equal(d.events.length, 4, `declaration ${d.id} awaits its goods`);
          assert.equal(d.status, 'accepted');
          continue;
        }
        assert.equal(arrived.length, 1, `declaration ${d.id} has one arrival`);
        const arrivedAt = time(String(arrived[0]?.data?.arrivedAt));
        if (ends.length === 1) {
          assert.equal(last, ends[0], `nothing follows the end of declaration ${d.id}`);
          assert.ok(time(last.at) >= arrivedAt);
        }
        if (last.kind === 'released') released += 1;
        // the yellow and red lanes are released by an officer after the control result
        if (last.kind === 'released' && (d.lane === 'red' || d.lane === 'yellow')) {
          assert.ok(d.events.some((e) => e.kind === 'controlled'));
          assert.deepEqual(last.data, { automatic: false });
        }
        if (last.kind === 'released' && (d.lane === 'green' || d.lane === 'blue')) {
          assert.deepEqual(last.data, { automatic: true });
          const settled = d.events.find((e) => e.kind === 'paid' || e.kind === 'guaranteed');
          const assessed = d.events[2];
          // nothing to pay: released at assessment; else when paid or guaranteed
          assert.equal(time(last.at), time((settled ?? assessed)?.at ?? ''), `declaration ${d.id}`);
        }
      }
      assert.ok(released > rows.length * 0.8, `${released} of ${rows.length} released`);
    });

    test('each history is one the lifecycle accepts, and leaves the status stored', () => {
      const statuses = new Set<string>();
      for (const d of rows) {
        // one event per seq from 1: the assessment's events after `assessed` were replaced, not added to
        assert.deepEqual(
          d.events.map((e) => e.seq),
          d.events.map((_, k) => k + 1),
          `declaration ${d.id}`,
        );
        assert.equal(deriveStatus(d.events), d.status, `declaration ${d.id}`);
        statuses.add(d.status);
      }
      assert.ok(statuses.has('released'), [...statuses].join(', '));
    });

    test('the clearance times are those of the simulated history, one row per released declaration', async () => {
      const times = await ctx.db.query<{
        declaration_id: number;
        released: string;
        lodging_to_acceptance: number;
        acceptance_to_assessment: number;
        assessment_to_release: number;
      }>(`SELECT declaration_id, released, lodging_to_acceptance, acceptance_to_assessment, assessment_to_release
          FROM clearance_times`);
      const byId = new Map(times.map((t) => [Number(t.declaration_id), t]));
      const minutes = (from?: DeclarationEvent, to?: DeclarationEvent) =>
        (time(to?.at ?? '') - time(from?.at ?? '')) / 60_000;
      const close = (a: number | undefined, b: number) => Math.abs((a ?? NaN) - b) < 1e-6;
      const released = rows.filter((d) => d.status === 'released');
      assert.equal(times.length, released.length);
      for (const d of released) {
        const t = byId.get(d.id);
        const [lodged, accepted, assessed] = d.events;
        const release = d.events.find((e) => e.kind === 'released');
        assert.ok(t, `declaration ${d.id} has its times`);
        assert.equal(time(t.released), time(release?.at ?? ''), `declaration ${d.id}`);
        assert.ok(close(t.lodging_to_acceptance, minutes(lodged, accepted)), `declaration ${d.id}`);
        assert.ok(close(t.acceptance_to_assessment, minutes(accepted, assessed)), `declaration ${d.id}`);
        assert.ok(close(t.assessment_to_release, minutes(assessed, release)), `declaration ${d.id}`);
      }
    });

    test('every control names an officer result that agrees with the declaration history', async () => {
      const results = await ctx.db.query<{
        id: number;
        declaration_id: number;
        outcome: string;
        source: string;
      }>(`SELECT id, declaration_id, outcome, source FROM control_results ORDER BY id`);
      const byId = new Map(results.map((r) => [Number(r.id), r]));
      let controlled = 0;
      for (const d of rows)
        for (const e of d.events.filter((x) => x.kind === 'controlled')) {
          controlled += 1;
          const result = byId.get(Number(e.data?.resultId));
          assert.equal(result?.source, 'officer');
          assert.equal(Number(result?.declaration_id), d.id);
          assert.equal(result?.outcome, e.data?.outcome);
          const historical = results.find(
            (r) => Number(r.declaration_id) === d.id && r.source === 'historical',
          );
          assert.equal(result?.outcome, historical?.outcome ?? 'compliant');
        }
      // the lanes take a random share, so a small demo may hold few controls; every one is checked
      assert.equal(results.filter((r) => r.source === 'officer').length, controlled);
    });

    test('the assessment keeps the time of its event', async () => {
      const off = await ctx.db.query(
        `SELECT a.declaration_id FROM risk_assessments a
         JOIN declaration_events e ON e.declaration_id = a.declaration_id AND e.kind = 'assessed'
         WHERE a.assessed_at <> e.at`,
      );
      assert.equal(off.length, 0);
    });

    test('a second run goes on only with goods still awaited, and the ledger still verifies', async () => {
      const again = await simulateStoredClearance(ctx.db, {
        seed: 1,
        until: new Date(),
        lodgedBy: 'demo',
        actor: 'demo',
      });
      // a history that ends at its assessment looks untouched, and its clock goes on
      assert.equal(again.declarations, rows.filter((d) => d.events.length === 4).length);
      await sealPending(ctx.db);
      const [entries] = await ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ledger WHERE action = 'declarations.clearance_simulated'`,
      );
      assert.ok((entries?.n ?? 0) >= 1);
      const signer = await loadOrCreateSigner(ctx.config.ledgerKeyFile);
      assert.equal((await verifyLedger(ctx.db, signer.publicKeyPem)).ok, true);
    });
  });
}
