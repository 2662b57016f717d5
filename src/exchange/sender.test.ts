/**
 * The sender against a partner's inbox played by a local HTTP server, on each engine: what counts
 * as an acknowledgement, which answers end a message's delivery, the agreement's validity, the
 * attempts' limit and the endpoint's address checked at each send.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { sealPending } from '../governance/ledger/seal.ts';
import {
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  type TestContext,
} from '../testing/harness.ts';
import { exchangeIdentity } from './identity.ts';
import { claimDue, markAcknowledged } from './outbox.ts';
import { retryDelay, startSender } from './sender.ts';

test('a failed delivery waits twice as long as the one before, up to an hour', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((attempts) => retryDelay(attempts, 30)),
    [30, 60, 120, 240, 480],
  );
  assert.equal(retryDelay(20, 30), 3600);
});

type Handler = (body: Record<string, unknown>, response: ServerResponse) => void;

const quiet = { error: () => undefined } as unknown as FastifyBaseLogger;
const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ack = (b: Record<string, unknown>) =>
  JSON.stringify({
    messageId: b.id,
    sender: b.sender,
    receiver: b.receiver,
    receivedAt: new Date().toISOString(),
    status: 'received',
  });

for (const target of storageTargets()) {
  describe(`the exchange sender (${target})`, () => {
    let ctx: TestContext;
    let partner: Server;
    let url: string;
    let handle: Handler = (_b, r) => r.end();
    let posts = 0;

    before(async () => {
      // the test server's own sender (the retry's test) may deliver to the local partner too
      ctx = await openTestContext(target, {
        CLEARWAY_ADMINISTRATION: 'AA',
        CLEARWAY_EXCHANGE_ALLOW_HTTP: 'true',
        CLEARWAY_EXCHANGE_ALLOW_PRIVATE: 'true',
      });
      partner = createServer((request: IncomingMessage, response: ServerResponse) => {
        let text = '';
        request.on('data', (c: Buffer) => (text += c.toString()));
        request.on('end', () => {
          posts++;
          handle(JSON.parse(text || '{}') as Record<string, unknown>, response);
        });
      });
      await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
    });
    after(async () => {
      partner.closeAllConnections();
      await new Promise((resolve) => partner.close(resolve));
      await ctx.dispose();
    });

    const register = async (code: string, terms: { validFrom?: string; endpoint?: string } = {}) => {
      await ctx.db.query(
        `INSERT INTO exchange_partners (code, name, endpoint, public_key, message_types, agreement_ref, valid_from,
           valid_to, proposed_by, confirmed_by, confirmed_at)
         VALUES ($1, $1, $2, $3, ARRAY['export_declarations'], 'MoU', $4::date, NULL, 'x', 'y', now())`,
        [code, terms.endpoint ?? `${url}/api/exchange/inbox`, publicKey, terms.validFrom ?? '2020-01-01'],
      );
    };
    const queue = async (receiver: string) => {
      const id = randomUUID();
      await ctx.db.query(
        `INSERT INTO exchange_outbox (id, receiver, type, content_type, payload, state)
         VALUES ($1, $2, 'export_declarations', 'application/xml', $3, 'pending')`,
        [id, receiver, Buffer.from('<Declaration/>')],
      );
      return id;
    };
    const row = async (id: string) =>
      (
        await ctx.db.query<{ state: string; attempts: number; last_error: string | null }>(
          'SELECT state, attempts, last_error FROM exchange_outbox WHERE id = $1',
          [id],
        )
      )[0];
    /** Runs the sender until `done` holds of the message (or 10 s pass). */
    const run = async (
      id: string,
      done: (r: { state: string; attempts: number; last_error: string | null }) => boolean,
      options: { maxAttempts?: number; allowPrivate?: boolean } = {},
    ) => {
      const stop = startSender(
        ctx.db,
        exchangeIdentity(ctx.config),
        {
          retrySeconds: 1,
          pollSeconds: 0.05,
          timeoutSeconds: 5,
          maxAttempts: options.maxAttempts,
          policy: { allowHttp: true, allowPrivate: options.allowPrivate ?? true },
        },
        quiet,
      );
      try {
        const until = Date.now() + 10_000;
        for (;;) {
          const r = await row(id);
          if (r && done(r)) return r;
          if (Date.now() > until) assert.fail(`message ${id} stayed ${JSON.stringify(r)}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        await stop();
      }
    };
    /** An attempt has ended (the claim marks a message `sending` and counts the attempt before it is made). */
    const tried = (r: { attempts: number; state: string }) => r.attempts >= 1 && r.state !== 'sending';

    test('an acknowledgement naming this message, the receiver and received is recorded once', async () => {
      await register('OK');
      handle = (b, r) => r.writeHead(200, { 'content-type': 'application/json' }).end(ack(b));
      const id = await queue('OK');
      const done = await run(id, (r) => r.state === 'acknowledged');
      assert.equal(done.attempts, 1);
      await sealPending(ctx.db);
      const sent = await ctx.db.query(
        `SELECT 1 FROM ledger WHERE action = 'exchange_message.sent' AND subject_id = $1`,
        [id],
      );
      assert.equal(sent.length, 1);
    });

    test('a redirect is a failed attempt and is not followed', async () => {
      await register('RD');
      let followed = false;
      handle = (b, r) => {
        if (b.id === undefined) followed = true;
        r.writeHead(307, { location: `${url}/elsewhere` }).end();
      };
      const id = await queue('RD');
      const failed = await run(id, tried);
      assert.equal(failed.state, 'pending');
      assert.match(failed.last_error ?? '', /redirect \(307\)/);
      assert.equal(followed, false);
    });

    const notAcknowledgements: [string, Handler, RegExp][] = [
      ['another message id', (b, r) => r.end(ack({ ...b, id: randomUUID() })), /names message/],
      ['another receiver', (b, r) => r.end(ack({ ...b, receiver: 'ZZ' })), /names receiver ZZ/],
      [
        'no received status',
        (b, r) => r.end(JSON.stringify({ messageId: b.id, receiver: b.receiver })),
        /status/,
      ],
      ['any JSON', (_b, r) => r.end('{}'), /names message undefined/],
      [
        'a body over 64 KB',
        (b, r) => r.end(ack(b).replace('}', `,"pad":"${'x'.repeat(70_000)}"}`)),
        /larger than 65536/,
      ],
    ];
    for (const [what, handler, expected] of notAcknowledgements) {
      test(`a 200 with ${what} is not an acknowledgement`, async () => {
        const code = `N${notAcknowledgements.findIndex(([w]) => w === what)}`;
        await register(code);
        handle = handler;
        const id = await queue(code);
        const failed = await run(id, tried);
        assert.equal(failed.state, 'pending');
        assert.match(failed.last_error ?? '', expected);
      });
    }

    for (const status of [401, 403, 409, 422]) {
      test(`a ${status} is a permanent failure`, async () => {
        const code = `P${status}`;
        await register(code);
        handle = (_b, r) => r.writeHead(status).end('{"error":"refused"}');
        const id = await queue(code);
        const failed = await run(id, (r) => r.state !== 'sending' && r.attempts >= 1);
        assert.equal(failed.state, 'failed');
        assert.equal(failed.attempts, 1);
        assert.match(failed.last_error ?? '', new RegExp(`refused with ${status}`));
      });
    }

    test('after the maximum number of attempts a message is failed', async () => {
      await register('MX');
      handle = (_b, r) => r.writeHead(500).end();
      const id = await queue('MX');
      const failed = await run(id, (r) => r.state === 'failed', { maxAttempts: 2 });
      assert.equal(failed.attempts, 2);
      assert.match(failed.last_error ?? '', /refused with 500/);
    });

    test('an administrator sends a failed message again: pending with attempts from zero, on the ledger, then delivered', async () => {
      await register('RQ');
      handle = (_b, r) => r.writeHead(422).end('{"error":"refused"}');
      const id = await queue('RQ');
      assert.equal((await run(id, (r) => r.state === 'failed')).attempts, 1);
      // the partner accepts it now: the server's own sender or the one run below delivers it
      handle = (b, r) => r.writeHead(200, { 'content-type': 'application/json' }).end(ack(b));
      const tokens = await createRoleUsers(ctx);
      const server = await startTestServer(ctx);
      try {
        const retry = (token: string, messageId: string = id) =>
          server.request('POST', `/api/exchange/outbox/${messageId}/retry`, { token });
        assert.equal((await retry(tokens.officer)).status, 403);
        const done = await retry(tokens.administrator);
        assert.equal(done.status, 200, JSON.stringify(done.body));
        assert.deepEqual([done.body.id, done.body.state, done.body.attempts], [id, 'pending', 0]);
        const again = await retry(tokens.administrator);
        assert.deepEqual([again.status, again.body.error], [409, 'outbox_message_not_failed']);
        const unknown = await retry(tokens.administrator, randomUUID());
        assert.deepEqual([unknown.status, unknown.body.error], [404, 'outbox_message_not_found']);
        const malformed = await retry(tokens.administrator, 'not-a-message');
        assert.equal(malformed.status, 400);
      } finally {
        await server.close();
      }
      await sealPending(ctx.db);
      const [entry] = await ctx.db.query<{ actor: string; data: string }>(
        `SELECT actor, data FROM ledger WHERE action = 'exchange_message.requeued' AND subject_id = $1`,
        [id],
      );
      assert.equal(entry?.actor, 'administrator');
      assert.match(entry?.data ?? '', /"failedAttempts":1/);
      const delivered = await run(id, (r) => r.state === 'acknowledged');
      assert.equal(delivered.attempts, 1);
    });

    test('a message waits, untried, while the agreement is not in force', async () => {
      await register('FU', { validFrom: '2999-01-01' });
      const before = posts;
      const id = await queue('FU');
      const held = await run(id, (r) => r.state === 'pending' && r.last_error !== null);
      assert.equal(held.attempts, 0);
      assert.match(held.last_error ?? '', /held: .* not in force/);
      assert.equal(posts, before);
    });

    test('an endpoint on a private address is refused at send unless allowed', async () => {
      await register('LO', { endpoint: `${url.replace('127.0.0.1', 'localhost')}/api/exchange/inbox` });
      const before = posts;
      const id = await queue('LO');
      const failed = await run(id, tried, { allowPrivate: false });
      assert.match(failed.last_error ?? '', /loopback, link-local or private/);
      assert.equal(posts, before);
    });

    test('an acknowledgement of an attempt no longer claimed records nothing', async () => {
      await register('CL');
      const id = await queue('CL');
      const [claimed] = await ctx.db
        .transaction((tx) => claimDue(tx, 100, 60))
        .then((all) => all.filter((m) => m.id === id));
      assert.ok(claimed);
      // the claim ran out and another server claimed the message again
      await ctx.db.query(
        `UPDATE exchange_outbox SET next_attempt_at = now() - interval '1 second' WHERE id = $1`,
        [id],
      );
      const again = (await ctx.db.transaction((tx) => claimDue(tx, 100, 60))).find((m) => m.id === id);
      assert.ok(again);
      assert.equal(await markAcknowledged(ctx.db, id, again.attempts, { status: 'received' }), true);
      assert.equal(await markAcknowledged(ctx.db, id, claimed.attempts, { status: 'received' }), false);
      assert.equal(await markAcknowledged(ctx.db, id, again.attempts, { status: 'received' }), false);
    });
  });
}
