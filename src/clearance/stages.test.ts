import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DeclarationInput } from '../declarations/model.ts';
import { Role } from '../governance/roles.ts';
import { apiSuite } from '../testing/api-suite.ts';
import { aDeclaration, anItem, otherOffice, storageTargets, testOffice } from '../testing/harness.ts';
import { declarationDuty } from './duties.ts';

interface Clearance {
  status: string;
  lane: string | null;
  stages: { kind: string; actor: string; data: Record<string, unknown> | null }[];
  duty: {
    duty: number;
    paid: number;
    guaranteed: number;
    due: number;
    currency: string;
    items: { duty: number }[];
  };
  allowed: string[];
  releaseBlockedBy: string | null;
}

for (const target of storageTargets()) {
  describe(`clearance from acceptance to release (${target})`, () => {
    const suite = apiSuite(target, {
      colleague: { username: 'officer-2', role: Role.Officer, offices: [testOffice] },
      elsewhere: { username: 'officer-020', role: Role.Officer, offices: [otherOffice] },
      otherTrader: { username: 'trader-b', role: Role.Trader, partyId: 'TRADER-B' },
    });
    const { call, lodge, redWork } = suite;
    const post = (token: string, id: number, path: string, body: unknown = {}) =>
      call(token, 'POST', `/api/declarations/${id}/${path}`, body);
    const clearance = async (token: string, id: number) => {
      const res = await call(token, 'GET', `/api/declarations/${id}/clearance`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as unknown as Clearance;
    };

    test('a green declaration with nothing to pay is released at assessment', async () => {
      const d = await lodge({ items: [anItem({ dutyRate: 0 })] });
      assert.deepEqual([d.lane, d.status, d.duty], ['green', 'released', { currency: 'USD', amount: 0 }]);
      const c = await clearance(suite.tokens.trader, d.id);
      assert.deepEqual(
        c.stages.slice(-3).map((s) => [s.kind, s.actor, s.data]),
        [
          ['assessed', 'customs', { lane: 'green' }],
          ['duties_assessed', 'system', { currency: 'USD', duty: 0 }],
          ['released', 'system', { automatic: true }],
        ],
      );
      // amending ends at release
      const amend = await post(suite.tokens.trader, d.id, 'amend', { declaration: aDeclaration() });
      assert.equal(amend.status, 409, JSON.stringify(amend.body));
      const arrival = await post(suite.tokens.trader, d.id, 'arrival', {});
      assert.deepEqual([arrival.status, arrival.body.error], [409, 'action_not_allowed']);
      assert.match(String(arrival.body.message), /it is released/);
    });

    test('duties per item and in total are those of duties.ts; GET /api/declarations/:id carries the total', async () => {
      const items = [
        anItem({ sequence: 1, value: 1234.57, dutyRate: 12.5 }),
        anItem({ sequence: 2, value: 99.99, dutyRate: 8 }),
        anItem({ sequence: 3, value: 10, dutyRate: undefined }),
      ];
      const d = await lodge({ items, invoiceTotal: 1344.56 });
      const expected = declarationDuty({ type: 'IM', currency: 'USD', items } as unknown as DeclarationInput);
      const c = await clearance(suite.tokens.officer, d.id);
      assert.equal(c.duty.duty, expected.amount);
      assert.deepEqual(
        c.duty.items.map((i) => i.duty),
        [154.32, 8, 0],
      );
      assert.deepEqual([c.duty.paid, c.duty.guaranteed, c.duty.due], [0, 0, expected.amount]);
      const read = await call(suite.tokens.trader, 'GET', `/api/declarations/${d.id}`);
      assert.deepEqual(read.body.duty, { currency: 'USD', amount: expected.amount });
      const assessed = c.stages.find((s) => s.kind === 'duties_assessed');
      assert.deepEqual(assessed?.data, { currency: 'USD', duty: expected.amount });
      // an amendment assesses the duty again
      const amended = await post(suite.tokens.trader, d.id, 'amend', {
        declaration: aDeclaration({
          functionalReference: d.functionalReference,
          items: [anItem({ dutyRate: 10 })],
        }),
      });
      assert.equal(amended.status, 200, JSON.stringify(amended.body));
      const again = await clearance(suite.tokens.officer, d.id);
      assert.deepEqual(again.stages.filter((s) => s.kind === 'duties_assessed').at(-1)?.data, {
        currency: 'USD',
        duty: 120,
      });
    });

    test('a green declaration is released automatically once its duty is paid in full', async () => {
      const d = await lodge();
      assert.deepEqual([d.lane, d.status], ['green', 'accepted']);
      const over = await post(suite.tokens.officer, d.id, 'payments', {
        amount: 100,
        currency: 'USD',
        reference: 'R-1',
      });
      assert.deepEqual([over.status, over.body.error], [409, 'action_not_allowed']);
      assert.match(String(over.body.message), /only 96\.00 USD is due/);
      const part = await post(suite.tokens.officer, d.id, 'payments', {
        amount: 50,
        currency: 'USD',
        reference: 'R-1',
      });
      assert.equal(part.status, 200, JSON.stringify(part.body));
      assert.deepEqual([part.body.status, (part.body as unknown as Clearance).duty.due], ['accepted', 46]);
      const rest = await post(suite.tokens.officer, d.id, 'guarantees', {
        amount: 46,
        currency: 'USD',
        reference: 'G-7',
      });
      const c = rest.body as unknown as Clearance;
      assert.deepEqual([c.status, c.duty.paid, c.duty.guaranteed, c.duty.due], ['released', 50, 46, 0]);
      assert.deepEqual(c.stages.at(-1), {
        ...c.stages.at(-1),
        kind: 'released',
        actor: 'system',
        data: { automatic: true },
      });
      const [entry] = await suite.ctx.db.query<{ n: number }>(
        `SELECT count(*)::int8 AS n FROM ledger_pending WHERE subject_id = $1 AND action IN ('declaration.paid', 'declaration.guaranteed', 'declaration.released')`,
        [String(d.id)],
      );
      const [sealed] = await suite.ctx.db.query<{ n: number }>(
        `SELECT count(*)::int8 AS n FROM ledger WHERE subject_id = $1 AND action IN ('declaration.paid', 'declaration.guaranteed', 'declaration.released')`,
        [String(d.id)],
      );
      assert.equal(Number(entry?.n ?? 0) + Number(sealed?.n ?? 0), 3, 'each stage is on the ledger');
    });

    test('the yellow and red work: documents, inspection, control result, payment, then the officer releases', async () => {
      const id = await redWork();
      assert.deepEqual((await clearance(suite.tokens.trader, id)).allowed, ['report_arrival']);
      assert.equal(
        (
          await post(suite.tokens.trader, id, 'arrival', {
            arrivedAt: '2026-03-01T08:00:00Z',
            place: 'Quay 4',
          })
        ).status,
        200,
      );
      const twice = await post(suite.tokens.declarant, id, 'arrival', {});
      assert.deepEqual([twice.status, twice.body.error], [409, 'action_not_allowed']);

      const unasked = await post(suite.tokens.trader, id, 'documents/provide', {});
      assert.equal(unasked.status, 409);
      assert.match(String(unasked.body.message), /no documents were requested/);
      const asked = await post(suite.tokens.officer, id, 'documents/request', {
        documents: ['invoice'],
        note: 'the original',
      });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      const early = await post(suite.tokens.officer, id, 'documents/check', { outcome: 'satisfactory' });
      assert.equal(early.status, 409);
      assert.equal(
        (await post(suite.tokens.trader, id, 'documents/provide', { note: 'uploaded' })).status,
        200,
      );
      assert.equal(
        (await post(suite.tokens.officer, id, 'documents/check', { outcome: 'satisfactory' })).status,
        200,
      );

      const start = await post(suite.tokens.officer, id, 'inspection/start', {});
      assert.match(String(start.body.message), /no inspection is scheduled/);
      assert.equal(
        (
          await post(suite.tokens.officer, id, 'inspection/schedule', {
            plannedAt: '2026-03-02T10:00:00Z',
            place: 'Bay 2',
          })
        ).status,
        200,
      );
      const blocked = await post(suite.tokens.officer, id, 'release', {});
      assert.deepEqual([blocked.status, blocked.body.error], [409, 'action_not_allowed']);
      assert.match(String(blocked.body.message), /inspection is scheduled/);
      assert.equal((await post(suite.tokens.officer, id, 'inspection/start', {})).status, 200);
      const done = await post(suite.tokens.officer, id, 'inspection/complete', { note: 'as declared' });
      assert.equal(done.status, 200);
      const c = done.body as unknown as Clearance;
      assert.deepEqual(c.stages.at(-1)?.data, { place: 'Bay 2', note: 'as declared' });
      assert.match(String(c.releaseBlockedBy), /control result \(red lane\) is not recorded/);
      assert.ok(!c.allowed.includes('release'));

      const result = await post(suite.tokens.officer, id, 'control-results', { outcome: 'compliant' });
      assert.equal(result.status, 201, JSON.stringify(result.body));
      const unpaid = await post(suite.tokens.officer, id, 'release', {});
      assert.match(String(unpaid.body.message), /96\.00 USD of duty is neither paid nor guaranteed/);
      const paid = await post(suite.tokens.officer, id, 'payments', {
        amount: 96,
        currency: 'USD',
        reference: 'RCPT-9',
      });
      assert.equal((paid.body as unknown as Clearance).status, 'controlled', 'red is released by an officer');
      const released = await post(suite.tokens.officer, id, 'release', { note: 'all clear' });
      assert.equal(released.status, 200, JSON.stringify(released.body));
      const r = released.body as unknown as Clearance;
      assert.deepEqual(
        [r.status, r.stages.at(-1)?.kind, r.stages.at(-1)?.data],
        ['released', 'released', { note: 'all clear', automatic: false }],
      );

      // the trader sees each stage with its time and never the risk reasons or score
      const seen = await call(suite.tokens.trader, 'GET', `/api/declarations/${id}/clearance`);
      const text = JSON.stringify(seen.body);
      assert.ok(!/reasons|score|rerouted|a tip from the port/.test(text), text);
      assert.ok((seen.body as unknown as Clearance).stages.some((s) => s.kind === 'inspection_completed'));
      // a correction of the control result after the release is still the supervisor's
      const corrected = await post(suite.tokens.supervisor, id, 'control-results/correct', {
        outcome: 'non_compliant',
        irregularity: 'quantity',
        reason: 'the count was recounted',
      });
      assert.equal(corrected.status, 201, JSON.stringify(corrected.body));
    });

    test('who may act: another trader gets 404, an officer of another office 403, a bad body 400 naming its field', async () => {
      const id = await redWork();
      const notYours = await post(suite.user('otherTrader'), id, 'arrival', {});
      assert.deepEqual([notYours.status, notYours.body.error], [404, 'declaration_not_found']);
      assert.equal(
        (await call(suite.user('otherTrader'), 'GET', `/api/declarations/${id}/clearance`)).status,
        404,
      );
      const away = await post(suite.user('elsewhere'), id, 'release', {});
      assert.deepEqual([away.status, away.body.error], [403, 'forbidden']);
      assert.match(String(away.body.message), /it is at office 030, and you work at office 020/);
      const traderReleases = await post(suite.tokens.trader, id, 'release', {});
      assert.equal(traderReleases.status, 403);
      const analyst = await post(suite.tokens.risk_analyst, id, 'detain', { reason: 'suspicious' });
      assert.equal(analyst.status, 403);
      const officerProvides = await post(suite.tokens.officer, id, 'documents/provide', {});
      assert.equal(officerProvides.status, 403);

      const negative = await post(suite.tokens.officer, id, 'payments', {
        amount: -5,
        currency: 'USD',
        reference: 'x',
      });
      assert.equal(negative.status, 400);
      assert.match(JSON.stringify(negative.body), /amount/);
      const extra = await post(suite.tokens.officer, id, 'detain', {
        reason: 'held for sampling',
        colour: 'red',
      });
      assert.equal(extra.status, 400);
      assert.match(JSON.stringify(extra.body), /colour/);
      const noReason = await post(suite.tokens.officer, id, 'seize', {});
      assert.equal(noReason.status, 400);
      assert.match(JSON.stringify(noReason.body), /reason/);
      const currency = await post(suite.tokens.officer, id, 'payments', {
        amount: 5,
        currency: 'EUR',
        reference: 'x',
      });
      assert.deepEqual([currency.status, currency.body.error], [400, 'invalid_request']);
      assert.match(JSON.stringify(currency.body.details), /currency/);
      const future = await post(suite.tokens.trader, id, 'arrival', { arrivedAt: '2999-01-01T00:00:00Z' });
      assert.equal(future.status, 400);
      assert.match(JSON.stringify(future.body), /arrivedAt/);
      const badMoment = await post(suite.tokens.officer, id, 'inspection/schedule', {
        plannedAt: 'tomorrow',
        place: 'Bay 1',
      });
      assert.equal(badMoment.status, 400);
      assert.match(JSON.stringify(badMoment.body), /plannedAt/);
      assert.equal((await post(suite.tokens.officer, 999_999_999, 'release', {})).status, 404);
    });

    test('detained goods are seized or refused with a reason, and then nothing more happens', async () => {
      const id = await redWork();
      const detained = await post(suite.tokens.officer, id, 'detain', { reason: 'held for sampling' });
      assert.equal((detained.body as unknown as Clearance).status, 'detained');
      const again = await post(suite.tokens.officer, id, 'detain', { reason: 'held twice' });
      assert.equal(again.status, 409);
      const seized = await post(suite.tokens.supervisor, id, 'seize', { reason: 'counterfeit goods' });
      assert.equal((seized.body as unknown as Clearance).status, 'seized');
      for (const [path, body] of [
        ['release', {}],
        ['refuse', { reason: 'after all' }],
        ['payments', { amount: 1, currency: 'USD', reference: 'x' }],
      ] as const) {
        const late = await post(suite.tokens.officer, id, path, body);
        assert.deepEqual([late.status, late.body.error], [409, 'action_not_allowed'], path);
      }
      const listed = await call(suite.tokens.officer, 'GET', `/api/declarations?status=seized&limit=500`);
      assert.ok((listed.body.items as { id: number }[]).some((d) => d.id === id));
    });

    test('two officers releasing at once: one releases, the other is told it is released', async () => {
      const id = await redWork();
      assert.equal(
        (await post(suite.tokens.officer, id, 'control-results', { outcome: 'compliant' })).status,
        201,
      );
      assert.equal(
        (
          await post(suite.tokens.officer, id, 'guarantees', {
            amount: 96,
            currency: 'USD',
            reference: 'G-1',
          })
        ).status,
        200,
      );
      const both = await Promise.all([
        post(suite.tokens.officer, id, 'release', {}),
        post(suite.user('colleague'), id, 'release', {}),
      ]);
      assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
      const loser = both.find((r) => r.status === 409);
      assert.match(String(loser?.body.message), /it is released/);
      const events = await suite.ctx.db.query(
        'SELECT 1 FROM declaration_events WHERE declaration_id = $1 AND kind = $2',
        [id, 'released'],
      );
      assert.equal(events.length, 1);
      // released work leaves the worklist
      const work = await call(suite.tokens.officer, 'GET', `/api/worklist?office=${testOffice}&limit=500`);
      assert.ok(!(work.body.items as { id: number }[]).some((d) => d.id === id));
    });

    test('supervisors see what waits at each stage of their offices', async () => {
      const id = await redWork();
      assert.equal((await post(suite.tokens.officer, id, 'documents/request', {})).status, 200);
      const res = await call(suite.tokens.supervisor, 'GET', '/api/clearance/waiting');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const rows = res.body.waiting as {
        office: string;
        stage: string;
        count: number;
        oldestSince: string;
      }[];
      assert.deepEqual(res.body.offices, [testOffice]);
      assert.ok(rows.every((r) => r.office === testOffice));
      assert.ok((rows.find((r) => r.stage === 'documents_requested')?.count ?? 0) >= 1);
      const [open] = await suite.ctx.db.query<{ n: number }>(
        `SELECT count(*)::int8 AS n FROM declarations WHERE office = $1 AND status IN ('accepted', 'amended', 'controlled', 'detained')`,
        [testOffice],
      );
      assert.equal(
        rows.reduce((n, r) => n + r.count, 0),
        Number(open?.n),
        'every waiting declaration is counted once',
      );
      const away = await call(suite.tokens.supervisor, 'GET', `/api/clearance/waiting?office=${otherOffice}`);
      assert.equal(away.status, 403);
      assert.equal((await call(suite.tokens.officer, 'GET', '/api/clearance/waiting')).status, 403);
      const unknown = await call(suite.tokens.supervisor, 'GET', '/api/clearance/waiting?colour=1');
      assert.equal(unknown.status, 400);
    });

    test('an Idempotency-Key replays a recorded payment instead of recording it twice', async () => {
      const d = await lodge();
      const send = () =>
        suite.server.request('POST', `/api/declarations/${d.id}/payments`, {
          token: suite.tokens.officer,
          body: { amount: 10, currency: 'USD', reference: 'R-10' },
          headers: { 'idempotency-key': `pay-${d.id}` },
        });
      const first = await send();
      const second = await send();
      assert.deepEqual([first.status, second.status], [200, 200]);
      assert.equal(second.headers.get('idempotent-replayed'), 'true');
      assert.equal((await clearance(suite.tokens.officer, d.id)).duty.paid, 10);
    });
  });
}
