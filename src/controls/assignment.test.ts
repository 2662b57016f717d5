import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import {
  aDeclaration,
  createRoleUsers,
  createUserToken,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`taking, assigning and rerouting work (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    /** A second officer at ICN, and one at another office. */
    let colleague: string;
    let elsewhere: string;
    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx); // the officer and supervisor work at office ICN
      const officerAt = (username: string, office: string) =>
        createUserToken(ctx, { username, role: Role.Officer, office });
      colleague = await officerAt('officer-2', 'ICN');
      elsewhere = await officerAt('officer-pus', 'PUS');
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    const call = (token: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
      server.request(method, path, { token, body });
    /** Lodges a declaration and has the supervisor send it to the red lane, so it is on the worklist. */
    const redWork = async () => {
      const lodged = await call(tokens.trader, 'POST', '/api/declarations', aDeclaration());
      assert.equal(lodged.status, 201);
      const id = Number(lodged.body.id);
      if (lodged.body.lane !== 'red') {
        const moved = await call(tokens.supervisor, 'POST', `/api/declarations/${id}/reroute`, {
          lane: 'red',
          reason: 'intelligence on the consignee',
        });
        assert.equal(moved.status, 200, JSON.stringify(moved.body));
      }
      return id;
    };
    const worklistIds = async (token: string, query = '') => {
      const res = await call(token, 'GET', `/api/worklist?office=ICN&limit=500${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body.items as { id: number; assignedTo: string | null }[]).map((i) => [i.id, i.assignedTo]);
    };

    test('an officer takes open work: it is theirs on the worklist, and a colleague can no longer take or control it', async () => {
      const id = await redWork();
      const before = await call(tokens.officer, 'GET', `/api/declarations/${id}`);
      assert.deepEqual(before.body.allowed, ['take', 'record_control']);

      const taken = await call(tokens.officer, 'POST', `/api/declarations/${id}/take`);
      assert.equal(taken.status, 200, JSON.stringify(taken.body));
      assert.equal(taken.body.assignedTo, 'officer');
      assert.deepEqual(taken.body.allowed, ['record_control']);
      assert.ok((await worklistIds(tokens.officer, '&assigned=mine')).some(([i]) => i === id));
      assert.ok(!(await worklistIds(tokens.officer, '&assigned=unassigned')).some(([i]) => i === id));

      const again = await call(colleague, 'POST', `/api/declarations/${id}/take`);
      assert.equal(again.status, 409);
      assert.match(String(again.body.message), /officer is working on it/);
      const theirs = await call(colleague, 'GET', `/api/declarations/${id}`);
      assert.deepEqual(theirs.body.allowed, []);
      const control = await call(colleague, 'POST', `/api/declarations/${id}/control-results`, {
        outcome: 'compliant',
      });
      assert.equal(control.status, 409);

      const history = await call(tokens.supervisor, 'GET', `/api/declarations/${id}/events`);
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
      const res = await call(elsewhere, 'POST', `/api/declarations/${id}/take`);
      assert.equal(res.status, 409);
      assert.match(String(res.body.message), /office ICN, not PUS/);
    });

    test('a supervisor assigns work to an officer of the office, reassigns it, and releases it', async () => {
      const id = await redWork();
      const given = await call(tokens.supervisor, 'POST', `/api/declarations/${id}/assign`, {
        officer: 'officer-2',
      });
      assert.equal(given.status, 200, JSON.stringify(given.body));
      assert.equal(given.body.assignedTo, 'officer-2');
      assert.deepEqual((await call(tokens.officer, 'GET', `/api/declarations/${id}`)).body.allowed, []);
      assert.deepEqual((await call(colleague, 'GET', `/api/declarations/${id}`)).body.allowed, [
        'record_control',
      ]);

      const officers = await call(tokens.supervisor, 'GET', '/api/worklist/officers');
      assert.equal(officers.status, 200);
      const load = Object.fromEntries(
        (officers.body.officers as { username: string; open: number }[]).map((o) => [o.username, o.open]),
      );
      assert.ok(!('officer-pus' in load), 'an officer of another office is not offered');
      assert.ok((load['officer-2'] ?? 0) >= 1, JSON.stringify(load));

      const moved = await call(tokens.supervisor, 'POST', `/api/declarations/${id}/assign`, {
        officer: 'officer',
      });
      assert.equal(moved.body.assignedTo, 'officer');
      const released = await call(tokens.supervisor, 'POST', `/api/declarations/${id}/assign`, {
        officer: null,
      });
      assert.equal(released.status, 200);
      assert.equal(released.body.assignedTo, undefined);
      assert.deepEqual((await call(colleague, 'GET', `/api/declarations/${id}`)).body.allowed, [
        'take',
        'record_control',
      ]);
      const history = await call(tokens.supervisor, 'GET', `/api/declarations/${id}/events`);
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
        ['officer-pus', /works at office PUS, not ICN/],
      ];
      for (const [officer, message] of cases) {
        const res = await call(tokens.supervisor, 'POST', `/api/declarations/${id}/assign`, { officer });
        assert.equal(res.status, 422, officer);
        assert.equal(res.body.error, 'invalid_assignee');
        assert.match(String(res.body.message), message);
      }
      const officerAssigns = await call(tokens.officer, 'POST', `/api/declarations/${id}/assign`, {
        officer: 'officer',
      });
      assert.equal(officerAssigns.status, 403);
    });

    test('a supervisor reroutes work with a reason; the trader sees the new lane but not the reason', async () => {
      const id = await redWork();
      const res = await call(tokens.supervisor, 'POST', `/api/declarations/${id}/reroute`, {
        lane: 'green',
        reason: 'documents verified with the consignee',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.lane, 'green');
      assert.ok(
        !(await worklistIds(tokens.officer)).some(([i]) => i === id),
        'green work leaves the worklist',
      );

      const staff = await call(tokens.supervisor, 'GET', `/api/declarations/${id}/events`);
      const rerouted = (
        staff.body.events as { kind: string; actor: string; data: Record<string, unknown> }[]
      ).filter((e) => e.kind === 'rerouted');
      assert.deepEqual(rerouted.at(-1)?.data, {
        from: 'red',
        to: 'green',
        reason: 'documents verified with the consignee',
      });
      assert.equal(rerouted.at(-1)?.actor, 'supervisor');

      const trader = await call(tokens.trader, 'GET', `/api/declarations/${id}/events`);
      const seen = trader.body.events as { kind: string; actor: string; data: unknown }[];
      assert.ok(!seen.some((e) => e.kind === 'assigned'));
      assert.deepEqual(seen.filter((e) => e.kind === 'rerouted').at(-1), {
        ...seen.filter((e) => e.kind === 'rerouted').at(-1),
        actor: 'customs',
        data: { to: 'green' },
      });
      assert.equal((await call(tokens.trader, 'GET', `/api/declarations/${id}`)).body.lane, 'green');
    });

    test('rerouting needs a new lane and a reason, and open work', async () => {
      const id = await redWork();
      const same = await call(tokens.supervisor, 'POST', `/api/declarations/${id}/reroute`, {
        lane: 'red',
        reason: 'again',
      });
      assert.equal(same.status, 409);
      assert.match(String(same.body.message), /in the red lane already/);
      const blank = await call(tokens.supervisor, 'POST', `/api/declarations/${id}/reroute`, {
        lane: 'yellow',
        reason: '     ',
      });
      assert.equal(blank.status, 400);
      const badLane = await call(tokens.supervisor, 'POST', `/api/declarations/${id}/reroute`, {
        lane: 'purple',
        reason: 'a reason',
      });
      assert.equal(badLane.status, 400);
      const controlled = await call(tokens.supervisor, 'POST', `/api/declarations/${id}/control-results`, {
        outcome: 'compliant',
      });
      assert.equal(controlled.status, 201);
      const late = await call(tokens.supervisor, 'POST', `/api/declarations/${id}/reroute`, {
        lane: 'green',
        reason: 'too late',
      });
      assert.equal(late.status, 409);
      assert.match(String(late.body.message), /it is controlled/);
      const missing = await call(tokens.supervisor, 'POST', '/api/declarations/99999999/take');
      assert.equal(missing.status, 404);
    });

    test('traders never see who works on their declaration', async () => {
      const id = await redWork();
      await call(tokens.officer, 'POST', `/api/declarations/${id}/take`);
      const seen = await call(tokens.trader, 'GET', `/api/declarations/${id}`);
      assert.equal(seen.status, 200);
      assert.equal('assignedTo' in seen.body, false);
      assert.equal(
        (await call(tokens.supervisor, 'GET', `/api/declarations/${id}`)).body.assignedTo,
        'officer',
      );
    });
  });
}
