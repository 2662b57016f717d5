/**
 * Agency findings over HTTP: an agency reports only on what it received, every bad value is named,
 * the ledger holds each finding, and each reader sees what its role may see.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import { apiSuite } from '../testing/api-suite.ts';
import { otherOffice, otherTrader, storageTargets, testOffice } from '../testing/harness.ts';
import { anAgency, delivered } from '../testing/sharing-findings.ts';

const finding = (declarationId: number, extra: Record<string, unknown> = {}) => ({
  declarationId,
  kind: 'sanitary_hold',
  severity: 'high',
  text: 'Salmonella found in sample 14; consignment held at the border inspection post',
  ...extra,
});

for (const target of storageTargets()) {
  describe(`agency findings (${target})`, () => {
    const s = apiSuite(target, {
      agri: { username: 'agri-inspector', role: Role.PartnerAgency, partyId: 'AGRI' },
      health: { username: 'health-inspector', role: Role.PartnerAgency, partyId: 'HEALTH' },
      unregistered: { username: 'stats-clerk', role: Role.PartnerAgency, partyId: 'STATS' },
      farOfficer: { username: 'officer-020', role: Role.Officer, offices: [otherOffice] },
      otherTrader: { username: 'trader-b', role: Role.Trader, partyId: otherTrader },
    });
    let toAgri: number; // delivered to AGRI only
    let toHealth: number; // delivered to HEALTH only
    before(async () => {
      toAgri = (await s.lodge({ office: testOffice })).id;
      toHealth = (await s.lodge({ office: testOffice })).id;
      await anAgency(s.ctx.db, 'AGRI', 'Plant and Animal Health Agency');
      await anAgency(s.ctx.db, 'HEALTH', 'Food Standards Agency');
      await delivered(s.ctx.db, 'AGRI', [toAgri]);
      await delivered(s.ctx.db, 'HEALTH', [toHealth]);
    });

    test('an agency reports on a declaration it received, and the ledger records it', async () => {
      const res = await s.call(s.user('agri'), 'POST', '/api/sharing/findings', finding(toAgri));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.declarationId, toAgri);
      assert.deepEqual(
        [res.body.agency, res.body.agencyName, res.body.kind, res.body.severity, res.body.createdBy],
        ['AGRI', 'Plant and Animal Health Agency', 'sanitary_hold', 'high', 'agri-inspector'],
      );
      const entries = await s.ctx.db.query<{ action: string; data: string; actor: string }>(
        `SELECT action, data::text AS data, actor FROM ledger_pending WHERE subject_kind = 'agency_finding' AND subject_id = $1
         UNION ALL
         SELECT action, data::text AS data, actor FROM ledger WHERE subject_kind = 'agency_finding' AND subject_id = $1`,
        [String(res.body.id)],
      );
      assert.equal(entries.length, 1);
      assert.equal(entries[0]?.action, 'agency_finding.recorded');
      assert.equal(entries[0]?.actor, 'agri-inspector');
      assert.deepEqual(JSON.parse(entries[0]?.data ?? 'null'), {
        agency: 'AGRI',
        declaration: toAgri,
        kind: 'sanitary_hold',
        severity: 'high',
      });
    });

    test('an agency cannot report on what only another agency received, nor on what does not exist: both are not found', async () => {
      const other = await s.call(s.user('agri'), 'POST', '/api/sharing/findings', finding(toHealth));
      const missing = await s.call(s.user('agri'), 'POST', '/api/sharing/findings', finding(9_000_000_000));
      assert.deepEqual([other.status, other.body.error], [404, 'declaration_not_found']);
      assert.deepEqual([missing.status, missing.body.error], [404, 'declaration_not_found']);
      assert.equal(
        String(other.body.message).replace(String(toHealth), 'N'),
        String(missing.body.message).replace('9000000000', 'N'),
      );
      const [stored] = await s.ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM agency_findings WHERE declaration_id = $1',
        [toHealth],
      );
      assert.equal(stored?.n, 0);
    });

    test('a trader cannot send a finding', async () => {
      const res = await s.call(s.tokens.trader, 'POST', '/api/sharing/findings', finding(toAgri));
      assert.deepEqual([res.status, res.body.error], [403, 'forbidden']);
    });

    test('a partner agency user without an agency is told why it may not send; one whose agency received nothing finds nothing', async () => {
      const none = await s.call(s.tokens.partner_agency, 'POST', '/api/sharing/findings', finding(toAgri));
      assert.deepEqual([none.status, none.body.error], [403, 'forbidden']);
      assert.match(String(none.body.message), /belongs to no partner agency/);
      const stats = await s.call(s.user('unregistered'), 'POST', '/api/sharing/findings', finding(toAgri));
      assert.deepEqual([stats.status, stats.body.error], [404, 'declaration_not_found']);
    });

    const refusals: [string, Record<string, unknown>, string][] = [
      ['an unknown kind', { kind: 'smuggling' }, 'kind'],
      ['an unknown severity', { severity: 'critical' }, 'severity'],
      ['a text of 2001 characters', { text: 'x'.repeat(2001) }, 'text'],
      ['a blank text', { text: '   ' }, 'text'],
      ['an unknown field', { comment: 'see file' }, 'comment'],
      ['a declaration id that is not a whole number', { declarationId: 'one' }, 'declarationId'],
    ];
    for (const [name, extra, field] of refusals)
      test(`a finding with ${name} is refused, naming ${field}`, async () => {
        const res = await s.call(s.user('agri'), 'POST', '/api/sharing/findings', finding(toAgri, extra));
        assert.deepEqual([res.status, res.body.error], [400, 'invalid_request'], JSON.stringify(res.body));
        const details = res.body.details as { path: string }[];
        assert.deepEqual(
          details.map((d) => d.path),
          [field],
        );
      });

    test('a text of exactly 2000 characters is taken', async () => {
      const res = await s.call(
        s.user('agri'),
        'POST',
        '/api/sharing/findings',
        finding(toAgri, { kind: 'other', severity: 'low', text: 'é'.repeat(2000) }),
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
    });

    test('a retry with the same Idempotency-Key records the finding once', async () => {
      const send = () =>
        s.server.request('POST', '/api/sharing/findings', {
          token: s.user('agri'),
          body: finding(toAgri, { kind: 'licence_missing', severity: 'medium', text: 'No import permit' }),
          headers: { 'idempotency-key': 'agri-licence-1' },
        });
      const first = await send();
      const again = await send();
      assert.equal(first.status, 201);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.body.id, first.body.id);
      const [n] = await s.ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM agency_findings WHERE kind = 'licence_missing'`,
      );
      assert.equal(n?.n, 1);
    });

    test('each agency lists its own findings, newest first, by kind and a page at a time', async () => {
      const health = await s.call(s.user('health'), 'POST', '/api/sharing/findings', {
        ...finding(toHealth),
        kind: 'standards_nonconformity',
      });
      assert.equal(health.status, 201);
      const agri = await s.call(s.user('agri'), 'GET', '/api/sharing/findings');
      assert.equal(agri.status, 200);
      const mine = agri.body.findings as { agency: string; id: number; kind: string }[];
      assert.ok(mine.length >= 3 && mine.every((f) => f.agency === 'AGRI'));
      assert.deepEqual(
        mine.map((f) => f.id),
        mine.map((f) => f.id).toSorted((a, b) => b - a),
      );
      const sanitary = await s.call(s.user('agri'), 'GET', '/api/sharing/findings?kind=sanitary_hold');
      assert.deepEqual(
        (sanitary.body.findings as { kind: string }[]).map((f) => f.kind),
        ['sanitary_hold'],
      );
      const first = await s.call(s.user('agri'), 'GET', '/api/sharing/findings?limit=1');
      const cursor = first.body.nextCursor;
      assert.equal(typeof cursor, 'number');
      const second = await s.call(
        s.user('agri'),
        'GET',
        `/api/sharing/findings?limit=1&after=${String(cursor)}`,
      );
      assert.deepEqual(
        [...(first.body.findings as { id: number }[]), ...(second.body.findings as { id: number }[])].map(
          (f) => f.id,
        ),
        mine.slice(0, 2).map((f) => f.id),
      );
      const theirs = await s.call(s.user('agri'), 'GET', '/api/sharing/findings?agency=HEALTH');
      assert.deepEqual([theirs.status, theirs.body.error], [403, 'forbidden']);
      const none = await s.call(s.tokens.partner_agency, 'GET', '/api/sharing/findings');
      assert.deepEqual(none.body.findings, []);
    });

    test("customs reads every agency's findings; an officer only those of its offices", async () => {
      const analyst = await s.call(s.tokens.risk_analyst, 'GET', '/api/sharing/findings?agency=HEALTH');
      assert.deepEqual(
        (analyst.body.findings as { agency: string; declarationId: number }[]).map((f) => [
          f.agency,
          f.declarationId,
        ]),
        [['HEALTH', toHealth]],
      );
      const byDeclaration = await s.call(
        s.tokens.auditor,
        'GET',
        `/api/sharing/findings?declaration=${toAgri}`,
      );
      assert.ok(
        (byDeclaration.body.findings as { declarationId: number }[]).every((f) => f.declarationId === toAgri),
      );
      const near = await s.call(s.tokens.officer, 'GET', '/api/sharing/findings');
      assert.ok((near.body.findings as unknown[]).length >= 4);
      const far = await s.call(s.user('farOfficer'), 'GET', '/api/sharing/findings');
      assert.deepEqual(far.body.findings, []);
    });

    test("a declaration's findings: whole for its office's officials, kind and agency only for its trader", async () => {
      const path = `/api/declarations/${toAgri}/agency-findings`;
      const officer = await s.call(s.tokens.officer, 'GET', path);
      assert.equal(officer.status, 200, JSON.stringify(officer.body));
      const seen = officer.body.findings as { kind: string; text?: string; createdBy?: string }[];
      assert.equal(seen[0]?.kind, 'sanitary_hold');
      assert.match(seen[0]?.text ?? '', /Salmonella/);
      const reads = async () =>
        s.ctx.db.query<{ actor: string }>(
          `SELECT actor FROM ledger_pending WHERE action = 'declaration.read' AND subject_id = $1 AND data::jsonb->>'what' = 'agency_findings'
           UNION ALL
           SELECT actor FROM ledger WHERE action = 'declaration.read' AND subject_id = $1 AND data::jsonb->>'what' = 'agency_findings'`,
          [String(toAgri)],
        );
      assert.deepEqual(
        (await reads()).map((r) => r.actor),
        ['officer'],
      );
      const trader = await s.call(s.tokens.trader, 'GET', path);
      assert.equal(trader.status, 200);
      const told = trader.body.findings as Record<string, unknown>[];
      assert.equal(told.length, seen.length);
      assert.deepEqual(Object.keys(told[0] ?? {}).toSorted(), [
        'agency',
        'agencyName',
        'createdAt',
        'declarationId',
        'id',
        'kind',
        'severity',
      ]);
      // the party's own read is not surveillance to account for
      assert.equal((await reads()).length, 1);
      const far = await s.call(s.user('farOfficer'), 'GET', path);
      assert.deepEqual([far.status, far.body.error], [403, 'forbidden']);
      assert.match(String(far.body.message), new RegExp(`office ${testOffice}`));
      const stranger = await s.call(s.user('otherTrader'), 'GET', path);
      assert.deepEqual([stranger.status, stranger.body.error], [404, 'declaration_not_found']);
      const agency = await s.call(s.user('agri'), 'GET', path);
      assert.deepEqual([agency.status, agency.body.error], [403, 'forbidden']);
    });
  });
}
