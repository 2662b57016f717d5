/**
 * Declarations loaded in bulk and exchange, on each engine: at KR, imports loaded with `clearway
 * import` (clearway CSV and WCO XML) after NL's export records arrived take them before their batch
 * assessment, which has the mirror finding; at NL, an export file bound for KR is queued in the
 * outbox, except the declarations dated before the agreement or carrying a historical control
 * result; an upload's exports are queued the same way.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAppContext, type AppContext } from '../app-context.ts';
import { declarationToXml } from '../declarations/formats/wco-xml/index.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { signerFrom, type LedgerSigner } from '../governance/ledger/signing.ts';
import { Role } from '../governance/roles.ts';
import { loadConfig } from '../config.ts';
import { clearway } from '../testing/cli-process.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import {
  aDeclaration,
  anItem,
  createRoleUsers,
  createUserToken,
  startTestServer,
  storageTargets,
  type TestServer,
} from '../testing/harness.ts';
import { registerPartner } from '../testing/exchange.ts';
import { signMessage } from './envelope.ts';
import { mirrorStatistics } from './mirror-read.ts';
import { exportPayload } from './payload.ts';

const exchangeEnv = {
  CLEARWAY_EXCHANGE_ALLOW_HTTP: 'true',
  CLEARWAY_EXCHANGE_ALLOW_PRIVATE: 'true',
  CLEARWAY_RANDOM_SHARE: '0',
};

/** The role users, and `code` as a partner in force from 2026-01-01 (proposed and confirmed by two administrators). */
async function usersAndPartner(ctx: AppContext, server: TestServer, code: string, publicKeyPem: string) {
  const tokens = await createRoleUsers(ctx);
  await registerPartner(
    server,
    {
      proposer: tokens.administrator,
      confirmer: await createUserToken(ctx, { username: 'admin-two', role: Role.Administrator }),
    },
    { code, publicKeyPem, agreementRef: 'MoU NL-KR 2026' },
  );
  return tokens;
}

/** The environment of an administration on a store, for this process and for `clearway` commands. */
const envOf = (store: EmptyStore, administration: string) => ({
  ...store.env,
  CLEARWAY_ADMINISTRATION: administration,
  ...exchangeEnv,
});

const openOn = (store: EmptyStore, administration: string) =>
  openAppContext(loadConfig({ ...process.env, ...envOf(store, administration) }));

/** Runs `clearway import` on the store (closed here meanwhile: PGlite takes one process at a time). */
async function importWithCli(store: EmptyStore, administration: string, args: string[]) {
  const run = await clearway(envOf(store, administration), ['import', ...args]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  return run;
}

for (const target of storageTargets()) {
  describe(`declarations loaded in bulk and exchange (${target})`, () => {
    const files: string[] = [];
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'clearway-bulk-exchange-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
      for (const f of files) await rm(f, { force: true });
    });

    describe('at KR, imports loaded after NL sent its export records', () => {
      let store: EmptyStore;
      let again: AppContext;
      const nl: LedgerSigner = signerFrom(generateKeyPairSync('ed25519').privateKey);
      const messages: Record<string, string> = {};

      before(async () => {
        store = await emptyStore(target);
        const ctx = await openOn(store, 'KR');
        const server = await startTestServer(ctx);
        await usersAndPartner(ctx, server, 'NL', nl.publicKeyPem);
        // NL's exports, received before the imports: one for the CSV file, one for the XML message
        for (const [ucr, value] of [
          ['NL-UCR-CSV-1', 3000.1],
          ['NL-UCR-XML-1', 3000.2],
        ] as const) {
          const payload = exportPayload(
            aDeclaration({
              type: 'EX',
              procedure: '1000',
              destinationCountry: 'KR',
              trader: 'NL-EXPORTER-1',
              ucr,
              items: [anItem({ value })],
            }) as unknown as DeclarationInput,
          );
          const envelope = signMessage(
            {
              id: randomUUID(),
              sender: 'NL',
              receiver: 'KR',
              type: 'export_declarations',
              timestamp: new Date().toISOString(),
              contentType: 'application/xml',
            },
            payload,
            nl,
          );
          const received = await server.request('POST', '/api/exchange/inbox', { body: envelope });
          assert.equal(received.status, 200, JSON.stringify(received.body));
          messages[ucr] = envelope.id;
        }
        await server.close();
        await ctx.close();
        const csv = path.join(dir, 'kr-imports.csv');
        await writeFile(
          csv,
          clearwayCsv([
            aClearwayRow('KR-IMP-1', {
              ucr: 'NL-UCR-CSV-1',
              dispatch_country: 'NL',
              item_value: '1000.1',
              invoice_total: '1000.1',
            }),
            aClearwayRow('KR-IMP-PLAIN', { ucr: 'NL-UCR-NONE' }),
          ]),
        );
        await importWithCli(store, 'KR', [csv, '--format', 'clearway']);
        const xmlDir = path.join(dir, 'kr-xml');
        await mkdir(xmlDir);
        const xml = declarationToXml(
          aDeclaration({
            functionalReference: 'KR-IMP-XML-1',
            ucr: 'NL-UCR-XML-1',
            dispatchCountry: 'NL',
            invoiceTotal: 1000.2,
            items: [anItem({ value: 1000.2 })],
          }) as unknown as DeclarationInput,
        );
        await writeFile(path.join(xmlDir, 'one.xml'), xml);
        await importWithCli(store, 'KR', [xmlDir, '--format', 'wco-xml']);
        again = await openOn(store, 'KR');
      });
      after(async () => {
        await again.close();
        await store.dispose();
      });

      const importOf = async (reference: string) => {
        const [row] = await again.db.query<{ id: number; lane: string }>(
          'SELECT id, lane FROM declarations WHERE functional_reference = $1',
          [reference],
        );
        assert.ok(row, `${reference} was not imported`);
        return { id: Number(row.id), lane: row.lane };
      };

      for (const [format, reference, ucr] of [
        ['clearway CSV', 'KR-IMP-1', 'NL-UCR-CSV-1'],
        ['WCO XML', 'KR-IMP-XML-1', 'NL-UCR-XML-1'],
      ] as const) {
        test(`an import loaded from ${format} takes the waiting record, and its batch assessment has the finding`, async () => {
          const imp = await importOf(reference);
          const matches = await again.db.query<{
            declaration_id: number;
            matched_by: string;
            beyond: boolean;
          }>('SELECT declaration_id, matched_by, beyond FROM exchange_matches WHERE message_id = $1', [
            messages[ucr],
          ]);
          assert.deepEqual(
            matches.map((m) => [Number(m.declaration_id), m.matched_by, m.beyond]),
            [[imp.id, 'ucr', true]],
          );
          // assessed once, by the batch, with the partner's record already matched
          const assessments = await again.db.query<{ lane: string; reasons: { kind: string }[] }>(
            'SELECT lane, reasons FROM risk_assessments WHERE declaration_id = $1',
            [imp.id],
          );
          assert.equal(assessments.length, 1);
          assert.ok(['yellow', 'red'].includes(assessments[0]?.lane ?? ''), assessments[0]?.lane);
          assert.ok(assessments[0]?.reasons.some((r) => r.kind === 'mirror'));
          const events = await again.db.query<{ kind: string; actor: string }>(
            "SELECT kind, actor FROM declaration_events WHERE declaration_id = $1 AND kind = 'assessed'",
            [imp.id],
          );
          assert.deepEqual(events, [{ kind: 'assessed', actor: 'selectivity' }]);
        });
      }

      test('an import no record names is not matched, and is green', async () => {
        const plain = await importOf('KR-IMP-PLAIN');
        assert.equal(plain.lane, 'green');
        const matches = await again.db.query('SELECT 1 FROM exchange_matches WHERE declaration_id = $1', [
          plain.id,
        ]);
        assert.equal(matches.length, 0);
      });

      test('mirror statistics give values rounded to cents, by the command line too', async () => {
        const rows = await mirrorStatistics(again.db, { from: '2026-03', to: '2026-03', partner: 'NL' });
        // summed as float8, 3000.1 + 3000.2 is 6000.299999999999 and 1000.1 + 1000.2 is 2000.3000000000002
        assert.deepEqual(
          rows.map((r) => [r.chapter, r.matched, r.exportValue, r.importValue, r.valueGap]),
          [['85', 2, 6000.3, 2000.3, -4000]],
        );
        await again.close(); // the command opens the store
        const cli = await clearway(envOf(store, 'KR'), [
          'exchange',
          'mirror-statistics',
          '--from',
          '2026-03',
          '--to',
          '2026-03',
          '--csv',
        ]);
        again = await openOn(store, 'KR');
        assert.equal(cli.code, 0, cli.stderr);
        assert.match(cli.stdout, /^NL,85,2026-03,2,0,2,6000.3,2000.3,-4000,USD$/m);
      });
    });

    describe('at NL, exports loaded in bulk bound for KR', () => {
      let store: EmptyStore;
      let again: AppContext;
      let uploadedReference: string;

      before(async () => {
        store = await emptyStore(target);
        const ctx = await openOn(store, 'NL');
        const server = await startTestServer(ctx);
        const kr = signerFrom(generateKeyPairSync('ed25519').privateKey);
        const tokens = await usersAndPartner(ctx, server, 'KR', kr.publicKeyPem);
        // an upload by the trader: the same storing path, started by the server
        uploadedReference = `NL-UP-${randomUUID().slice(0, 8)}`;
        const uploaded = await server.request('POST', '/api/imports?format=clearway&name=exports.csv', {
          token: tokens.trader,
          headers: { 'content-type': 'text/csv' },
          raw: clearwayCsv([anExport(uploadedReference, '2026-03-02')]),
        });
        assert.equal(uploaded.status, 202, JSON.stringify(uploaded.body));
        const id = Number(uploaded.body.id);
        for (let i = 0; ; i++) {
          const job = await server.request('GET', `/api/imports/${id}`, { token: tokens.trader });
          if (job.body.status === 'done') break;
          assert.notEqual(job.body.status, 'failed', JSON.stringify(job.body));
          assert.ok(i < 300, 'the upload did not end');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await server.close();
        await ctx.close();
        const csv = path.join(dir, 'nl-exports.csv');
        await writeFile(
          csv,
          clearwayCsv([
            anExport('NL-EX-SENT', '2026-03-02'),
            anExport('NL-EX-BEFORE', '2025-12-31'),
            anExport('NL-EX-CONTROLLED', '2026-03-02', { control_outcome: 'compliant' }),
            anExport('NL-EX-ELSEWHERE', '2026-03-02', { destination_country: 'JP' }),
          ]),
        );
        await importWithCli(store, 'NL', [csv, '--format', 'clearway']);
        again = await openOn(store, 'NL');
      });
      after(async () => {
        await again.close();
        await store.dispose();
      });

      test('only the exports dated within the agreement and without a control result are queued for KR', async () => {
        const queued = await again.db.query<{ reference: string; receiver: string; state: string }>(
          `SELECT d.functional_reference AS reference, o.receiver, o.state
           FROM exchange_outbox o JOIN declarations d ON d.id = o.declaration_id ORDER BY d.functional_reference`,
        );
        assert.deepEqual(
          queued.map((q) => [q.reference, q.receiver, q.state]),
          [
            ['NL-EX-SENT', 'KR', 'pending'],
            [uploadedReference, 'KR', 'pending'],
          ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        );
        const stored = await again.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM declarations WHERE functional_reference LIKE 'NL-EX-%'`,
        );
        assert.equal(stored[0]?.n, 4);
      });

      test('the queued message carries the export as stored, in WCO XML', async () => {
        const [message] = await again.db.query<{ payload: Uint8Array; content_type: string }>(
          `SELECT o.payload, o.content_type FROM exchange_outbox o JOIN declarations d ON d.id = o.declaration_id
           WHERE d.functional_reference = 'NL-EX-SENT'`,
        );
        assert.equal(message?.content_type, 'application/xml');
        const xml = Buffer.from(message?.payload ?? []).toString('utf8');
        assert.match(xml, /NL-EX-SENT/);
        assert.match(xml, /KR/);
      });
    });
  });
}

/** An export of TRADER-A bound for KR, as a clearway CSV row. */
function anExport(reference: string, date: string, overrides: Record<string, string> = {}) {
  return aClearwayRow(reference, {
    type: 'EX',
    procedure: '1000',
    date,
    destination_country: 'KR',
    buyer: 'KR-IMPORTER-1',
    ...overrides,
  });
}
