import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import { apiSuite } from '../testing/api-suite.ts';
import { otherOffice, storageTargets, testOffice } from '../testing/harness.ts';
import { sealPending } from '../governance/ledger/seal.ts';

for (const target of storageTargets()) {
  describe(`taking, assigning and rerouting work (${target})`, () => {
    const suite = apiSuite(target, {
      colleague: { username: 'officer-2', role: Role.Officer, offices: [testOffice] },
      elsewhere: { username: 'officer-pus', role: Role.Officer, offices: [otherOffice] },
      supervisorElsewhere: { username: 'supervisor-020', role: Role.Supervisor, offices: [otherOffice] },
    });
    const { call, redWork } = suite;
    const worklistIds = async (token: string, query = '') => {
      const res = await call(token, 'GET', `/api/worklist?office=${testOffice}&limit=500${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body.items as { id: number; assignedTo: string | null }[]).map((i) => [i.id, i.assignedTo]);
    };

    test('an officer takes open work: it is theirs on the worklist, and a colleague can no longer take or control it', async () => {
      const id = await redWork();
      const before = await call(suite.tokens.officer, 'GET', `/api/declarations/${id}`);
      assert.deepEqual(before.body.allowed, ['take', 'record_control']);

      const taken = await call(suite.tokens.officer, 'POST', `/api/declarations/${id}/take`);
      assert.equal(taken.status, 200, JSON.stringify(taken.body));
      assert.equal(taken.body.assignedTo, 'officer');
      assert.deepEqual(taken.body.allowed, ['record_control']);
      assert.ok((await worklistIds(suite.tokens.officer, '&assigned=mine')).some(([i]) => i === id));
      assert.ok(!(await worklistIds(suite.tokens.officer, '&assigned=unassigned')).some(([i]) => i === id));

      const again = await call(suite.user('colleague'), 'POST', `/api/declarations/${id}/take`);
      assert.equal(again.status, 409);
      assert.match(String(again.body.message), /officer is working on it/);
      const theirs = await call(suite.user('colleague'), 'GET', `/api/declarations/${id}`);
      assert.deepEqual(theirs.body.allowed, []);
      const control = await call(suite.user('colleague'), 'POST', `/api/declarations/${id}/control-results`, {
        outcome: 'compliant',
      });
      assert.equal(control.status, 409);

      const history = await call(suite.tokens.supervisor, 'GET', `/api/declarations/${id}/events`);
      const assigned = (history.body.events as { kind: string; actor: string; data: unknown }[]).filter(
        (e) => e.kind === 'assigned',
      );
      assert.deepEqual(
        assigned.map((e) => [e.actor, e.data]),
        [['officer', { to: 'officer' }]],
      );
    });

    test('an officer of another office cannot take the work', async () => {
      const id = await redWork();
      const res = await call(suite.user('elsewhere'), 'POST', `/api/declarations/${id}/take`);
      assert.equal(res.status, 409);
      assert.equal(
        res.body.message,
        `you cannot take declaration ${id}: it is at office 030, and you work at office 020`,
      );
    });

    test("a supervisor of another office can neither reroute, take, assign, control nor hold the office's work", async () => {
      const id = await redWork();
      const seen = await call(suite.user('supervisorElsewhere'), 'GET', `/api/declarations/${id}`);
      assert.deepEqual([seen.status, seen.body.allowed], [200, []]);
      const attempts: [string, string, unknown][] = [
        ['reroute', `/api/declarations/${id}/reroute`, { lane: 'green', reason: 'not my office' }],
        ['take', `/api/declarations/${id}/take`, undefined],
        ['assign', `/api/declarations/${id}/assign`, { officer: 'officer-pus' }],
        ['record a control result for', `/api/declarations/${id}/control-results`, { outcome: 'compliant' }],
        ['cancel', `/api/declarations/${id}/cancel`, { reason: 'not my office' }],
      ];
      for (const [verb, path, body] of attempts) {
        const res = await call(suite.user('supervisorElsewhere'), 'POST', path, body);
        assert.deepEqual([res.status, res.body.error], [409, 'action_not_allowed'], path);
        assert.equal(
          res.body.message,
          `you cannot ${verb} declaration ${id}: it is at office 030, and you work at office 020`,
        );
      }
      const hold = await call(
        suite.user('supervisorElsewhere'),
        'POST',
        `/api/declarations/${id}/legal-hold`,
        {
          reason: 'case 2026/7',
        },
      );
      assert.deepEqual([hold.status, hold.body.error], [409, 'action_not_allowed']);
      assert.match(String(hold.body.message), /lodged at office 030.*you work at 020/);
      const after = await call(suite.tokens.supervisor, 'GET', `/api/declarations/${id}`);
      assert.deepEqual(
        [after.body.status, after.body.lane, after.body.assignedTo],
        ['accepted', 'red', undefined],
      );
    });

    test('an administrator gives a supervisor a second office: it acts there at once, and its worklist covers both', async () => {
      const id = await redWork();
      const set = await call(suite.tokens.administrator, 'PUT', '/api/users/supervisor-020/offices', {
        offices: [otherOffice, testOffice],
      });
      assert.deepEqual(
        [set.status, set.body],
        [200, { username: 'supervisor-020', offices: ['020', '030'] }],
      );
      const me = await call(suite.user('supervisorElsewhere'), 'GET', '/api/auth/me');
      assert.deepEqual((me.body.user as { offices: string[] }).offices, ['020', '030']);
      const worklist = await call(suite.user('supervisorElsewhere'), 'GET', '/api/worklist?limit=500');
      assert.ok(
        (worklist.body.items as { id: number }[]).some((i) => i.id === id),
        'both offices by default',
      );
      const taken = await call(suite.user('supervisorElsewhere'), 'POST', `/api/declarations/${id}/take`);
      assert.equal(taken.status, 200, JSON.stringify(taken.body));
      await sealPending(suite.ctx.db);
      const ledger = await suite.ctx.db.query<{ data: unknown }>(
        "SELECT data FROM ledger WHERE action = 'user.offices_set' AND subject_id = 'supervisor-020'",
      );
      assert.deepEqual(ledger.length, 1);

      const refusals: [unknown, RegExp][] = [
        [{ offices: ['NaN'] }, /office "NaN" is not an office code/],
        [{ offices: ['999'] }, /not a customs office: 999/],
      ];
      for (const [body, message] of refusals) {
        const res = await call(suite.tokens.administrator, 'PUT', '/api/users/supervisor-020/offices', body);
        assert.deepEqual([res.status, res.body.error], [422, 'invalid_user']);
        assert.match(String(res.body.message), message);
      }
      const trader = await call(suite.tokens.administrator, 'PUT', '/api/users/trader/offices', {
        offices: [testOffice],
      });
      assert.match(String(trader.body.message), /only officers and supervisors belong to customs offices/);
      const nobody = await call(suite.tokens.administrator, 'PUT', '/api/users/nobody/offices', {
        offices: [],
      });
      assert.equal(nobody.status, 404);
      const bySupervisor = await call(suite.tokens.supervisor, 'PUT', '/api/users/supervisor/offices', {
        offices: [testOffice, otherOffice],
      });
      assert.equal(bySupervisor.status, 403);
    });

    test('a supervisor assigns work to an officer of the office, reassigns it, and releases it', async () => {
      const id = await redWork();
      const given = await call(suite.tokens.supervisor, 'POST', `/api/declarations/${id}/assign`, {
        officer: 'officer-2',
      });
      assert.equal(given.status, 200, JSON.stringify(given.body));
      assert.equal(given.body.assignedTo, 'officer-2');
      assert.deepEqual((await call(suite.tokens.officer, 'GET', `/api/declarations/${id}`)).body.allowed, []);
      assert.deepEqual((await call(suite.user('colleague'), 'GET', `/api/declarations/${id}`)).body.allowed, [
        'record_control',
      ]);

      const officers = await call(suite.tokens.supervisor, 'GET', '/api/worklist/officers');
      assert.equal(officers.status, 200);
      const load = Object.fromEntries(
        (officers.body.officers as { username: string; open: number }[]).map((o) => [o.username, o.open]),
      );
      assert.ok(!('officer-pus' in load), 'an officer of another office is not offered');
      assert.ok((load['officer-2'] ?? 0) >= 1, JSON.stringify(load));

      const moved = await call(suite.tokens.supervisor, 'POST', `/api/declarations/${id}/assign`, {
        officer: 'officer',
      });
      assert.equal(moved.body.assignedTo, 'officer');
      const released = await call(suite.tokens.supervisor, 'POST', `/api/declarations/${id}/assign`, {
        officer: null,
      });
      assert.equal(released.status, 200);
      assert.equal(released.body.assignedTo, undefined);
      assert.deepEqual((await call(suite.user('colleague'), 'GET', `/api/declarations/${id}`)).body.allowed, [
        'take',
        'record_control',
      ]);
      const history = await call(suite.tokens.supervisor, 'GET', `/api/declarations/${id}/events`);
      assert.deepEqual(
        (history.body.events as { kind: string; data: unknown }[])
          .filter((e) => e.kind === 'assigned')
          .map((e) => e.data),
        [{ to: 'officer-2' }, { to: 'officer', from: 'officer-2' }, { to: null, from: 'officer' }],
      );
    });

    test('work is assigned only to an active officer of the office', async () => {
      const id = await redWork();
      const cases: [string, RegExp][] = [
        ['nobody', /there is no user nobody/],
        ['trader', /trader is a trader, not an officer/],
        ['risk-analyst', /risk-analyst is a risk analyst, not an officer/],
        ['officer-pus', /officer-pus does not work at office 030 \(only at 020\)/],
      ];
      for (const [officer, message] of cases) {
        const res = await call(suite.tokens.supervisor, 'POST', `/api/declarations/${id}/assign`, {
          officer,
        });
        assert.equal(res.status, 422, officer);
        assert.equal(res.body.error, 'invalid_assignee');
        assert.match(String(res.body.message), message);
      }
      const officerAssigns = await call(suite.tokens.officer, 'POST', `/api/declarations/${id}/assign`, {
        officer: 'officer',
      });
      assert.equal(officerAssigns.status, 403);
    });

    test('a supervisor reroutes work with a reason; the trader sees the new lane but not the reason', async () => {
      const id = await redWork();
      const res = await call(suite.tokens.supervisor, 'POST', `/api/declarations/${id}/reroute`, {
        lane: 'green',
        reason: 'documents verified with the consignee',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.lane, 'green');
      assert.ok(
        !(await worklistIds(suite.tokens.officer)).some(([i]) => i === id),
        'green work leaves the worklist',
      );

      const staff = await call(suite.tokens.supervisor, 'GET', `/api/declarations/${id}/events`);
      const rerouted = (
        staff.body.events as { kind: string; actor: string; data: Record<string, unknown> }[]
      ).filter((e) => e.kind === 'rerouted');
      assert.deepEqual(rerouted.at(-1)?.data, {
        from: 'red',
        to: 'green',
        reason: 'documents verified with the consignee',
      });
      assert.equal(rerouted.at(-1)?.actor, 'supervisor');

      const trader = await call(suite.tokens.trader, 'GET', `/api/declarations/${id}/events`);
      const seen = trader.body.events as { kind: string; actor: string; data: unknown }[];
      assert.ok(!seen.some((e) => e.kind === 'assigned'));
      assert.deepEqual(seen.filter((e) => e.kind === 'rerouted').at(-1), {
        ...seen.filter((e) => e.kind === 'rerouted').at(-1),
        actor: 'customs',
        data: { to: 'green' },
      });
      assert.equal((await call(suite.tokens.trader, 'GET', `/api/declarations/${id}`)).body.lane, 'green');
    });

    test('rerouting needs a new lane and a reason, and open work', async () => {
      const id = await redWork();
      const same = await call(suite.tokens.supervisor, 'POST', `/api/declarations/${id}/reroute`, {
        lane: 'red',
        reason: 'again',
      });
      assert.equal(same.status, 409);
      assert.match(String(same.body.message), /in the red lane already/);
      const blank = await call(suite.tokens.supervisor, 'POST', `/api/declarations/${id}/reroute`, {
        lane: 'yellow',
        reason: '     ',
      });
      assert.equal(blank.status, 400);
      const badLane = await call(suite.tokens.supervisor, 'POST', `/api/declarations/${id}/reroute`, {
        lane: 'purple',
        reason: 'a reason',
      });
      assert.equal(badLane.status, 400);
      const controlled = await call(
        suite.tokens.supervisor,
        'POST',
        `/api/declarations/${id}/control-results`,
        {
          outcome: 'compliant',
        },
      );
      assert.equal(controlled.status, 201);
      const late = await call(suite.tokens.supervisor, 'POST', `/api/declarations/${id}/reroute`, {
        lane: 'green',
        reason: 'too late',
      });
      assert.equal(late.status, 409);
      assert.match(String(late.body.message), /it is controlled/);
      const missing = await call(suite.tokens.supervisor, 'POST', '/api/declarations/99999999/take');
      assert.equal(missing.status, 404);
    });

    test('traders never see who works on their declaration', async () => {
      const id = await redWork();
      await call(suite.tokens.officer, 'POST', `/api/declarations/${id}/take`);
      const seen = await call(suite.tokens.trader, 'GET', `/api/declarations/${id}`);
      assert.equal(seen.status, 200);
      assert.equal('assignedTo' in seen.body, false);
      assert.equal(
        (await call(suite.tokens.supervisor, 'GET', `/api/declarations/${id}`)).body.assignedTo,
        'officer',
      );
    });
  });
}
