/**
 * One server's side of the exchange, through the real HTTP server on each engine: partner
 * registration with four-eyes, and the inbox refusing what it must, and storing a message once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Role } from '../governance/roles.ts';
import { signerFrom, type LedgerSigner } from '../governance/ledger/signing.ts';
import { sealPending } from '../governance/ledger/seal.ts';
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
import type { DeclarationInput } from '../declarations/model.ts';
import { signMessage, type Envelope } from './envelope.ts';
import { exportPayload } from './payload.ts';

const partnerKey = (): LedgerSigner => signerFrom(generateKeyPairSync('ed25519').privateKey);

/** An export declaration as a DEC-DMS 2 message, as a partner sends it. */
const anExport = (overrides: Record<string, unknown> = {}) =>
  exportPayload(
    aDeclaration({
      type: 'EX',
      procedure: '1000',
      destinationCountry: 'AA',
      ...overrides,
    }) as unknown as DeclarationInput,
  );
const xmlPayload = anExport().toString('utf8');

function message(signer: LedgerSigner, overrides: Partial<Envelope> = {}, payload = xmlPayload): Envelope {
  const fields = {
    id: randomUUID(),
    sender: 'BB',
    receiver: 'AA',
    type: 'export_declarations',
    timestamp: new Date().toISOString(),
    contentType: 'application/xml',
    ...overrides,
  };
  return signMessage(fields, Buffer.from(payload), signer);
}

const terms = (code: string, publicKey: string, extra: Record<string, unknown> = {}) => ({
  code,
  name: `Customs of ${code}`,
  endpoint: `http://127.0.0.1:9/api/exchange/inbox`,
  publicKey,
  messageTypes: ['export_declarations'],
  agreementRef: `MoU ${code}-AA 2026`,
  validFrom: '2026-01-01',
  ...extra,
});

for (const target of storageTargets()) {
  describe(`exchange inbox and partners (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let admin: string;
    let secondAdmin: string;
    let trader: string;
    const bb = partnerKey();

    before(async () => {
      ctx = await openTestContext(target, {
        CLEARWAY_ADMINISTRATION: 'AA',
        CLEARWAY_EXCHANGE_ALLOW_HTTP: 'true',
        CLEARWAY_EXCHANGE_ALLOW_PRIVATE: 'true',
      });
      server = await startTestServer(ctx);
      const tokens = await createRoleUsers(ctx);
      admin = tokens.administrator;
      trader = tokens.trader;
      secondAdmin = await createUserToken(ctx, { username: 'admin-two', role: Role.Administrator });
      const proposed = await server.request('POST', '/api/exchange/partners', {
        token: admin,
        body: terms('BB', bb.publicKeyPem),
      });
      assert.equal(proposed.status, 202, JSON.stringify(proposed.body));
      const confirmed = await server.request('POST', '/api/exchange/partners/BB/confirm', {
        token: secondAdmin,
        body: { digest: proposed.body.digest },
      });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    const post = (envelope: unknown) => server.request('POST', '/api/exchange/inbox', { body: envelope });

    test('the public key is served without signing in, and is the key the installation signs with', async () => {
      const response = await server.request('GET', '/api/exchange/public-key');
      assert.equal(response.status, 200);
      assert.equal(response.body.administration, 'AA');
      assert.match(String(response.body.publicKey), /^-----BEGIN PUBLIC KEY-----/);
      const again = await server.request('GET', '/api/exchange/public-key');
      assert.equal(again.body.publicKey, response.body.publicKey);
    });

    test('a registration is pending until a second administrator confirms it; the proposer cannot', async () => {
      const cc = partnerKey();
      const proposed = await server.request('POST', '/api/exchange/partners', {
        token: admin,
        body: terms('CC', cc.publicKeyPem),
      });
      assert.equal(proposed.status, 202);
      assert.equal(proposed.body.status, 'pending');
      // a pending registration is not revealed to whoever posts: the same refusal as a stranger's
      const refused = await post(message(cc, { sender: 'CC' }));
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error, 'message_not_authenticated');
      const digest = proposed.body.digest;
      assert.match(String(digest), /^[0-9a-f]{64}$/);
      const own = await server.request('POST', '/api/exchange/partners/CC/confirm', {
        token: admin,
        body: { digest },
      });
      assert.equal(own.status, 403);
      assert.equal(own.body.error, 'four_eyes');
      const listed = await server.request('GET', '/api/exchange/partners', { token: admin });
      const codes = (listed.body.partners as { code: string }[]).map((p) => p.code);
      assert.deepEqual(codes, ['BB']);
      assert.deepEqual(
        (listed.body.proposals as { terms: { code: string } }[]).map((p) => p.terms.code),
        ['CC'],
      );
      const confirmed = await server.request('POST', '/api/exchange/partners/CC/confirm', {
        token: secondAdmin,
        body: { digest },
      });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.equal(confirmed.body.proposedBy, 'administrator');
      assert.equal(confirmed.body.confirmedBy, 'admin-two');
      assert.equal((await post(message(cc, { sender: 'CC' }))).status, 200);
      await sealPending(ctx.db);
      const entries = await ctx.db.query<{ action: string; actor: string }>(
        `SELECT action, actor FROM ledger WHERE subject_kind = 'exchange_partner' AND subject_id = 'CC' ORDER BY seq`,
      );
      assert.deepEqual(entries, [
        { action: 'exchange_partner.registration_proposed', actor: 'administrator' },
        { action: 'exchange_partner.confirmed', actor: 'admin-two' },
      ]);
    });

    const badTerms: [string, Record<string, unknown>, RegExp][] = [
      ['a lower-case code', { code: 'bb' }, /code must be/],
      ['its own code', { code: 'AA' }, /own code/],
      ['an endpoint that is not a URL', { endpoint: 'inbox' }, /endpoint must be a URL/],
      ['a key that is not a key', { publicKey: 'abc' }, /publicKey must be a PEM/],
      ['an unknown message type', { messageTypes: ['everything'] }, /unknown: everything/],
      ['an end before the start', { validTo: '2025-01-01' }, /validTo is before validFrom/],
      ['a day that is not one', { validFrom: '2026-13-45' }, /validFrom must be a day/],
    ];
    for (const [what, change, expected] of badTerms) {
      test(`a registration with ${what} is refused`, async () => {
        const response = await server.request('POST', '/api/exchange/partners', {
          token: admin,
          body: { ...terms('DD', bb.publicKeyPem), ...change },
        });
        assert.equal(response.status, 422, JSON.stringify(response.body));
        assert.equal(response.body.error, 'invalid_partner');
        assert.match(String(response.body.message), expected);
      });
    }

    test('only administrators see and change partners', async () => {
      assert.equal((await server.request('GET', '/api/exchange/partners', { token: trader })).status, 403);
      assert.equal((await server.request('GET', '/api/exchange/partners')).status, 401);
      assert.equal((await server.request('GET', '/api/exchange/inbox')).status, 401);
      assert.equal((await server.request('GET', '/api/exchange/outbox', { token: trader })).status, 403);
    });

    test('a confirmation of nothing proposed is refused', async () => {
      const response = await server.request('POST', '/api/exchange/partners/QQ/confirm', {
        token: secondAdmin,
        body: { digest: '0'.repeat(64) },
      });
      assert.equal(response.status, 404);
      assert.equal(response.body.error, 'proposal_not_found');
    });

    test('a message is stored once, and its repetition gets the same acknowledgement', async () => {
      const envelope = message(bb);
      const first = await post(envelope);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.messageId, envelope.id);
      // resent later, signed again with a new timestamp, as the sender does after a lost acknowledgement
      const resent = message(bb, { id: envelope.id });
      const second = await post(resent);
      assert.equal(second.status, 200);
      assert.deepEqual(second.body, first.body);
      const rows = await ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM exchange_inbox WHERE id = $1',
        [envelope.id],
      );
      assert.equal(rows[0]?.n, 1);
      await sealPending(ctx.db);
      const received = await ctx.db.query(
        `SELECT 1 FROM ledger WHERE action = 'exchange_message.received' AND subject_id = $1`,
        [envelope.id],
      );
      assert.equal(received.length, 1);
      const listed = await server.request('GET', '/api/exchange/inbox', { token: admin });
      const mine = (listed.body.messages as { id: string; matchState: string }[]).find(
        (m) => m.id === envelope.id,
      );
      assert.equal(mine?.matchState, 'unmatched');
    });

    test('an id used again with other content is refused', async () => {
      const envelope = message(bb);
      assert.equal((await post(envelope)).status, 200);
      const other = await post(message(bb, { id: envelope.id }, anExport().toString('utf8')));
      assert.equal(other.status, 409);
      assert.equal(other.body.error, 'message_id_reused');
    });

    const generic = 'message_not_authenticated';
    const refusals: [string, () => unknown, number, string][] = [
      ['an unknown sender', () => message(partnerKey(), { sender: 'ZZ' }), 401, generic],
      ['a message for another administration', () => message(bb, { receiver: 'XX' }), 422, 'wrong_receiver'],
      ['a message signed with another key', () => message(partnerKey()), 401, generic],
      [
        'a tampered payload',
        () => ({ ...message(bb), payload: Buffer.from('<x/>').toString('base64') }),
        401,
        generic,
      ],
      [
        'a tampered content type in the envelope',
        () => ({ ...message(bb), contentType: 'text/xml' }),
        401,
        generic,
      ],
      ['a signature that is not a detached JWS', () => ({ ...message(bb), signature: 'abc' }), 401, generic],
      [
        'a stale timestamp',
        () => message(bb, { timestamp: new Date(Date.now() - 3_600_000).toISOString() }),
        401,
        'stale_timestamp',
      ],
      [
        'a leap-second timestamp, which is no time this server can read',
        () => message(bb, { timestamp: `${new Date().toISOString().slice(0, 10)}T23:59:60Z` }),
        401,
        'stale_timestamp',
      ],
      [
        'a type the agreement does not cover',
        () => message(bb, { type: 'import_declarations' }),
        403,
        'message_type_not_agreed',
      ],
      [
        'an export declaration that is not XML',
        () => message(bb, { contentType: 'application/json' }, '{"id":1}'),
        422,
        'unsupported_content_type',
      ],
      [
        'an export declaration that is not a DEC-DMS 2 message',
        () => message(bb, {}, '<Invoice><Total>1</Total></Invoice>'),
        422,
        'unreadable_message',
      ],
      ['an envelope with an unknown field', () => ({ ...message(bb), extra: 1 }), 400, 'invalid_request'],
      ['an id that is not a UUID', () => message(bb, { id: 'not-a-uuid' }), 400, 'invalid_request'],
    ];
    for (const [what, make, status, code] of refusals) {
      test(`the inbox refuses ${what} (${code})`, async () => {
        const before = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM exchange_inbox');
        const response = await post(make());
        assert.equal(response.status, status, JSON.stringify(response.body));
        assert.equal(response.body.error, code);
        const afterwards = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM exchange_inbox');
        assert.deepEqual(afterwards, before);
      });
    }

    test('the inbox refuses a partner whose agreement has ended', async () => {
      const ee = partnerKey();
      const proposed = await server.request('POST', '/api/exchange/partners', {
        token: admin,
        body: terms('EE', ee.publicKeyPem, { validFrom: '2020-01-01', validTo: '2021-12-31' }),
      });
      assert.equal(
        (
          await server.request('POST', '/api/exchange/partners/EE/confirm', {
            token: secondAdmin,
            body: { digest: proposed.body.digest },
          })
        ).status,
        200,
      );
      // before the signature verifies, nothing about the agreement is told
      const forged = await post(message(partnerKey(), { sender: 'EE' }));
      assert.equal(forged.status, 401);
      assert.equal(forged.body.error, 'message_not_authenticated');
      assert.doesNotMatch(String(forged.body.message), /agreement|EE|2021/);
      const response = await post(message(ee, { sender: 'EE' }));
      assert.equal(response.status, 403);
      assert.equal(response.body.error, 'agreement_not_in_force');
    });

    test('a confirmation binds to the terms reviewed: a proposal changed since is refused', async () => {
      const ff = partnerKey();
      const first = await server.request('POST', '/api/exchange/partners', {
        token: admin,
        body: terms('FF', ff.publicKeyPem),
      });
      const changed = await server.request('POST', '/api/exchange/partners', {
        token: admin,
        body: terms('FF', ff.publicKeyPem, { endpoint: 'http://127.0.0.1:10/api/exchange/inbox' }),
      });
      assert.notEqual(first.body.digest, changed.body.digest);
      const stale = await server.request('POST', '/api/exchange/partners/FF/confirm', {
        token: secondAdmin,
        body: { digest: first.body.digest },
      });
      assert.equal(stale.status, 409, JSON.stringify(stale.body));
      assert.equal(stale.body.error, 'proposal_changed');
      // the refusal does not tell the current digest: the confirmer has it only from the proposer
      assert.doesNotMatch(JSON.stringify(stale.body), new RegExp(String(changed.body.digest)));
      assert.doesNotMatch(JSON.stringify(stale.body), /[0-9a-f]{64}/);
      const shownTo = async (token: string) => {
        const listed = await server.request('GET', '/api/exchange/partners', { token });
        return (listed.body.proposals as { terms: { code: string }; digest: string | null }[]).find(
          (p) => p.terms.code === 'FF',
        )?.digest;
      };
      assert.equal(await shownTo(secondAdmin), null, 'the list hides the digest from the confirmer');
      assert.equal(await shownTo(admin), changed.body.digest, 'the proposer reads it to pass it on');
      const confirmed = await server.request('POST', '/api/exchange/partners/FF/confirm', {
        token: secondAdmin,
        body: { digest: changed.body.digest },
      });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.equal(confirmed.body.endpoint, 'http://127.0.0.1:10/api/exchange/inbox');
    });

    test('an administrator the proposer created, or one created after the proposal, cannot confirm', async () => {
      const password = 'a long enough password 1';
      const signIn = async (username: string) => {
        const response = await server.request('POST', '/api/auth/login', { body: { username, password } });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      };
      const made = await server.request('POST', '/api/users', {
        token: admin,
        body: { username: 'puppet', password, role: Role.Administrator },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const gg = partnerKey();
      const proposed = await server.request('POST', '/api/exchange/partners', {
        token: admin,
        body: terms('GG', gg.publicKeyPem),
      });
      assert.equal(proposed.status, 202);
      const byPuppet = await server.request('POST', '/api/exchange/partners/GG/confirm', {
        headers: { cookie: await signIn('puppet') },
        body: { digest: proposed.body.digest },
      });
      assert.equal(byPuppet.status, 403, JSON.stringify(byPuppet.body));
      assert.equal(byPuppet.body.error, 'four_eyes');
      assert.match(String(byPuppet.body.message), /created by administrator/);
      // one created after the proposal, by someone else, cannot either
      const late = await server.request('POST', '/api/users', {
        token: secondAdmin,
        body: { username: 'newcomer', password, role: Role.Administrator },
      });
      assert.equal(late.status, 201, JSON.stringify(late.body));
      const byLate = await server.request('POST', '/api/exchange/partners/GG/confirm', {
        headers: { cookie: await signIn('newcomer') },
        body: { digest: proposed.body.digest },
      });
      assert.equal(byLate.status, 403);
      assert.match(String(byLate.body.message), /created after these terms were proposed/);
      const confirmed = await server.request('POST', '/api/exchange/partners/GG/confirm', {
        token: secondAdmin,
        body: { digest: proposed.body.digest },
      });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    });
  });
}
