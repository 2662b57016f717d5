/**
 * Two administrations on loopback, each with its own database, keys and identity: NL (in this
 * process, so that its lodging can carry the destination) and KR (a server process, stopped and
 * started again). Registered as each other's partner with four-eyes, NL accepts exports bound for
 * KR and delivers them; KR stores each once and refuses what is tampered with or unknown.
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { loadOrCreateSigner, signerFrom } from '../governance/ledger/signing.ts';
import { sealPending } from '../governance/ledger/seal.ts';
import { Role } from '../governance/roles.ts';
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
import { killLeftServers, startServerProcess, type ServerProcess } from '../testing/server-process.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';
import { signMessage } from './envelope.ts';
import { parseWcoMessage } from '../declarations/formats/wco-xml/index.ts';

const password = 'exchange test password';

interface Outboxed {
  id: string;
  state: string;
  attempts: number;
  last_error: string | null;
  payload: Buffer;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

for (const target of storageTargets()) {
  describe(`exchange between two administrations (${target})`, () => {
    let a: TestContext;
    let aServer: TestServer;
    let storeB: EmptyStore;
    let b: ServerProcess;
    let bPort: number;
    let bAdmin: string;
    let lodge: (overrides: Record<string, unknown>) => Promise<number>;
    const lodgeExport = (destination: string) =>
      lodge({ type: 'EX', procedure: '1000', destinationCountry: destination });

    const bEnv = () => ({
      ...storeB.env,
      CLEARWAY_ADMINISTRATION: 'KR',
      CLEARWAY_DEMO: 'true',
      CLEARWAY_DEMO_COUNT: '0',
      CLEARWAY_ADMIN_PASSWORD: password,
      CLEARWAY_DEMO_PASSWORD: password,
      CLEARWAY_LEDGER_CHECKPOINT_MINUTES: '0',
      CLEARWAY_ARCHIVE_HOURS: '0',
      CLEARWAY_EXCHANGE_ALLOW_HTTP: 'true',
      CLEARWAY_EXCHANGE_ALLOW_PRIVATE: 'true',
      CLEARWAY_RANDOM_SHARE: '0',
      LOG_LEVEL: 'warn',
    });

    const onB = async (method: string, path: string, body?: unknown, cookie = bAdmin) => {
      const response = await fetch(`${b.url}${path}`, {
        method,
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const signInOnB = async (username: string) => {
      const response = await fetch(`${b.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      assert.equal(response.status, 200, await response.text());
      return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    };
    const receivedOnB = async () =>
      (await onB('GET', '/api/exchange/inbox')).body.messages as {
        id: string;
        sender: string;
        payloadSha256: string;
      }[];
    const outboxOfA = (id?: string) =>
      a.db.query<Outboxed>(
        `SELECT id, state, attempts, last_error, payload FROM exchange_outbox ${id ? 'WHERE id = $1' : ''} ORDER BY created_at`,
        id ? [id] : [],
      );
    const acknowledged = (id: string) =>
      waitFor(`message ${id} to be acknowledged`, async () => {
        const [row] = await outboxOfA(id);
        return row?.state === 'acknowledged' ? row : undefined;
      });

    before(async () => {
      storeB = await emptyStore(target);
      b = await startServerProcess(bEnv());
      bPort = Number(new URL(b.url).port);
      a = await openTestContext(target, {
        CLEARWAY_ADMINISTRATION: 'NL',
        CLEARWAY_EXCHANGE_RETRY_SECONDS: '1',
        CLEARWAY_EXCHANGE_ALLOW_HTTP: 'true',
        CLEARWAY_EXCHANGE_ALLOW_PRIVATE: 'true',
      });
      aServer = await startTestServer(a);
      const tokens = await createRoleUsers(a);
      const aSecond = await createUserToken(a, { username: 'admin-two', role: Role.Administrator });
      bAdmin = await signInOnB('admin');
      const made = await onB('POST', '/api/users', {
        username: 'admin2',
        password,
        role: Role.Administrator,
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const bSecond = await signInOnB('admin2');

      // each registers the other from its published key, and a second administrator confirms
      const aKey = await aServer.request('GET', '/api/exchange/public-key');
      const bKey = await onB('GET', '/api/exchange/public-key');
      assert.equal(bKey.body.administration, 'KR');
      const terms = (code: string, url: string, publicKey: unknown) => ({
        code,
        name: `Customs ${code}`,
        endpoint: `${url}/api/exchange/inbox`,
        publicKey,
        messageTypes: ['export_declarations'],
        agreementRef: 'MoU NL-KR 2026/1',
        validFrom: '2026-01-01',
      });
      const aProposed = await aServer.request('POST', '/api/exchange/partners', {
        token: tokens.administrator,
        body: terms('KR', b.url, bKey.body.publicKey),
      });
      assert.equal(aProposed.status, 202, JSON.stringify(aProposed.body));
      const aConfirmed = await aServer.request('POST', '/api/exchange/partners/KR/confirm', {
        token: aSecond,
        body: { digest: aProposed.body.digest },
      });
      assert.equal(aConfirmed.status, 200, JSON.stringify(aConfirmed.body));
      // on KR admin2 (whom admin created) proposes and admin confirms: admin2 could not confirm
      // a proposal of admin's
      const bProposed = await onB(
        'POST',
        '/api/exchange/partners',
        terms('NL', aServer.url, aKey.body.publicKey),
        bSecond,
      );
      assert.equal(bProposed.status, 202, JSON.stringify(bProposed.body));
      const digest = { digest: bProposed.body.digest };
      const bOwn = await onB('POST', '/api/exchange/partners/NL/confirm', digest, bSecond);
      assert.equal(bOwn.body.error, 'four_eyes');
      const bConfirmed = await onB('POST', '/api/exchange/partners/NL/confirm', digest);
      assert.equal(bConfirmed.status, 200, JSON.stringify(bConfirmed.body));

      // NL's trader lodges over HTTP: NL's server accepts the declaration and queues the message
      lodge = async (overrides) => {
        const lodged = await aServer.request('POST', '/api/declarations', {
          token: tokens.trader,
          body: aDeclaration(overrides),
        });
        assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
        return Number(lodged.body.id);
      };
    });
    after(async () => {
      await aServer?.close();
      await a?.dispose();
      await killLeftServers();
      await storeB?.dispose();
    });

    test('an accepted export bound for KR is delivered, acknowledged and stored once', async () => {
      const declarationId = await lodgeExport('KR');
      const [queued] = await a.db.query<Outboxed & { receiver: string }>(
        'SELECT id, receiver, payload FROM exchange_outbox WHERE declaration_id = $1',
        [declarationId],
      );
      assert.ok(queued, 'the export was not queued in the transaction that accepted it');
      assert.equal(queued.receiver, 'KR');
      await acknowledged(queued.id);
      const received = (await receivedOnB()).filter((m) => m.id === queued.id);
      assert.equal(received.length, 1);
      assert.equal(received[0]?.sender, 'NL');
      assert.equal(received[0]?.payloadSha256, createHash('sha256').update(queued.payload).digest('hex'));
      // the payload is the declaration as a DEC-DMS 2 message, sound against the schema
      const message = parseWcoMessage(Buffer.from(queued.payload).toString('utf8'));
      assert.ok(message.ok, JSON.stringify(message));
      assert.deepEqual(message.value.findings, []);
      const [stored] = await a.db.query<{ reference: string }>(
        'SELECT functional_reference AS reference FROM declarations WHERE id = $1',
        [declarationId],
      );
      assert.equal(message.value.draft.functionalReference, stored?.reference);
      assert.equal(message.value.draft.destinationCountry, 'KR');
      await sealPending(a.db);
      const sent = await a.db.query(
        `SELECT 1 FROM ledger WHERE action = 'exchange_message.sent' AND subject_id = $1`,
        [queued.id],
      );
      assert.equal(sent.length, 1);
    });

    test('an import, an export to a non-partner and an export without destination queue nothing', async () => {
      const before = (await outboxOfA()).length;
      await lodge({ type: 'EX', procedure: '1000', destinationCountry: 'CN' });
      await lodge({ type: 'EX', procedure: '1000' });
      await lodge({ type: 'IM', destinationCountry: 'KR' });
      assert.equal((await outboxOfA()).length, before);
    });

    test('a message tampered with on the way is refused by KR', async () => {
      const aSigner = await loadOrCreateSigner(a.config.exchangeKeyFile);
      const fields = {
        id: randomUUID(),
        sender: 'NL',
        receiver: 'KR',
        type: 'export_declarations',
        timestamp: new Date().toISOString(),
        contentType: 'application/json',
      };
      const envelope = signMessage(fields, Buffer.from('{"invoiceTotal":1200}'), aSigner);
      const tampered = { ...envelope, payload: Buffer.from('{"invoiceTotal":400}').toString('base64') };
      const response = await onB('POST', '/api/exchange/inbox', tampered, '');
      assert.equal(response.status, 401);
      assert.equal(response.body.error, 'message_not_authenticated');
      assert.equal((await receivedOnB()).filter((m) => m.id === fields.id).length, 0);
    });

    test('a message from an administration KR does not know is refused', async () => {
      const stranger = signerFrom(generateKeyPairSync('ed25519').privateKey);
      const envelope = signMessage(
        {
          id: randomUUID(),
          sender: 'ZZ',
          receiver: 'KR',
          type: 'export_declarations',
          timestamp: new Date().toISOString(),
          contentType: 'application/json',
        },
        Buffer.from('{}'),
        stranger,
      );
      const response = await onB('POST', '/api/exchange/inbox', envelope, '');
      assert.equal(response.status, 401);
      assert.equal(response.body.error, 'message_not_authenticated');
    });

    test('while KR is down NL retries with backoff, and delivers once KR is back', async () => {
      await b.stop();
      const declarationId = await lodgeExport('KR');
      const [queued] = await a.db.query<{ id: string }>(
        'SELECT id FROM exchange_outbox WHERE declaration_id = $1',
        [declarationId],
      );
      assert.ok(queued);
      const failing = await waitFor('two failed attempts', async () => {
        const [row] = await outboxOfA(queued.id);
        return row && row.attempts >= 2 && row.state === 'pending' ? row : undefined;
      });
      assert.match(failing.last_error ?? '', /not delivered/);
      b = await startServerProcess(bEnv(), [], bPort);
      bAdmin = await signInOnB('admin');
      await acknowledged(queued.id);
      assert.equal((await receivedOnB()).filter((m) => m.id === queued.id).length, 1);
    });

    test("KR's import of NL's export at a third of its value gets the mirror finding and a stricter lane", async () => {
      const value = 30_000;
      const exportId = await lodge({
        type: 'EX',
        procedure: '1000',
        destinationCountry: 'KR',
        ucr: 'NLKR-UCR-MIRROR-1',
        items: [anItem({ value })],
      });
      const [queued] = await a.db.query<{ id: string }>(
        'SELECT id FROM exchange_outbox WHERE declaration_id = $1',
        [exportId],
      );
      assert.ok(queued);
      await acknowledged(queued.id);
      // KR's trader lodges the import of the same consignment, and the same import without it
      const trader = await signInOnB('trader');
      const lodgeOnB = async (ucr: string) => {
        const lodged = await onB(
          'POST',
          '/api/declarations',
          aDeclaration({
            trader: undefined,
            ucr,
            dispatchCountry: 'NL',
            items: [anItem({ value: value / 3 })],
          }),
          trader,
        );
        assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
        return { id: Number(lodged.body.id), lane: String(lodged.body.lane) };
      };
      const matched = await lodgeOnB('NLKR-UCR-MIRROR-1');
      const plain = await lodgeOnB('NLKR-UCR-NO-RECORD');
      const strictness = ['green', 'blue', 'yellow', 'red'];
      assert.ok(
        strictness.indexOf(matched.lane) > strictness.indexOf(plain.lane),
        `${matched.lane} is not stricter than ${plain.lane}`,
      );
      assert.ok(strictness.indexOf(matched.lane) >= strictness.indexOf('yellow'));
      const analyst = await signInOnB('analyst');
      const mirror = await onB('GET', `/api/declarations/${matched.id}/mirror`, undefined, analyst);
      assert.equal(mirror.status, 200, JSON.stringify(mirror.body));
      const [match] = mirror.body.matches as {
        partner: string;
        matchedBy: string;
        export: { ucr: string };
        gaps: { kind: string; beyond: boolean; importFigure: unknown; exportFigure: unknown; text: string }[];
      }[];
      assert.deepEqual(
        [match?.partner, match?.matchedBy, match?.export.ucr],
        ['NL', 'ucr', 'NLKR-UCR-MIRROR-1'],
      );
      const gap = match?.gaps.find((g) => g.kind === 'value');
      assert.deepEqual([gap?.beyond, gap?.importFigure, gap?.exportFigure], [true, value / 3, value]);
      const assessment = await onB('GET', `/api/declarations/${matched.id}/assessment`, undefined, analyst);
      const reasons = (assessment.body.latest as { reasons: { kind: string; text: string }[] }).reasons;
      assert.match(
        reasons.find((r) => r.kind === 'mirror')?.text ?? '',
        /mirror with NL's export record: customs value 10000 USD on the import against 30000 USD on the export/,
      );
      // the importer does not see the partner's record
      assert.equal(
        (await onB('GET', `/api/declarations/${matched.id}/mirror`, undefined, trader)).status,
        403,
      );
    });

    test('a message claimed by a server killed mid-send is sent again, and KR stores nothing new', async () => {
      const [first] = await outboxOfA();
      assert.ok(first);
      const before = await receivedOnB();
      // as a server killed after KR stored the message and before the acknowledgement was recorded
      // leaves it: claimed (sending), its claim run out
      await a.db.query(
        `UPDATE exchange_outbox SET state = 'sending', acknowledged_at = NULL, next_attempt_at = now() - interval '1 second' WHERE id = $1`,
        [first.id],
      );
      const again = await acknowledged(first.id);
      assert.ok(again.attempts >= 2);
      assert.deepEqual(await receivedOnB(), before);
    });
  });
}
