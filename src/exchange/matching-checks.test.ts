/**
 * What matching must hold against a careless or hostile partner, through the real HTTP server on
 * each engine: an amended import is matched again; impossible dates and values beyond any number
 * are no 500 and no finding; a consignment split over several exports is compared as one; only the
 * import's dispatch country may match it, with an export bound for this administration; the
 * statistics count an import's value once; the trader never learns a partner's record re-assessed
 * it; parties match whichever arrives first; the ledger holds a digest of what a match stores.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Role } from '../governance/roles.ts';
import type { LedgerSigner } from '../governance/ledger/signing.ts';
import { sealPending } from '../governance/ledger/seal.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  createUserToken,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { partnerKey, registerPartner } from '../testing/exchange.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { signMessage } from './envelope.ts';
import { currencyCode, exportRecord, isCalendarDay } from './export-record.ts';
import { matchDigest } from './matching.ts';
import type { Gap } from './mirror.ts';
import { exportPayload } from './payload.ts';

/** A partner's export as BB sends it to AA, its XML changed by `edit` when given. */
function anExportMessage(signer: LedgerSigner, overrides: Record<string, unknown>, edit = (x: string) => x) {
  const xml = exportPayload(
    aDeclaration({
      type: 'EX',
      procedure: '1000',
      destinationCountry: 'AA',
      trader: 'BB-EXPORTER-1',
      ...overrides,
    }) as unknown as DeclarationInput,
  );
  const payload = Buffer.from(edit(Buffer.from(xml).toString('utf8')));
  const fields = {
    id: randomUUID(),
    sender: 'BB',
    receiver: 'AA',
    type: 'export_declarations',
    timestamp: new Date().toISOString(),
    contentType: 'application/xml',
  };
  return signMessage(fields, payload, signer);
}

interface StoredMatch {
  message_id: string;
  declaration_id: number;
  import_version: number | null;
  gaps: Gap[];
  beyond: boolean;
  value_ratio: number | null;
  import_value: number;
  export_value: number;
  comparable: boolean;
}

test('a calendar day is a real day from year 1', () => {
  for (const day of ['2026-02-28', '2024-02-29', '0001-01-01', '9999-12-31'])
    assert.ok(isCalendarDay(day), day);
  for (const day of [
    '2026-02-30',
    '2025-02-29',
    '0000-01-01',
    '2026-13-01',
    '9999-99-99',
    '2026-1-01',
    20260101,
  ])
    assert.ok(!isCalendarDay(day), String(day));
});

test("a partner's currency is an ISO 4217 code or none (a formula is compared with nothing)", () => {
  assert.equal(currencyCode('EUR'), 'EUR');
  for (const bad of ['=HYPERLINK("http://evil/","x")', 'eur', 'EURO', ' EUR', '', undefined])
    assert.equal(currencyCode(bad), null, String(bad));
});

for (const target of storageTargets()) {
  describe(`matching checks (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    const bb = partnerKey();

    before(async () => {
      ctx = await openTestContext(target, {
        CLEARWAY_ADMINISTRATION: 'AA',
        CLEARWAY_EXCHANGE_ALLOW_HTTP: 'true',
        CLEARWAY_EXCHANGE_ALLOW_PRIVATE: 'true',
        CLEARWAY_RANDOM_SHARE: '0',
        CLEARWAY_MIRROR_WINDOW_DAYS: '30',
      });
      server = await startTestServer(ctx);
      tokens = await createRoleUsers(ctx);
      await registerPartner(
        server,
        {
          proposer: tokens.administrator,
          confirmer: await createUserToken(ctx, { username: 'admin-two', role: Role.Administrator }),
        },
        { code: 'BB', publicKeyPem: bb.publicKeyPem, agreementRef: 'MoU BB-AA 2026' },
      );
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    const receive = async (overrides: Record<string, unknown>, edit?: (x: string) => string) => {
      const envelope = anExportMessage(bb, overrides, edit);
      const response = await server.request('POST', '/api/exchange/inbox', { body: envelope });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return envelope.id;
    };
    const lodge = async (overrides: Record<string, unknown>) => {
      const body = aDeclaration({ dispatchCountry: 'BB', ...overrides });
      const response = await server.request('POST', '/api/declarations', { token: tokens.trader, body });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return {
        id: Number(response.body.id),
        lane: String(response.body.lane),
        body,
        version: response.body.version,
      };
    };
    const matchesOf = (declarationId: number) =>
      ctx.db.query<StoredMatch>(
        `SELECT message_id::text AS message_id, declaration_id, import_version, gaps, beyond, value_ratio,
           import_value, export_value, comparable
         FROM exchange_matches WHERE declaration_id = $1 ORDER BY matched_at, message_id`,
        [declarationId],
      );
    const stateOf = async (messageId: string) =>
      (
        await ctx.db.query<{ match_state: string }>('SELECT match_state FROM exchange_inbox WHERE id = $1', [
          messageId,
        ])
      )[0]?.match_state;
    const latest = async (id: number) =>
      (await server.request('GET', `/api/declarations/${id}/assessment`, { token: tokens.risk_analyst })).body
        .latest as { lane: string; reasons: { kind: string; gap?: string }[] };

    test('an amended import is matched again: its gaps follow the amendment, and it takes a new UCR', async () => {
      await receive({ ucr: 'UCR-AMEND', items: [anItem({ value: 1000 })] });
      const imp = await lodge({ ucr: 'UCR-AMEND', items: [anItem({ value: 1000 })] });
      assert.equal(imp.lane, 'green');
      const amended = await server.request('POST', `/api/declarations/${imp.id}/amend`, {
        token: tokens.trader,
        body: {
          version: imp.version,
          declaration: { ...imp.body, invoiceTotal: 100, items: [anItem({ value: 100 })] },
        },
      });
      assert.equal(amended.status, 200, JSON.stringify(amended.body));
      assert.equal(amended.body.lane, 'yellow');
      const [match] = await matchesOf(imp.id);
      const value = match?.gaps.find((g) => g.kind === 'value');
      assert.deepEqual([value?.importFigure, value?.beyond, match?.import_version], [100, true, 2]);
      assert.ok((await latest(imp.id)).reasons.some((r) => r.kind === 'mirror' && r.gap === 'value'));
      // another UCR now: the new one's waiting export joins, the first match stays, both compared as one
      const second = await receive({ ucr: 'UCR-AMEND-2', items: [anItem({ value: 1000 })] });
      const again = await server.request('POST', `/api/declarations/${imp.id}/amend`, {
        token: tokens.trader,
        body: {
          version: amended.body.version,
          declaration: {
            ...imp.body,
            ucr: 'UCR-AMEND-2',
            invoiceTotal: 2200,
            items: [anItem({ value: 2200 })],
          },
        },
      });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(await stateOf(second), 'matched');
      const both = await matchesOf(imp.id);
      assert.equal(both.length, 2);
      for (const m of both) {
        assert.equal(m.import_version, 3);
        assert.equal(m.value_ratio, 1);
      }
      await sealPending(ctx.db);
      const rematched = await ctx.db.query(
        `SELECT 1 FROM ledger WHERE action = 'exchange_message.rematched' AND (data::jsonb)->>'declarationId' = $1`,
        [String(imp.id)],
      );
      assert.equal(rematched.length, 2);
    });

    test('impossible dates from a partner are stored without a date, never a 500', async () => {
      for (const date of ['2026-02-30', '0000-01-01', '2026-13-01', '9999-99-99']) {
        const id = await receive({ ucr: `UCR-DATE-${date}` }, (x) =>
          x.replaceAll('20260302', date.replaceAll('-', '')),
        );
        const [row] = await ctx.db.query<{ export_date: unknown }>(
          'SELECT export_date FROM exchange_inbox WHERE id = $1',
          [id],
        );
        assert.equal(row?.export_date, null, date);
      }
    });

    test('a consignment split over two exports is compared as one, and its value counted once', async () => {
      const item = { hsCode: '09012100', supplementaryQuantity: 40, netMass: 100, grossMass: 110 };
      const date = '2026-05-04';
      await receive({ ucr: 'UCR-SPLIT', date, items: [anItem({ ...item, value: 1000 })] });
      await receive({ ucr: 'UCR-SPLIT', date, items: [anItem({ ...item, value: 1000 })] });
      const imp = await lodge({
        ucr: 'UCR-SPLIT',
        date,
        invoiceTotal: 2000,
        items: [anItem({ ...item, value: 2000, supplementaryQuantity: 80, netMass: 200, grossMass: 220 })],
      });
      assert.equal(imp.lane, 'green');
      const matches = await matchesOf(imp.id);
      assert.equal(matches.length, 2);
      for (const m of matches) {
        assert.equal(m.beyond, false, JSON.stringify(m.gaps));
        assert.ok(Math.abs((m.value_ratio ?? 0) - 2000 / 2200) < 1e-9);
        assert.deepEqual(
          m.gaps.filter((g) => g.kind !== 'value').map((g) => [g.kind, g.ratio]),
          [
            ['quantity', 1],
            ['mass', 1],
          ],
        );
      }
      assert.deepEqual(
        matches.map((m) => [m.import_value, m.export_value]),
        [
          [1000, 1000],
          [1000, 1000],
        ],
      );
      const stats = await server.request(
        'GET',
        '/api/exchange/mirror-statistics?from=2026-05&to=2026-05&chapter=09',
        {
          token: tokens.risk_analyst,
        },
      );
      assert.equal(stats.status, 200, JSON.stringify(stats.body));
      const [row] = stats.body.rows as {
        matched: number;
        exportValue: number;
        importValue: number;
        valueGap: number;
      }[];
      assert.deepEqual([row?.matched, row?.exportValue, row?.importValue, row?.valueGap], [2, 2000, 2000, 0]);
    });

    test("only the import's dispatch country matches it, with an export bound for this administration", async () => {
      const fromElsewhere = await receive({ ucr: 'UCR-WHO', items: [anItem({ value: 9000 })] });
      const other = await lodge({ ucr: 'UCR-WHO', dispatchCountry: 'CN' });
      assert.equal(other.lane, 'green');
      assert.equal(await stateOf(fromElsewhere), 'unmatched');
      assert.deepEqual(await matchesOf(other.id), []);
      const elsewhere = await receive({
        ucr: 'UCR-WHERE',
        destinationCountry: 'DE',
        items: [anItem({ value: 9000 })],
      });
      const bound = await lodge({ ucr: 'UCR-WHERE' });
      assert.equal(await stateOf(elsewhere), 'unmatched');
      assert.deepEqual(await matchesOf(bound.id), []);
      // at receipt too: an import dispatched from CN is no candidate for BB's export
      const cn = await lodge({ transportDocument: 'DOC-WHO', dispatchCountry: 'CN' });
      const late = await receive({ transportDocument: 'DOC-WHO', items: [anItem({ value: 9000 })] });
      assert.equal(await stateOf(late), 'unmatched');
      assert.deepEqual(await matchesOf(cn.id), []);
    });

    test('values beyond any number are not comparable: no finding, and finite statistics', async () => {
      const big = '9'.repeat(308) + '.99';
      const id = await receive(
        {
          ucr: 'UCR-HUGE',
          date: '2026-06-01',
          items: [
            anItem({ hsCode: '09012100', value: 777 }),
            anItem({ sequence: 2, hsCode: '09012100', value: 777 }),
          ],
        },
        (x) => x.split('777').join(big),
      );
      const [inbox] = await ctx.db.query<{ export_value: number | null }>(
        'SELECT export_value FROM exchange_inbox WHERE id = $1',
        [id],
      );
      assert.equal(inbox?.export_value, null);
      const imp = await lodge({
        ucr: 'UCR-HUGE',
        date: '2026-06-01',
        items: [anItem({ hsCode: '09012100' })],
      });
      assert.ok(!(await latest(imp.id)).reasons.some((r) => r.kind === 'mirror' && r.gap === 'value'));
      const [m] = await matchesOf(imp.id);
      assert.deepEqual([m?.comparable, m?.value_ratio, m?.export_value], [false, null, 0]);
      assert.match(m?.gaps[0]?.text ?? '', /too large to compare/);
      const stats = await server.request(
        'GET',
        '/api/exchange/mirror-statistics?from=2026-06&to=2026-06&chapter=09',
        {
          token: tokens.risk_analyst,
        },
      );
      assert.equal(stats.status, 200, JSON.stringify(stats.body));
      const [row] = stats.body.rows as { exportValue: number; importValue: number }[];
      assert.deepEqual([row?.exportValue, row?.importValue], [0, 0]);
    });

    test('an export without a value is not comparable and left out of the value sums', async () => {
      await receive({
        ucr: 'UCR-NOVALUE',
        date: '2026-07-01',
        items: [anItem({ hsCode: '09012100', value: 0 })],
      });
      const imp = await lodge({
        ucr: 'UCR-NOVALUE',
        date: '2026-07-01',
        items: [anItem({ hsCode: '09012100' })],
      });
      const [m] = await matchesOf(imp.id);
      assert.deepEqual([m?.comparable, m?.value_ratio], [false, null]);
      const stats = await server.request(
        'GET',
        '/api/exchange/mirror-statistics?from=2026-07&to=2026-07&chapter=09',
        {
          token: tokens.risk_analyst,
        },
      );
      const [row] = stats.body.rows as { matched: number; importValue: number; valueGap: number }[];
      assert.deepEqual([row?.matched, row?.importValue, row?.valueGap], [1, 0, 0]);
    });

    test("the trader's history does not name the partner's record that re-assessed its import", async () => {
      const imp = await lodge({ transportDocument: 'DOC-TIP', items: [anItem({ value: 1000 })] });
      await receive({ transportDocument: 'DOC-TIP', items: [anItem({ value: 9000 })] });
      assert.equal((await latest(imp.id)).lane, 'yellow');
      const events = await server.request('GET', `/api/declarations/${imp.id}/events`, {
        token: tokens.trader,
      });
      const assessed = (events.body.events as { kind: string; actor: string }[]).filter(
        (e) => e.kind === 'assessed',
      );
      assert.deepEqual(
        assessed.map((e) => e.actor),
        ['selectivity', 'customs'],
      );
      assert.doesNotMatch(JSON.stringify(events.body), /mirror|BB/);
    });

    test('parties match whichever arrives first: the buyer as a key against the trader', async () => {
      const parties = { seller: 'SELLER-H', items: [anItem({ hsCode: '94036010' })] };
      const first = await lodge(parties);
      const later = await receive({
        trader: 'seller h',
        buyer: 'trader a',
        date: '2026-03-01',
        items: [anItem({ hsCode: '94036010' })],
      });
      assert.equal(await stateOf(later), 'matched');
      assert.equal(Number((await matchesOf(first.id))[0]?.declaration_id), first.id);
      const waiting = await receive({
        trader: 'seller h',
        buyer: 'trader a',
        date: '2026-03-01',
        items: [anItem({ hsCode: '94036020' })],
      });
      await lodge({ ...parties, items: [anItem({ hsCode: '94036020' })] });
      assert.equal(await stateOf(waiting), 'matched');
    });

    test("a match's ledger entry holds the digest of what it stores, and a changed payload is reported", async () => {
      const messageId = await receive({ ucr: 'UCR-DIGEST', items: [anItem({ value: 3000 })] });
      const imp = await lodge({ ucr: 'UCR-DIGEST', items: [anItem({ value: 1000 })] });
      await sealPending(ctx.db);
      const [entry] = await ctx.db.query<{ data: string }>(
        `SELECT data FROM ledger WHERE action = 'exchange_message.matched' AND subject_id = $1`,
        [messageId],
      );
      const [m] = await matchesOf(imp.id);
      assert.ok(m);
      const stored = {
        declarationId: imp.id,
        importVersion: m.import_version,
        gaps: m.gaps,
        beyond: m.beyond,
        valueRatio: m.value_ratio,
        importValue: m.import_value,
        exportValue: m.export_value,
        comparable: m.comparable,
      };
      const { digest } = JSON.parse(entry?.data ?? '{}') as { digest?: string };
      assert.equal(digest, matchDigest(stored));
      // a ratio changed in the database no longer has the digest
      assert.notEqual(digest, matchDigest({ ...stored, valueRatio: 1 }));
      const [row] = await ctx.db.query<{ payload: Uint8Array; payload_sha256: string }>(
        'SELECT payload, payload_sha256 FROM exchange_inbox WHERE id = $1',
        [messageId],
      );
      assert.ok(row);
      assert.equal(exportRecord(row.payload, row.payload_sha256).payloadIntact, undefined);
      const changed = Buffer.from(Buffer.from(row.payload).toString('utf8').replace('3000', '1000'));
      assert.equal(exportRecord(changed, row.payload_sha256).payloadIntact, false);
      // a payload changed in the database is shown as not intact by the mirror route
      const intact = await server.request('GET', `/api/declarations/${imp.id}/mirror`, {
        token: tokens.officer,
      });
      type Shown = { matches: { export: { payloadIntact?: boolean } }[] };
      assert.equal((intact.body as Shown).matches[0]?.export.payloadIntact, undefined);
      await ctx.db.query('UPDATE exchange_inbox SET payload = $2 WHERE id = $1', [messageId, changed]);
      const tampered = await server.request('GET', `/api/declarations/${imp.id}/mirror`, {
        token: tokens.officer,
      });
      assert.equal(tampered.status, 200, JSON.stringify(tampered.body));
      assert.equal((tampered.body as Shown).matches[0]?.export.payloadIntact, false);
    });
  });
}
