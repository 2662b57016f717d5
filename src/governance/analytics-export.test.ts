import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
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
import { writeAnalyticsExport } from './analytics-export.ts';
import { pseudonymiser } from './pseudonyms.ts';
import type { Role } from './roles.ts';
import { sealPending } from './ledger/seal.ts';

const key = Buffer.alloc(32, 7);

async function exported(ctx: TestContext, release: string, range: { from?: string; to?: string } = {}) {
  const out = new PassThrough();
  let text = '';
  out.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const result = await writeAnalyticsExport(ctx.db, out, {
    release,
    pseudonymise: pseudonymiser(key, release),
    pageSize: 2,
    ...range,
  });
  out.end();
  return {
    ...result,
    text,
    lines: text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

for (const target of storageTargets()) {
  describe(`analytics export on ${target}`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;

    before(async () => {
      ctx = await openTestContext(target, {
        CLEARWAY_PSEUDONYM_KEY: key.toString('hex'),
        CLEARWAY_EXPORT_RELEASE: '2026-Q1',
      });
      tokens = await createRoleUsers(ctx);
      server = await startTestServer(ctx);
      const lodge = async (body: Record<string, unknown>) => {
        const res = await server.request('POST', '/api/declarations', { token: tokens.declarant, body });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body.id as number;
      };
      const first = await lodge(
        aDeclaration({ seller: 'ACME-SELLER', buyer: 'ACME-BUYER', courier: 'FAST-COURIER' }),
      );
      await lodge(aDeclaration({ date: '2026-03-05', items: [anItem(), anItem({ sequence: 2, value: 0 })] }));
      await lodge(aDeclaration({ date: '2026-03-09' }));
      await ctx.db.query(
        `INSERT INTO control_results (declaration_id, outcome, irregularity, severity, source, recorded_by)
         VALUES ($1, 'non_compliant', 'undervaluation', 1, 'officer', 'officer')`,
        [first],
      );
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    test('leaves no party identifier of the database in the file', async () => {
      const { text, declarations } = await exported(ctx, '2026-Q1');
      assert.equal(declarations, 3);
      const parties = await ctx.db.query<{ id: string }>(
        `SELECT trader_id AS id FROM declarations UNION SELECT declarant_id FROM declarations
         UNION SELECT seller FROM declarations WHERE seller IS NOT NULL
         UNION SELECT buyer FROM declarations WHERE buyer IS NOT NULL
         UNION SELECT courier FROM declarations WHERE courier IS NOT NULL
         UNION SELECT trader_id FROM quality_counts WHERE trader_id <> ''`,
      );
      assert.deepEqual(parties.map((p) => p.id).sort(), [
        'ACME-BUYER',
        'ACME-SELLER',
        'BROKER-A',
        'FAST-COURIER',
        'SELLER-1',
        'TRADER-A',
      ]);
      for (const { id } of parties) assert.equal(text.includes(id), false, `${id} appears in the export`);
      const refs = await ctx.db.query<{ ref: string }>(
        'SELECT functional_reference AS ref FROM declarations',
      );
      for (const { ref } of refs) assert.equal(text.includes(ref), false, `${ref} appears in the export`);
    });

    test('writes each declaration with its items, lane and latest control outcome under pseudonyms', async () => {
      const { lines } = await exported(ctx, '2026-Q1');
      const p = pseudonymiser(key, '2026-Q1');
      const [first, second] = lines;
      assert.equal(first?.trader, p('TRADER-A'));
      assert.equal(first.declarant, p('BROKER-A'));
      assert.deepEqual(
        [first.seller, first.buyer, first.courier],
        [p('ACME-SELLER'), p('ACME-BUYER'), p('FAST-COURIER')],
      );
      assert.deepEqual(first.control, {
        outcome: 'non_compliant',
        irregularity: 'undervaluation',
        severity: 1,
        revenueRecovered: null,
      });
      assert.equal(typeof first.lane === 'string' || first.lane === null, true);
      assert.equal(second?.control, null);
      assert.deepEqual(
        (second.items as { sequence: number; value: number }[]).map((i) => [i.sequence, i.value]),
        [
          [1, 1200],
          [2, 0],
        ],
      );
      // the same trader, the same pseudonym on every line of a release; another release, another one
      assert.deepEqual(new Set(lines.map((l) => l.trader)), new Set([p('TRADER-A')]));
      const q2 = await exported(ctx, '2026-Q2');
      assert.notEqual(q2.lines[0]?.trader, first.trader);
    });

    test('exports the declarations dated within from and to', async () => {
      const { declarations, lines } = await exported(ctx, 'r', { from: '2026-03-03', to: '2026-03-05' });
      assert.equal(declarations, 1);
      assert.equal(lines[0]?.date, '2026-03-05');
    });

    test('partner agencies download the same export over HTTP, recorded in the ledger before it leaves', async () => {
      const download = (query: string, token = tokens.partner_agency) =>
        fetch(`${server.url}/api/exports/analytics${query}`, {
          headers: { authorization: `Bearer ${token}` },
        });
      const res = await download('?from=2026-03-03');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/x-ndjson/);
      assert.equal(
        res.headers.get('content-disposition'),
        'attachment; filename="clearway-analytics-2026-Q1.jsonl"',
      );
      assert.equal(await res.text(), (await exported(ctx, '2026-Q1', { from: '2026-03-03' })).text);
      await sealPending(ctx.db);
      const [entry] = await ctx.db.query<{ actor: string; action: string; data: string }>(
        'SELECT actor, action, data FROM ledger ORDER BY seq DESC LIMIT 1',
      );
      assert.deepEqual(
        { ...entry, data: JSON.parse(entry?.data ?? 'null') as unknown },
        {
          actor: 'partner-agency',
          action: 'dataset.exported',
          data: {
            dataset: 'analytics',
            release: '2026-Q1',
            from: '2026-03-03',
            to: null,
            role: 'partner_agency',
          },
        },
      );
      assert.equal((await download('', tokens.trader)).status, 403);
      assert.equal((await download('', tokens.officer)).status, 403);
      const badDay = await download('?from=2026-02-30');
      assert.equal(badDay.status, 400);
      assert.match(await badDay.text(), /from is not a calendar day: 2026-02-30/);
      const reversed = await download('?from=2026-03-09&to=2026-03-01');
      assert.match(await reversed.text(), /from 2026-03-09 is after to 2026-03-01/);
    });
  });
}
