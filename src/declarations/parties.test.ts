import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import {
  aDeclaration,
  createRoleUsers,
  createUserToken,
  openTestContext,
  otherOffice,
  startTestServer,
  storageTargets,
  testDeclarant,
  testTrader,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

/**
 * Who may amend and cancel: the trader itself and the declarant of record (who lodged the
 * declaration); another declarant representing the same trader reads it but changes nothing; a
 * supervisor of the office may cancel it.
 */
for (const target of storageTargets()) {
  describe(`amending and cancelling by the parties of record (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    /** A second declarant, BROKER-B, that represents TRADER-A too; and a supervisor of office 020. */
    let otherDeclarant: string;
    let supervisorElsewhere: string;
    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      otherDeclarant = await createUserToken(ctx, {
        username: 'declarant-b',
        role: Role.Declarant,
        partyId: 'BROKER-B',
        represents: [testTrader],
      });
      supervisorElsewhere = await createUserToken(ctx, {
        username: 'supervisor-020',
        role: Role.Supervisor,
        offices: [otherOffice],
      });
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    /** Lodged by BROKER-A, the declarant of record, for TRADER-A at office 030. */
    const lodged = async () => {
      const res = await server.request('POST', '/api/declarations', {
        token: tokens.declarant,
        body: aDeclaration(),
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: number; declarant: string; functionalReference: string };
    };
    const cancel = (token: string, id: number) =>
      server.request('POST', `/api/declarations/${id}/cancel`, { token, body: { reason: 'lodged twice' } });
    const amend = (token: string, d: { id: number; functionalReference: string }) =>
      server.request('POST', `/api/declarations/${d.id}/amend`, {
        token,
        body: {
          declaration: aDeclaration({ functionalReference: d.functionalReference, declarant: 'BROKER-B' }),
        },
      });

    test('another declarant of the same trader sees the declaration but may neither cancel nor amend it', async () => {
      const d = await lodged();
      assert.equal(d.declarant, testDeclarant);
      const seen = await server.request('GET', `/api/declarations/${d.id}`, { token: otherDeclarant });
      assert.deepEqual([seen.status, seen.body.allowed], [200, []]);
      for (const [verb, res] of [
        ['cancel', await cancel(otherDeclarant, d.id)],
        ['amend', await amend(otherDeclarant, d)],
      ] as const) {
        assert.deepEqual([res.status, res.body.error], [409, 'action_not_allowed'], verb);
        assert.equal(
          res.body.message,
          `you cannot ${verb} declaration ${d.id}: declarant BROKER-A lodged it for trader TRADER-A, and only they may ${verb} it`,
        );
      }
      const still = await server.request('GET', `/api/declarations/${d.id}`, { token: tokens.declarant });
      assert.deepEqual(
        [still.body.status, still.body.version, still.body.allowed],
        ['accepted', 1, ['amend', 'cancel']],
      );
    });

    test('the declarant of record amends and cancels; the trader cancels what its declarant lodged', async () => {
      const first = await lodged();
      const amended = await server.request('POST', `/api/declarations/${first.id}/amend`, {
        token: tokens.declarant,
        body: {
          declaration: aDeclaration({ functionalReference: first.functionalReference, seller: 'SELLER-2' }),
        },
      });
      assert.deepEqual([amended.status, amended.body.version, amended.body.seller], [200, 2, 'SELLER-2']);
      assert.equal((await cancel(tokens.declarant, first.id)).status, 200);

      const second = await lodged();
      const byTrader = await server.request('GET', `/api/declarations/${second.id}`, {
        token: tokens.trader,
      });
      assert.deepEqual(byTrader.body.allowed, ['amend', 'cancel']);
      const cancelled = await cancel(tokens.trader, second.id);
      assert.deepEqual([cancelled.status, cancelled.body.status], [200, 'cancelled']);
    });

    test('a supervisor of the office may cancel; a supervisor of another office may not', async () => {
      const d = await lodged();
      const refused = await cancel(supervisorElsewhere, d.id);
      assert.deepEqual([refused.status, refused.body.error], [409, 'action_not_allowed']);
      assert.equal(
        refused.body.message,
        `you cannot cancel declaration ${d.id}: it is at office 030, and you work at office 020`,
      );
      assert.equal((await cancel(tokens.supervisor, d.id)).status, 200);
    });
  });
}
