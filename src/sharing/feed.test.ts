/** The partner agencies' feed, aggregates, access log and recipients, through the real server on each engine. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeclarationInput } from '../declarations/model.ts';
import { Role } from '../governance/roles.ts';
import {
  createRoleUsers,
  createUserToken,
  openTestContext,
  otherTrader,
  startTestServer,
  storageTargets,
  testTrader,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import {
  changeAgreement,
  createAgency,
  createAgencyUser,
  insertAgreement,
  storeDeclaration,
} from '../testing/sharing.ts';

type Body = Record<string, unknown>;

let serial = 0;
function declaration(overrides: Partial<DeclarationInput> = {}): DeclarationInput {
  serial++;
  return {
    type: 'IM',
    functionalReference: `FEED-${serial}`,
    date: '2026-03-02',
    office: '030',
    declarant: 'BROKER-A',
    trader: testTrader,
    seller: 'SELLER-9',
    currency: 'USD',
    procedure: '4000',
    items: [{ sequence: 1, hsCode: '02013000', value: 500, netMass: 100, description: 'beef' }],
    ...overrides,
  };
}

const items = (body: Body): Body[] => (Array.isArray(body.items) ? (body.items as Body[]) : []);
const ids = (body: Body): number[] => items(body).map((i) => Number(i.id));

for (const target of storageTargets()) {
  describe(`sharing feed on ${target}`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let agri: string;
    let health: string;
    let noAgency: string;
    let traderB: string;
    /** AGRI's agreement: meat (HS 02), office 030, imports; type, date and items' HS code and mass. */
    let meat: number;
    let healthAgreement: number;
    const covered: number[] = [];
    let otherTraderCovered: number;
    let cancelled: number;
    let outside: number;
    let otherHs: number;

    before(async () => {
      ctx = await openTestContext(target, { CLEARWAY_PSEUDONYM_KEY: 'cd'.repeat(32) });
      tokens = await createRoleUsers(ctx);
      await createAgency(ctx.db, 'AGRI', 'Agriculture Inspectorate');
      await createAgency(ctx.db, 'HEALTH', 'Health Authority');
      agri = await createAgencyUser(ctx, 'agri-reader', 'AGRI');
      health = await createAgencyUser(ctx, 'health-reader', 'HEALTH');
      noAgency = await createAgencyUser(ctx, 'lost-reader', null);
      traderB = await createUserToken(ctx, {
        username: 'trader-bee',
        role: Role.Trader,
        partyId: otherTrader,
      });
      meat = await insertAgreement(ctx.db, {
        agency: 'AGRI',
        purpose: 'Veterinary checks on meat',
        fields: ['type', 'date', 'trader', 'items[].hsCode', 'items[].netMass'],
        hsPrefixes: ['02'],
        offices: ['030'],
        declarationTypes: ['IM'],
        validFrom: '2026-01-01',
        validTo: '2099-12-31',
      });
      healthAgreement = await insertAgreement(ctx.db, {
        agency: 'HEALTH',
        fields: ['type'],
        hsPrefixes: ['30'],
      });
      for (let i = 0; i < 5; i++)
        covered.push(await storeDeclaration(ctx.db, declaration(), i === 4 ? 'released' : 'accepted'));
      otherTraderCovered = await storeDeclaration(ctx.db, declaration({ trader: otherTrader }));
      covered.push(otherTraderCovered);
      cancelled = await storeDeclaration(ctx.db, declaration(), 'cancelled');
      outside = await storeDeclaration(ctx.db, declaration({ date: '2025-12-31' }));
      otherHs = await storeDeclaration(
        ctx.db,
        declaration({ items: [{ sequence: 1, hsCode: '30049000', value: 10 }] }),
      );
      await storeDeclaration(ctx.db, declaration({ office: '020' }));
      await storeDeclaration(ctx.db, declaration({ type: 'EX' }));
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    const get = (path: string, token: string, headers?: Record<string, string>) =>
      server.request('GET', path, { token, ...(headers ? { headers } : {}) });

    test('an agency pages through the declarations its agreement covers, with the granted fields only', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      for (;;) {
        const query: string = `/api/sharing/feed?agreement=${meat}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await get(query, agri);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        pages++;
        for (const item of items(page.body)) {
          assert.deepEqual(Object.keys(item).sort(), ['date', 'id', 'items', 'trader', 'type']);
          assert.deepEqual(item.items, [{ sequence: 1, hsCode: '02013000', netMass: 100 }]);
        }
        seen.push(...ids(page.body));
        cursor = typeof page.body.nextCursor === 'string' ? page.body.nextCursor : null;
        assert.ok(cursor, 'every page gives where the next starts');
        if (page.body.hasMore !== true) break;
      }
      assert.deepEqual(seen, covered);
      assert.equal(pages, 3);
      for (const id of [cancelled, outside, otherHs])
        assert.ok(!seen.includes(id), `declaration ${id} is not covered`);
      const later = await get(`/api/sharing/feed?agreement=${meat}&cursor=${cursor}`, agri);
      assert.deepEqual(ids(later.body), [], 'after the last page, nothing until a new declaration is stored');
      const fresh = await storeDeclaration(ctx.db, declaration());
      const polled = await get(`/api/sharing/feed?agreement=${meat}&cursor=${cursor}`, agri);
      assert.deepEqual(ids(polled.body), [fresh]);
      covered.push(fresh);
    });

    // two transactions at once need a server: PGlite has one connection, which runs them in turn
    test(
      'a declaration whose transaction commits after a later one is never passed by the cursor',
      { skip: target !== 'postgres' && 'one connection runs transactions one after another' },
      async () => {
        let cursor = '';
        for (let more = true; more;) {
          const page = await get(
            `/api/sharing/feed?agreement=${meat}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
            agri,
          );
          cursor = String(page.body.nextCursor);
          more = page.body.hasMore === true;
        }
        let release = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        let stored = (_id: number) => {};
        const earlier = new Promise<number>((resolve) => (stored = resolve));
        const slow = ctx.db.transaction(async (tx) => {
          stored(await storeDeclaration(tx, declaration()));
          await held;
        });
        let meanwhile: Awaited<ReturnType<typeof get>>;
        let early: number;
        let later: number;
        // the transaction is let go whatever happens, so that a failure here cannot hold the rest
        try {
          early = await earlier;
          later = await storeDeclaration(ctx.db, declaration());
          assert.ok(early < later);
          meanwhile = await get(`/api/sharing/feed?agreement=${meat}&cursor=${cursor}`, agri);
        } finally {
          release();
          await slow;
        }
        assert.equal(meanwhile.status, 200, JSON.stringify(meanwhile.body));
        assert.deepEqual(ids(meanwhile.body), [], 'nothing is served past a transaction still running');
        const after = await get(
          `/api/sharing/feed?agreement=${meat}&cursor=${meanwhile.body.nextCursor}`,
          agri,
        );
        assert.deepEqual(ids(after.body), [early, later]);
        covered.push(early, later);
      },
    );

    test("an agency's users see its agreements in force, never another agency's", async () => {
      const mine = await get('/api/sharing/feed/agreements', agri);
      assert.equal(mine.status, 200);
      assert.equal(mine.body.agency, 'AGRI');
      assert.deepEqual(
        items(mine.body).map((a) => [a.id, a.purpose, a.level]),
        [[meat, 'Veterinary checks on meat', 'identified']],
      );
      assert.deepEqual(items(mine.body)[0]?.fields, [
        'type',
        'date',
        'trader',
        'items[].hsCode',
        'items[].netMass',
      ]);
      const theirs = await get('/api/sharing/feed/agreements', health);
      assert.deepEqual(
        items(theirs.body).map((a) => a.id),
        [healthAgreement],
      );
      assert.deepEqual((await get('/api/sharing/feed/agreements', noAgency)).body, {
        agency: null,
        items: [],
      });
    });

    test('the agency with one agreement in force may leave the agreement out', async () => {
      const page = await get('/api/sharing/feed?limit=1000', agri);
      assert.equal(page.status, 200);
      assert.equal(page.body.agreement, meat);
      assert.deepEqual(ids(page.body), covered);
    });

    test('date filters narrow the feed within the agreement', async () => {
      const march = await storeDeclaration(ctx.db, declaration({ date: '2026-04-10' }));
      covered.push(march);
      const page = await get(`/api/sharing/feed?agreement=${meat}&from=2026-04-01&to=2026-04-30`, agri);
      assert.deepEqual(ids(page.body), [march]);
      const refused = await get(`/api/sharing/feed?agreement=${meat}&from=2026-05-01&to=2026-04-01`, agri);
      assert.equal(refused.status, 400);
      assert.match(String(refused.body.message), /from 2026-05-01 is after to 2026-04-01/);
    });

    test('JSON Lines give one declaration a line and the cursor in a header', async () => {
      for (const ask of [{ accept: 'application/x-ndjson' }, undefined]) {
        const path = `/api/sharing/feed?agreement=${meat}&limit=2${ask ? '' : '&format=jsonl'}`;
        const response = await fetch(server.url + path, {
          headers: { authorization: `Bearer ${agri}`, ...(ask ?? {}) },
        });
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /application\/x-ndjson/);
        const lines = (await response.text())
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l) as Body);
        assert.deepEqual(
          lines.map((l) => l.id),
          covered.slice(0, 2),
        );
        assert.match(response.headers.get('clearway-next-cursor') ?? '', /^f1\./);
        assert.equal(response.headers.get('clearway-has-more'), 'true');
      }
    });

    test('every page served is recorded as a delivery with its declarations, and in the ledger', async () => {
      const [before] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sharing_deliveries');
      const page = await get(`/api/sharing/feed?agreement=${meat}&limit=3`, agri);
      const [delivery] = await ctx.db.query<{
        id: number;
        agency: string;
        channel: string;
        fields: string[];
        declarations: number;
        actor: string;
      }>(
        'SELECT id, agency, channel, fields, declarations, actor FROM sharing_deliveries ORDER BY id DESC LIMIT 1',
      );
      assert.ok(delivery);
      assert.equal(
        Number(
          (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sharing_deliveries'))[0]?.n,
        ),
        Number(before?.n) + 1,
      );
      assert.deepEqual(
        {
          agency: delivery.agency,
          channel: delivery.channel,
          declarations: delivery.declarations,
          actor: delivery.actor,
        },
        { agency: 'AGRI', channel: 'feed', declarations: 3, actor: 'agri-reader' },
      );
      assert.deepEqual(delivery.fields, ['type', 'date', 'trader', 'items[].hsCode', 'items[].netMass']);
      const held = await ctx.db.query<{ declaration_id: number }>(
        'SELECT declaration_id FROM sharing_delivery_declarations WHERE delivery_id = $1 ORDER BY declaration_id',
        [delivery.id],
      );
      assert.deepEqual(
        held.map((h) => Number(h.declaration_id)),
        ids(page.body),
      );
      const entries = await ctx.db.query<{ action: string }>(
        `SELECT action FROM (SELECT action, subject_kind, subject_id FROM ledger_pending
                             UNION ALL SELECT action, subject_kind, subject_id FROM ledger) e
         WHERE subject_kind = 'sharing_delivery' AND subject_id = $1`,
        [String(delivery.id)],
      );
      assert.deepEqual(
        entries.map((e) => e.action),
        ['sharing.delivered'],
      );
    });

    test('a cursor is refused under another agreement or from another agency', async () => {
      const page = await get(`/api/sharing/feed?agreement=${meat}&limit=1`, agri);
      const cursor = String(page.body.nextCursor);
      const elsewhere = await get(`/api/sharing/feed?agreement=${healthAgreement}&cursor=${cursor}`, health);
      assert.equal(elsewhere.status, 400);
      assert.match(String(elsewhere.body.message), /another agency/);
      const second = await insertAgreement(ctx.db, { agency: 'AGRI', fields: ['type'], status: 'draft' });
      const other = await get(`/api/sharing/feed?agreement=${second}&cursor=${cursor}`, agri);
      assert.equal(other.status, 400);
      assert.match(String(other.body.message), new RegExp(`belongs to agreement ${meat}`));
      const forged = await get('/api/sharing/feed?cursor=f1.bm90LWpzb24', agri);
      assert.equal(forged.status, 400);
    });

    test("an agency never reads another agency's agreement", async () => {
      const response = await get(`/api/sharing/feed?agreement=${healthAgreement}`, agri);
      assert.equal(response.status, 404);
      assert.match(String(response.body.message), new RegExp(`AGRI has no agreement ${healthAgreement}`));
      const aggregates = await get(`/api/sharing/aggregates?agreement=${healthAgreement}`, agri);
      assert.equal(aggregates.status, 404);
    });

    test('a partner agency user of no agency receives nothing', async () => {
      const response = await get('/api/sharing/feed', noAgency);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body.items, []);
      assert.equal(response.body.agreement, null);
      assert.equal((await get(`/api/sharing/feed?agreement=${meat}`, noAgency)).status, 404);
      assert.deepEqual((await get('/api/sharing/access-log', noAgency)).body.items, []);
    });

    test('the feed is refused at once when the agreement is suspended, revoked or expired', async () => {
      const id = await insertAgreement(ctx.db, { agency: 'HEALTH', fields: ['type'] });
      assert.equal((await get(`/api/sharing/feed?agreement=${id}`, health)).status, 200);
      await changeAgreement(ctx.db, id, { status: 'suspended' });
      const suspended = await get(`/api/sharing/feed?agreement=${id}`, health);
      assert.equal(suspended.status, 403);
      assert.equal(suspended.body.error, 'agreement_not_in_force');
      assert.match(String(suspended.body.message), /suspended/);
      await changeAgreement(ctx.db, id, { status: 'revoked' });
      assert.match(String((await get(`/api/sharing/feed?agreement=${id}`, health)).body.message), /revoked/);
      await changeAgreement(ctx.db, id, { status: 'active', validTo: '2026-01-31' });
      const expired = await get(`/api/sharing/feed?agreement=${id}`, health);
      assert.equal(expired.status, 403);
      assert.match(String(expired.body.message), /expired on 2026-01-31/);
    });

    test('an agency with several agreements in force names the one it reads', async () => {
      const second = await insertAgreement(ctx.db, { agency: 'HEALTH', fields: ['office'] });
      const response = await get('/api/sharing/feed', health);
      assert.equal(response.status, 400);
      assert.match(String(response.body.message), new RegExp(`${healthAgreement}, ${second}.*agreement=ID`));
      await changeAgreement(ctx.db, second, { status: 'revoked' });
    });

    test('a pseudonymised agreement shows every party as a stable pseudonym', async () => {
      const id = await insertAgreement(ctx.db, {
        agency: 'AGRI',
        fields: ['trader', 'declarant', 'seller', 'functionalReference', 'office'],
        level: 'pseudonymised',
        hsPrefixes: ['02'],
      });
      const page = await get(`/api/sharing/feed?agreement=${id}&limit=1000`, agri);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      const text = JSON.stringify(page.body.items);
      for (const raw of [testTrader, otherTrader, 'BROKER-A', 'SELLER-9', 'FEED-'])
        assert.ok(!text.includes(raw), raw);
      const traders = new Set(items(page.body).map((i) => i.trader));
      assert.equal(traders.size, 2, 'two traders, two pseudonyms');
      for (const t of traders) assert.match(String(t), /^T-[A-Z2-7]{16}$/);
      assert.equal(items(page.body)[0]?.office, '030');
      await changeAgreement(ctx.db, id, { status: 'revoked' });
    });

    test('an aggregated agreement gives monthly cells, never declarations, with small cells suppressed', async () => {
      const id = await insertAgreement(ctx.db, {
        agency: 'AGRI',
        fields: ['type'],
        level: 'aggregated',
        hsPrefixes: ['02'],
      });
      const feed = await get(`/api/sharing/feed?agreement=${id}`, agri);
      assert.equal(feed.status, 403);
      assert.match(String(feed.body.message), /aggregates only.*\/api\/sharing\/aggregates/);
      for (const trader of ['TRADER-C', 'TRADER-D'])
        await storeDeclaration(ctx.db, declaration({ trader, date: '2026-06-15' }));
      await storeDeclaration(ctx.db, declaration({ date: '2026-07-15' }));
      const response = await get(
        `/api/sharing/aggregates?agreement=${id}&from=2026-06-01&to=2026-07-31`,
        agri,
      );
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.deepEqual(response.body.cells, [
        // June: traders C and D and none else: fewer than 3
        {
          month: '2026-06',
          chapter: '02',
          currency: 'USD',
          declarations: null,
          value: null,
          netMass: null,
          suppressed: true,
        },
        {
          month: '2026-07',
          chapter: '02',
          currency: 'USD',
          declarations: null,
          value: null,
          netMass: null,
          suppressed: true,
        },
      ]);
      await storeDeclaration(ctx.db, declaration({ trader: 'TRADER-E', date: '2026-06-20' }));
      const grown = await get(`/api/sharing/aggregates?agreement=${id}&from=2026-06-01&to=2026-06-30`, agri);
      assert.deepEqual(grown.body.cells, [
        {
          month: '2026-06',
          chapter: '02',
          currency: 'USD',
          declarations: 3,
          value: 1500,
          netMass: 300,
          suppressed: false,
        },
      ]);
      const identified = await get(`/api/sharing/aggregates?agreement=${meat}`, agri);
      assert.equal(identified.status, 403);
      await changeAgreement(ctx.db, id, { status: 'revoked' });
    });

    test('aggregates come by whole months that have ended, so no day can be had by subtraction', async () => {
      const id = await insertAgreement(ctx.db, {
        agency: 'AGRI',
        fields: ['type'],
        level: 'aggregated',
        hsPrefixes: ['0303'],
      });
      const fish = (trader: string, date: string) =>
        declaration({
          trader,
          date,
          items: [{ sequence: 1, hsCode: '03031100', value: 500, netMass: 100, description: 'salmon' }],
        });
      for (const trader of ['TRADER-C', 'TRADER-D', 'TRADER-E'])
        await storeDeclaration(ctx.db, fish(trader, '2026-05-10'));
      // a fourth trader alone on the 20th: a window ending the 19th would leave its goods to subtract
      await storeDeclaration(ctx.db, fish('TRADER-F', '2026-05-20'));
      const may = {
        month: '2026-05',
        chapter: '03',
        currency: 'USD',
        declarations: 4,
        value: 2000,
        netMass: 400,
        suppressed: false,
      };
      for (const window of [
        'from=2026-05-01&to=2026-05-19',
        'from=2026-05-20&to=2026-05-20',
        'to=2026-05-31',
      ]) {
        const read = await get(`/api/sharing/aggregates?agreement=${id}&${window}`, agri);
        assert.equal(read.status, 200, JSON.stringify(read.body));
        assert.deepEqual(read.body.cells, [may], window);
      }
      // the month still running is left out, however many traders it holds already
      const today = new Date().toISOString().slice(0, 10);
      for (const trader of ['TRADER-C', 'TRADER-D', 'TRADER-E'])
        await storeDeclaration(ctx.db, fish(trader, today));
      const all = await get(`/api/sharing/aggregates?agreement=${id}`, agri);
      assert.deepEqual(all.body.cells, [may]);
      const current = await get(`/api/sharing/aggregates?agreement=${id}&from=${today}`, agri);
      assert.deepEqual([current.status, current.body.cells], [200, []]);
      await changeAgreement(ctx.db, id, { status: 'revoked' });
    });

    test("an agency's access log holds its own deliveries only; officials see every agency's", async () => {
      await get(`/api/sharing/feed?agreement=${healthAgreement}`, health);
      const own = await get('/api/sharing/access-log?limit=500', agri);
      assert.equal(own.status, 200);
      const agencies = new Set(items(own.body).map((d) => d.agency));
      assert.deepEqual([...agencies], ['AGRI']);
      const first = items(own.body)[0];
      assert.equal(first?.actor, 'agri-reader');
      assert.equal(first?.channel, 'feed');
      const refused = await get('/api/sharing/access-log?agency=HEALTH', agri);
      assert.equal(refused.status, 403);
      const paged = await get('/api/sharing/access-log?limit=1', agri);
      const next = await get(`/api/sharing/access-log?limit=1&before=${String(paged.body.nextBefore)}`, agri);
      assert.ok(Number(items(next.body)[0]?.id) < Number(items(paged.body)[0]?.id));
      for (const role of [Role.Administrator, Role.Supervisor, Role.Auditor]) {
        const all = await get('/api/sharing/access-log?limit=500', tokens[role]);
        assert.deepEqual(new Set(items(all.body).map((d) => d.agency)), new Set(['AGRI', 'HEALTH']));
        const health = await get('/api/sharing/access-log?agency=HEALTH', tokens[role]);
        assert.deepEqual(new Set(items(health.body).map((d) => d.agency)), new Set(['HEALTH']));
      }
    });

    test('a trader sees which agencies received its declarations, and never those of another trader', async () => {
      const mine = await get('/api/sharing/recipients?limit=500', tokens.trader);
      assert.equal(mine.status, 200);
      const rows = items(mine.body);
      assert.ok(rows.length > 0);
      assert.ok(rows.every((r) => r.declarationId !== otherTraderCovered));
      const row = rows.find((r) => r.declarationId === covered[0] && r.agreementId === meat);
      assert.ok(row);
      assert.deepEqual(
        {
          agency: row.agency,
          agencyName: row.agencyName,
          agreementId: row.agreementId,
          purpose: row.purpose,
          channel: row.channel,
        },
        {
          agency: 'AGRI',
          agencyName: 'Agriculture Inspectorate',
          agreementId: meat,
          purpose: 'Veterinary checks on meat',
          channel: 'feed',
        },
      );
      assert.match(String(row.functionalReference), /^FEED-/);
      const theirs = await get('/api/sharing/recipients?limit=500', traderB);
      assert.ok(items(theirs.body).length > 0);
      assert.ok(items(theirs.body).every((r) => r.declarationId === otherTraderCovered));
      const declarant = await get('/api/sharing/recipients?limit=500', tokens.declarant);
      assert.ok(items(declarant.body).every((r) => r.declarationId !== otherTraderCovered));
      const first = await get('/api/sharing/recipients?limit=1', tokens.trader);
      const second = await get(
        `/api/sharing/recipients?limit=1&before=${String(first.body.next)}`,
        tokens.trader,
      );
      assert.notDeepEqual(items(second.body)[0], items(first.body)[0]);
    });

    test("a declaration's recipients are read by its parties and officials, 404 for others", async () => {
      const id = covered[0];
      const trader = await get(`/api/declarations/${id}/recipients`, tokens.trader);
      assert.equal(trader.status, 200);
      assert.ok(items(trader.body).length > 0);
      assert.ok(items(trader.body).every((r) => r.declarationId === id));
      // AGRI read it under its meat agreement, HEALTH under its agreement without filters
      assert.deepEqual(new Set(items(trader.body).map((r) => r.agency)), new Set(['AGRI', 'HEALTH']));
      const officer = await get(`/api/declarations/${id}/recipients`, tokens.officer);
      assert.deepEqual(officer.body.items, trader.body.items);
      const other = await get(`/api/declarations/${id}/recipients`, traderB);
      assert.equal(other.status, 404);
      assert.equal(other.body.error, 'declaration_not_found');
      const none = await get(`/api/declarations/${cancelled}/recipients`, tokens.trader);
      assert.deepEqual(none.body.items, []);
    });

    test("an official's read of a declaration's recipients is on the ledger, its trader's is not", async () => {
      const id = covered[1];
      const reads = async () =>
        ctx.db.query<{ actor: string; role: string }>(
          `SELECT actor, data::jsonb->>'role' AS role FROM ledger_pending
             WHERE action = 'declaration.read' AND subject_id = $1 AND data::jsonb->>'what' = 'recipients'
           UNION ALL
           SELECT actor, data::jsonb->>'role' AS role FROM ledger
             WHERE action = 'declaration.read' AND subject_id = $1 AND data::jsonb->>'what' = 'recipients'`,
          [String(id)],
        );
      assert.deepEqual(await reads(), []);
      const trader = await get(`/api/declarations/${id}/recipients`, tokens.trader);
      assert.equal(trader.status, 200);
      assert.deepEqual(await reads(), []);
      const officer = await get(`/api/declarations/${id}/recipients`, tokens.officer);
      assert.equal(officer.status, 200);
      assert.deepEqual(await reads(), [{ actor: 'officer', role: Role.Officer }]);
    });
  });
}
