/**
 * Matching received exports to imports, through the real HTTP server on each engine: by UCR, by
 * transport document, by parties with HS6 and the window; an import lodged later takes a waiting
 * message; a message is never matched twice (two lodgings at once), nor missed (a lodging and a
 * receipt at once); the mirror's routes are for customs roles only.
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
import { contentHash } from '../declarations/content-hash.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import { encodeContent } from '../declarations/rows.ts';
import { validateDeclaration, type DeclarationDraft } from '../declarations/validate/index.ts';
import { signMessage } from './envelope.ts';
import { matchImport } from './matching.ts';
import { exportPayload } from './payload.ts';

/** A partner's export bound for AA, signed as BB sends it. */
function anExportMessage(signer: LedgerSigner, overrides: Record<string, unknown>) {
  const payload = exportPayload(
    aDeclaration({
      type: 'EX',
      procedure: '1000',
      destinationCountry: 'AA',
      trader: 'BB-EXPORTER-1',
      ...overrides,
    }) as unknown as DeclarationInput,
  );
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

interface MatchRow {
  message_id: string;
  declaration_id: number;
  matched_by: string;
  beyond: boolean;
}

for (const target of storageTargets()) {
  describe(`matching exports to imports (${target})`, () => {
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

    const receive = async (overrides: Record<string, unknown>) => {
      const envelope = anExportMessage(bb, overrides);
      const response = await server.request('POST', '/api/exchange/inbox', { body: envelope });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return envelope.id;
    };
    const lodgeImport = async (overrides: Record<string, unknown>) => {
      const response = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        // dispatched from BB, the partner that sends the exports
        body: aDeclaration({ dispatchCountry: 'BB', ...overrides }),
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return { id: Number(response.body.id), lane: String(response.body.lane) };
    };
    const matchesOf = (messageId: string) =>
      ctx.db.query<MatchRow>(
        `SELECT message_id::text AS message_id, declaration_id, matched_by, beyond FROM exchange_matches WHERE message_id = $1`,
        [messageId],
      );
    const stateOf = async (messageId: string) =>
      (
        await ctx.db.query<{ match_state: string }>('SELECT match_state FROM exchange_inbox WHERE id = $1', [
          messageId,
        ])
      )[0]?.match_state;
    const mirror = (id: number, token = tokens.risk_analyst) =>
      server.request('GET', `/api/declarations/${id}/mirror`, { token });

    test('an import lodged later takes the waiting export of its UCR, and its assessment gets the finding', async () => {
      const messageId = await receive({ ucr: 'GB-UCR-0001', items: [anItem({ value: 3000 })] });
      assert.equal(await stateOf(messageId), 'unmatched');
      const plain = await lodgeImport({ ucr: 'GB-UCR-OTHER', items: [anItem({ value: 1000 })] });
      const imp = await lodgeImport({ ucr: 'GB-UCR-0001', items: [anItem({ value: 1000 })] });
      assert.equal(await stateOf(messageId), 'matched');
      const [match] = await matchesOf(messageId);
      assert.equal(match?.matched_by, 'ucr');
      assert.equal(Number(match?.declaration_id), imp.id);
      assert.equal(match?.beyond, true);
      // the same import without the partner's record is green; with it, at least yellow
      assert.equal(plain.lane, 'green');
      assert.ok(['yellow', 'red'].includes(imp.lane), imp.lane);
      const assessment = await server.request('GET', `/api/declarations/${imp.id}/assessment`, {
        token: tokens.risk_analyst,
      });
      const reasons = (
        assessment.body.latest as { reasons: { kind: string; text: string; partner?: string }[] }
      ).reasons;
      const reason = reasons.find((r) => r.kind === 'mirror');
      assert.ok(reason, JSON.stringify(reasons));
      assert.equal(reason.partner, 'BB');
      assert.match(reason.text, /1000 USD on the import against 3000 USD on the export/);
      const view = await mirror(imp.id);
      assert.equal(view.status, 200, JSON.stringify(view.body));
      const [m] = view.body.matches as {
        partner: string;
        matchedBy: string;
        export: { ucr: string; currency: string; items: { value: number }[] };
        gaps: { kind: string; beyond: boolean; importFigure: unknown; exportFigure: unknown }[];
        pairs: { importItem: number | null; exportItem: number | null }[];
      }[];
      assert.equal(m?.partner, 'BB');
      assert.deepEqual(m?.pairs, [{ importItem: 1, exportItem: 1 }], 'the items as analysis paired them');
      assert.equal(m?.matchedBy, 'ucr');
      assert.equal(m?.export.ucr, 'GB-UCR-0001');
      assert.equal(m?.export.items[0]?.value, 3000);
      const value = m?.gaps.find((g) => g.kind === 'value');
      assert.deepEqual([value?.beyond, value?.importFigure, value?.exportFigure], [true, 1000, 3000]);
      assert.deepEqual((await mirror(plain.id)).body.matches, []);
      await sealPending(ctx.db);
      const entries = await ctx.db.query(
        `SELECT 1 FROM ledger WHERE action = 'exchange_message.matched' AND subject_id = $1`,
        [messageId],
      );
      assert.equal(entries.length, 1);
    });

    test('an export arriving after its import matches it by transport document and re-assesses it stricter', async () => {
      const imp = await lodgeImport({ transportDocument: 'MAEU123456789', items: [anItem({ value: 1000 })] });
      assert.equal(imp.lane, 'green');
      const messageId = await receive({
        transportDocument: 'MAEU123456789',
        items: [anItem({ value: 3000 })],
      });
      const [match] = await matchesOf(messageId);
      assert.equal(match?.matched_by, 'transport_document');
      assert.equal(Number(match?.declaration_id), imp.id);
      const assessment = await server.request('GET', `/api/declarations/${imp.id}/assessment`, {
        token: tokens.risk_analyst,
      });
      const latest = assessment.body.latest as { lane: string; reasons: { kind: string }[] };
      assert.equal(latest.lane, 'yellow');
      assert.ok(latest.reasons.some((r) => r.kind === 'mirror'));
      assert.equal((assessment.body.history as unknown[]).length, 2);
      const events = await ctx.db.query<{ kind: string; actor: string }>(
        'SELECT kind, actor FROM declaration_events WHERE declaration_id = $1 ORDER BY seq',
        [imp.id],
      );
      // each assessment records the duty assessed with it
      assert.deepEqual(events.slice(-2), [
        { kind: 'assessed', actor: 'mirror' },
        { kind: 'duties_assessed', actor: 'system' },
      ]);
    });

    test('by parties: exporter, importer, a common HS6 and the window after the export', async () => {
      const messageId = await receive({
        trader: 'EXPORTER-PARTIES-1',
        buyer: 'TRADER-A',
        date: '2026-03-02',
        items: [anItem({ hsCode: '94036000', value: 5000 })],
      });
      const parties = { seller: 'Exporter Parties 1', items: [anItem({ hsCode: '94036000', value: 5400 })] };
      // outside the 30-day window, another HS6, another exporter: no match
      await lodgeImport({ ...parties, date: '2026-04-15' });
      await lodgeImport({ ...parties, items: [anItem({ hsCode: '94035000' })], date: '2026-03-10' });
      await lodgeImport({ ...parties, seller: 'SOMEONE ELSE', date: '2026-03-10' });
      assert.equal(await stateOf(messageId), 'unmatched');
      const imp = await lodgeImport({ ...parties, date: '2026-03-20' });
      const [match] = await matchesOf(messageId);
      assert.equal(match?.matched_by, 'parties');
      assert.equal(Number(match?.declaration_id), imp.id);
      assert.equal(match?.beyond, false);
    });

    test('by parties at receipt: the import lodged first, the closest after the export', async () => {
      const parties = { seller: 'Late Exporter 9', items: [anItem({ hsCode: '42022200', value: 800 })] };
      await lodgeImport({ ...parties, date: '2026-03-25' });
      const closest = await lodgeImport({ ...parties, date: '2026-03-05' });
      await lodgeImport({ ...parties, date: '2026-02-27' }); // before the export: not a candidate
      const messageId = await receive({
        trader: 'LATE-EXPORTER-9',
        buyer: 'TRADER-A',
        date: '2026-03-02',
        items: [anItem({ hsCode: '42022200', value: 800 })],
      });
      const [match] = await matchesOf(messageId);
      assert.equal(match?.matched_by, 'parties');
      assert.equal(Number(match?.declaration_id), closest.id);
    });

    const onePglite = {
      skip: target !== 'postgres' && 'one PGlite connection runs one transaction at a time',
    };

    test('two imports lodged at once never match one waiting message twice', onePglite, async () => {
      const messageId = await receive({ ucr: 'GB-UCR-TWICE' });
      const lodged = await Promise.all([
        lodgeImport({ ucr: 'GB-UCR-TWICE' }),
        lodgeImport({ ucr: 'GB-UCR-TWICE' }),
      ]);
      const matches = await matchesOf(messageId);
      assert.equal(matches.length, 1);
      assert.ok(lodged.some((l) => l.id === Number(matches[0]?.declaration_id)));
    });

    test('an import and its export arriving at once are matched, once', onePglite, async () => {
      for (let i = 0; i < 4; i++) {
        const ucr = `GB-UCR-RACE-${i}`;
        const envelope = anExportMessage(bb, { ucr });
        const [received] = await Promise.all([
          server.request('POST', '/api/exchange/inbox', { body: envelope }),
          lodgeImport({ ucr }),
        ]);
        assert.equal(received.status, 200);
        assert.equal((await matchesOf(envelope.id)).length, 1, `race ${i} left the message unmatched`);
      }
    });

    test(
      'a receipt waits for a lodging under way, and so sees its import (PostgreSQL)',
      {
        skip: target !== 'postgres' && 'one PGlite connection runs one transaction at a time',
      },
      async () => {
        const validated = validateDeclaration(
          aDeclaration({
            ucr: 'GB-UCR-HELD',
            dispatchCountry: 'BB',
            items: [anItem({ hsCode: '30049000' })],
          }) as DeclarationDraft,
          ctx.validation(),
        );
        assert.ok(validated.ok);
        const input = validated.value.declaration;
        let release = () => {};
        const gate = new Promise<void>((resolve) => (release = resolve));
        let looked = () => {};
        const lookedYet = new Promise<void>((resolve) => (looked = resolve));
        // a lodging that has looked for waiting messages (none yet) and has not committed
        const lodging = ctx.db.transaction(async (tx) => {
          const stored = await declarationsRepository.insert(tx, {
            input,
            findings: [],
            contentHash: contentHash(encodeContent(input)),
            source: 'api',
            actor: 'trader',
          });
          assert.ok(stored);
          assert.deepEqual(await matchImport(tx, stored.id, input, ctx.exchange.mirror, 'trader'), []);
          looked();
          await gate;
          return stored.id;
        });
        await lookedYet;
        // another chapter than the others' (the statistics below count chapter 85)
        const envelope = anExportMessage(bb, { ucr: 'GB-UCR-HELD', items: [anItem({ hsCode: '30049000' })] });
        const receipt = server.request('POST', '/api/exchange/inbox', { body: envelope });
        let stateMeanwhile: string | undefined;
        try {
          // the receipt cannot store its message before the lodging ends
          await new Promise((resolve) => setTimeout(resolve, 500));
          stateMeanwhile = await stateOf(envelope.id);
        } finally {
          release();
        }
        const id = await lodging;
        assert.equal(stateMeanwhile, undefined, 'the message was stored while the lodging was under way');
        assert.equal((await receipt).status, 200);
        const matches = await matchesOf(envelope.id);
        assert.deepEqual(
          matches.map((m) => [Number(m.declaration_id), m.matched_by]),
          [[id, 'ucr']],
        );
      },
    );

    test("a declaration's mirror is refused to traders and to the unauthenticated, and 404 when absent", async () => {
      const imp = await lodgeImport({});
      assert.equal((await mirror(imp.id, tokens.trader)).status, 403);
      assert.equal((await mirror(imp.id, tokens.declarant)).status, 403);
      assert.equal((await server.request('GET', `/api/declarations/${imp.id}/mirror`)).status, 401);
      assert.equal((await mirror(imp.id, tokens.officer)).status, 200);
      const missing = await mirror(999_999_999);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error, 'declaration_not_found');
    });

    test('mirror statistics per partner, chapter and month, as JSON and CSV, for analysts only', async () => {
      const stats = (query: string, token = tokens.risk_analyst, headers: Record<string, string> = {}) =>
        server.request('GET', `/api/exchange/mirror-statistics${query}`, { token, headers });
      const json = await stats('?from=2026-01&to=2026-12&partner=BB');
      assert.equal(json.status, 200, JSON.stringify(json.body));
      const rows = json.body.rows as {
        chapter: string;
        month: string;
        matched: number;
        unmatched: number;
        beyond: number;
        valueGap: number;
      }[];
      const phones = rows.find((r) => r.chapter === '85' && r.month === '2026-03');
      assert.ok(phones, JSON.stringify(rows));
      // the UCR's, the transport document's, and on PostgreSQL the two lodgings' and the four races'
      // (1200 each); two at a third
      const races = target === 'postgres' ? 5 : 0;
      assert.deepEqual([phones.matched, phones.unmatched, phones.beyond], [2 + races, 0, 2]);
      assert.equal(phones.valueGap, -4000);
      const furniture = rows.find((r) => r.chapter === '94');
      assert.deepEqual([furniture?.matched, furniture?.unmatched], [1, 0]);
      const csv = await stats('?from=2026-01&to=2026-12&format=csv');
      assert.equal(csv.status, 200);
      assert.match(String(csv.headers.get('content-type')), /text\/csv/);
      assert.match(
        String(csv.body.text),
        new RegExp(
          '^partner,chapter,month,matched,unmatched,beyond,export_value,import_value,value_gap,currency\\n(.*\\n)*' +
            `BB,85,2026-03,${2 + races},0,2,${6000 + races * 1200},${2000 + races * 1200},-4000,USD\\n`,
        ),
      );
      const accept = await stats('?from=2026-03&to=2026-03', tokens.administrator, { accept: 'text/csv' });
      assert.match(String(accept.body.text), /^partner,chapter/);
      assert.equal((await stats('', tokens.trader)).status, 403);
      assert.equal((await stats('', tokens.officer)).status, 403);
      assert.equal((await server.request('GET', '/api/exchange/mirror-statistics')).status, 401);
      for (const bad of [
        '?from=2026-13',
        '?to=26-01',
        '?partner=b!',
        '?chapter=8',
        '?from=2026-05&to=2026-04',
        '?x=1',
      ]) {
        const refused = await stats(bad);
        assert.equal(refused.status, 400, `${bad}: ${JSON.stringify(refused.body)}`);
      }
      const order = await stats('?from=2026-05&to=2026-04');
      assert.match(String(order.body.message), /from 2026-05 is after to 2026-04/);
    });
  });
}
