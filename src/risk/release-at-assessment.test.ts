import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { act } from '../clearance/stages.ts';
import { importDeclarations } from '../declarations/importer.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import {
  openTestContext,
  storageTargets,
  testOffice,
  testTrader,
  type TestContext,
} from '../testing/harness.ts';
import { createRiskEngine } from './assessment.ts';
import { defaultPolicy } from './selectivity.ts';

const officer: Actor = {
  userId: 0,
  username: 'officer',
  role: Role.Officer,
  partyId: null,
  offices: [testOffice],
};
const trader: Actor = { userId: 0, username: 'trader', role: Role.Trader, partyId: testTrader, offices: [] };

for (const target of storageTargets()) {
  describe(`release at batch assessment (${target})`, () => {
    let ctx: TestContext;
    before(async () => {
      ctx = await openTestContext(target);
    });
    after(() => ctx.dispose());

    test('an imported green declaration with nothing to pay is released, unless documents or an inspection asked for before are pending', async () => {
      // nothing to pay (duty rate 0), and neither profiles, a model nor random selection: every one is green
      const references = ['PLAIN', 'DOCS-ASKED', 'DOCS-CHECKED', 'INSPECTION', 'INSPECTED'];
      const rows = references.map((r) => aClearwayRow(`RELEASE-${r}`, { duty_rate: '0' }));
      const summary = await importDeclarations(ctx.db, ctx.validation(), Readable.from([clearwayCsv(rows)]), {
        format: 'clearway',
        actor: 'import',
      });
      assert.equal(summary.accepted, references.length, JSON.stringify(summary));
      const ids = new Map(
        (
          await ctx.db.query<{ id: number; reference: string }>(
            `SELECT id, functional_reference AS reference FROM declarations WHERE functional_reference LIKE 'RELEASE-%'`,
          )
        ).map((d) => [d.reference.slice('RELEASE-'.length), Number(d.id)]),
      );
      const id = (r: string) => ids.get(r) ?? assert.fail(`no declaration ${r}`);
      const take = async <A extends Parameters<typeof act>[3]>(
        who: Actor,
        r: string,
        action: A,
        input: Parameters<typeof act<A>>[4],
      ) => {
        const done = await act(ctx.db, id(r), who, action, input);
        assert.ok(done.ok, JSON.stringify(done));
      };
      await take(officer, 'DOCS-ASKED', 'request_documents', { documents: ['invoice'] });
      await take(officer, 'DOCS-CHECKED', 'request_documents', { documents: ['invoice'] });
      await take(trader, 'DOCS-CHECKED', 'provide_documents', {});
      await take(officer, 'DOCS-CHECKED', 'check_documents', { outcome: 'satisfactory' });
      const inspection = { plannedAt: '2026-03-03T09:00:00Z', place: 'Bay 1' };
      await take(officer, 'INSPECTION', 'schedule_inspection', inspection);
      await take(officer, 'INSPECTED', 'schedule_inspection', inspection);
      await take(officer, 'INSPECTED', 'start_inspection', {});
      await take(officer, 'INSPECTED', 'complete_inspection', {});

      const engine = createRiskEngine({
        db: ctx.db,
        prices: () => ctx.prices(),
        settings: {
          policy: { ...defaultPolicy, randomShare: 0 },
          capacity: { red: 1e6, yellow: 1e6, offices: {} },
        },
      });
      const run = await engine.assessPending('test');
      assert.deepEqual([run.assessed, run.lanes.green], [references.length, references.length]);

      const events = await ctx.db.query<{ id: number; seq: number; kind: string }>(
        'SELECT declaration_id AS id, seq, kind FROM declaration_events WHERE declaration_id = ANY($1::int8[]) ORDER BY 1, 2',
        [[...ids.values()]],
      );
      const lastThree = (r: string) =>
        events
          .filter((e) => Number(e.id) === id(r))
          .map((e) => `${e.seq} ${e.kind}`)
          .slice(-3);
      const released = ['assessed', 'duties_assessed', 'released'];
      const held = ['assessed', 'duties_assessed'];
      // the events after the assessment follow each declaration's own, numbered on from its last
      assert.deepEqual(Object.fromEntries(references.map((r) => [r, lastThree(r)])), {
        PLAIN: released.map((k, i) => `${3 + i} ${k}`),
        'DOCS-ASKED': ['3 documents_requested', ...held.map((k, i) => `${4 + i} ${k}`)],
        'DOCS-CHECKED': released.map((k, i) => `${6 + i} ${k}`),
        INSPECTION: ['3 inspection_scheduled', ...held.map((k, i) => `${4 + i} ${k}`)],
        INSPECTED: released.map((k, i) => `${6 + i} ${k}`),
      });
      const statuses = await ctx.db.query<{ reference: string; status: string }>(
        `SELECT functional_reference AS reference, status FROM declarations WHERE functional_reference LIKE 'RELEASE-%'
         ORDER BY 1`,
      );
      assert.deepEqual(
        statuses.map((d) => [d.reference, d.status]),
        [
          ['RELEASE-DOCS-ASKED', 'accepted'],
          ['RELEASE-DOCS-CHECKED', 'released'],
          ['RELEASE-INSPECTED', 'released'],
          ['RELEASE-INSPECTION', 'accepted'],
          ['RELEASE-PLAIN', 'released'],
        ],
      );
      // the released ones have their release times, the held ones none yet
      const times = await ctx.db.query<{ id: number }>(
        'SELECT declaration_id AS id FROM clearance_times WHERE declaration_id = ANY($1::int8[]) ORDER BY 1',
        [[...ids.values()]],
      );
      assert.deepEqual(
        times.map((t) => Number(t.id)),
        ['PLAIN', 'DOCS-CHECKED', 'INSPECTED'].map(id).sort((a, b) => a - b),
      );
    });
  });
}
