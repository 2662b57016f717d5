import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  openTestContext,
  otherTrader,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';

interface Finding {
  path: string;
  code: string;
  severity: string;
}

for (const target of storageTargets()) {
  describe(`checking a draft declaration without lodging it (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    before(async () => {
      ctx = await openTestContext(target);
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });
    const check = (body: unknown, role: Role = Role.Trader) =>
      server.request('POST', '/api/declarations/validate', { token: tokens[role], body });
    const count = async () =>
      Number((await ctx.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM declarations'))[0]?.n);

    test('a complete draft is valid, and checking it stores nothing', async () => {
      const before = await count();
      const res = await check(aDeclaration());
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.valid, true);
      assert.deepEqual(
        (res.body.findings as Finding[]).filter((f) => f.severity === 'error'),
        [],
      );
      assert.equal(await count(), before);
    });

    test('a draft being typed gets each problem at the field it concerns', async () => {
      const res = await check({
        type: 'IM',
        date: '2026-02-30',
        office: '030',
        currency: 'USD',
        items: [{ hsCode: '12', value: 10 }],
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.valid, false);
      const at = new Map((res.body.findings as Finding[]).map((f) => [f.path, f.code]));
      assert.equal(at.get('functionalReference'), 'required');
      assert.equal(at.get('date'), 'invalid_date');
      assert.ok(at.has('items[0].hsCode'), JSON.stringify([...at]));
    });

    test('lodging for another trader is a finding at the trader field', async () => {
      const res = await check(aDeclaration({ trader: otherTrader }));
      assert.equal(res.status, 200);
      assert.equal(res.body.valid, false);
      const refusal = (res.body.findings as Finding[]).find((f) => f.code === 'not_authorized_for_trader');
      assert.equal(refusal?.path, 'trader');
      const declarant = await check(aDeclaration({ trader: otherTrader }), Role.Declarant);
      assert.equal(
        (declarant.body.findings as Finding[]).find((f) => f.code === 'not_authorized_for_trader')?.path,
        'trader',
      );
    });

    test('what the schema refuses is a finding at its field, and every other finding still comes', async () => {
      const res = await check(
        aDeclaration({
          functionalReference: 'R'.repeat(40),
          currency: 'usd',
          colour: 'red',
          items: [anItem({ description: 'x'.repeat(3000), value: 'ten' })],
        }),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.valid, false);
      const findings = res.body.findings as (Finding & { message: string; layer: string })[];
      const at = (path: string) => findings.filter((f) => f.path === path);
      assert.deepEqual(
        at('functionalReference').map((f) => [f.code, f.message, f.severity]),
        [['too_long', 'functionalReference must be at most 35 characters (it has 40)', 'error']],
        'the refused reference is reported once, not again as missing',
      );
      assert.deepEqual(
        at('items[0].description').map((f) => f.code),
        ['too_long'],
      );
      assert.deepEqual(
        at('items[0].value').map((f) => [f.code, f.message]),
        [['wrong_type', 'items[0].value must be a number']],
      );
      assert.deepEqual(
        at('colour').map((f) => f.code),
        ['unknown_field'],
      );
      // the validation layers still check the rest of the draft
      assert.ok(
        at('currency').some((f) => f.severity === 'error'),
        JSON.stringify(findings),
      );
      assert.ok(findings.every((f) => typeof f.layer === 'string'));
    });

    test('a draft of any shape gets findings, never a server error', async () => {
      const drafts: [unknown, string[]][] = [
        [{ items: 'x' }, ['items']],
        [{ items: [1, null, 'a'] }, ['items[0]', 'items[1]', 'items[2]']],
        [{ items: Array.from({ length: 1000 }, () => ({})) }, ['items']],
        [
          { type: 5, date: null, invoiceTotal: 'x', items: [{ sequence: 1.5, packageCount: 'x', foo: 1 }] },
          ['type', 'date', 'invoiceTotal', 'items[0].sequence', 'items[0].packageCount', 'items[0].foo'],
        ],
        [{ items: [{ description: { a: 1 } }] }, ['items[0].description']],
      ];
      for (const [draft, paths] of drafts) {
        const res = await check(draft);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const findings = res.body.findings as Finding[];
        for (const path of paths)
          assert.ok(
            findings.some((f) => f.path === path && f.severity === 'error'),
            `${path} in ${JSON.stringify(findings).slice(0, 800)}`,
          );
      }
    });

    test('a body that is not a declaration is a 400, and only lodgers may check', async () => {
      for (const body of [[], 'text', 7]) {
        const res = await check(body);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error, 'invalid_request');
      }
      assert.equal((await check(aDeclaration(), Role.Officer)).status, 403);
    });
  });
}
