/**
 * The outbox and inbox as administrators list them, through the real HTTP server on each engine:
 * narrowed by state, with each received message's schema findings counted and the import it was
 * matched to named, in keyset pages, and a filter or cursor the API does not know refused by name.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Role } from '../governance/roles.ts';
import { signerFrom } from '../governance/ledger/signing.ts';
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
import { registerPartner } from '../testing/exchange.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { signMessage } from './envelope.ts';
import { exportPayload } from './payload.ts';

interface Listed {
  id: string;
  state?: string;
  matchState?: string;
  findingCount?: number;
  importDeclaration?: { id: number; reference: string | null } | null;
}

for (const target of storageTargets()) {
  describe(`outbox and inbox lists (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let admin: string;
    let trader: string;
    const bb = signerFrom(generateKeyPairSync('ed25519').privateKey);
    const queued: Record<string, string> = {};
    let received: string;

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
      await registerPartner(
        server,
        {
          proposer: admin,
          confirmer: await createUserToken(ctx, { username: 'admin-two', role: Role.Administrator }),
        },
        { code: 'BB', publicKeyPem: bb.publicKeyPem, agreementRef: 'MoU BB-AA 2026' },
      );
      // one message in each state the sender leaves alone (not due: the sender claims none of them)
      for (const state of ['pending', 'acknowledged', 'failed']) {
        queued[state] = randomUUID();
        await ctx.db.query(
          `INSERT INTO exchange_outbox (id, receiver, type, content_type, payload, state, next_attempt_at)
           VALUES ($1, 'BB', 'export_declarations', 'application/xml', $2, $3, now() + interval '1 day')`,
          [queued[state], Buffer.from('<Declaration/>'), state],
        );
      }
      // a received export with an element the schema does not know: readable, with a schema finding
      const payload = exportPayload(
        aDeclaration({
          type: 'EX',
          procedure: '1000',
          destinationCountry: 'AA',
          ucr: 'LISTS-UCR-1',
        }) as unknown as DeclarationInput,
      )
        .toString('utf8')
        .replace('<TypeCode>EX</TypeCode>', '<TypeCode>EX</TypeCode><Unknown>1</Unknown>');
      received = randomUUID();
      const envelope = signMessage(
        {
          id: received,
          sender: 'BB',
          receiver: 'AA',
          type: 'export_declarations',
          timestamp: new Date().toISOString(),
          contentType: 'application/xml',
        },
        Buffer.from(payload),
        bb,
      );
      const posted = await server.request('POST', '/api/exchange/inbox', { body: envelope });
      assert.equal(posted.status, 200, JSON.stringify(posted.body));
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    const page = async (path: string) => {
      const res = await server.request('GET', path, { token: admin });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as { messages: Listed[]; nextCursor: string | null };
    };
    const list = async (path: string) => (await page(path)).messages;

    test('the outbox lists only the messages in the state asked for', async () => {
      assert.deepEqual(
        (await list('/api/exchange/outbox')).map((m) => m.id).sort(),
        Object.values(queued).sort(),
      );
      for (const state of ['pending', 'acknowledged', 'failed']) {
        const listed = await list(`/api/exchange/outbox?state=${state}`);
        assert.deepEqual(
          listed.map((m) => [m.id, m.state]),
          [[queued[state], state]],
        );
      }
      assert.deepEqual(await list('/api/exchange/outbox?state=sending'), []);
      assert.equal((await list('/api/exchange/outbox?limit=2')).length, 2);
    });

    test('the inbox lists by match state, with the schema findings of each message counted', async () => {
      const [message] = await list('/api/exchange/inbox?matchState=unmatched');
      assert.equal(message?.id, received);
      assert.ok((message?.findingCount ?? 0) > 0, JSON.stringify(message));
      const [stored] = await ctx.db.query<{ n: number }>(
        'SELECT jsonb_array_length(findings) AS n FROM exchange_inbox WHERE id = $1',
        [received],
      );
      assert.equal(message?.findingCount, stored?.n);
      assert.deepEqual(await list('/api/exchange/inbox?matchState=matched'), []);
      assert.equal(message?.importDeclaration, null);
    });

    test('the outbox pages by its cursor, newest first, each message once, ties of time included', async () => {
      // two messages of the same creation time: the id orders them
      const twins = [randomUUID(), randomUUID()];
      await ctx.db.query(
        `INSERT INTO exchange_outbox (id, receiver, type, content_type, payload, state, next_attempt_at)
         SELECT id, 'BB', 'export_declarations', 'application/xml', '\\x00'::bytea, 'pending', now() + interval '1 day'
         FROM unnest($1::uuid[]) AS id`,
        [twins],
      );
      const all = await page('/api/exchange/outbox');
      assert.equal(all.messages.length, 5);
      assert.equal(all.nextCursor, null, 'a page that is not full is the last');
      const walked: string[] = [];
      let path = '/api/exchange/outbox?limit=2';
      for (let pages = 0; pages < 5; pages++) {
        const { messages, nextCursor } = await page(path);
        walked.push(...messages.map((m) => m.id));
        if (nextCursor === null) break;
        path = `/api/exchange/outbox?limit=2&before=${encodeURIComponent(nextCursor)}`;
      }
      assert.deepEqual(
        walked,
        all.messages.map((m) => m.id),
      );
      // within a state, the cursor pages that state's messages
      const pending = await page('/api/exchange/outbox?state=pending&limit=1');
      assert.ok(pending.nextCursor);
      const rest = await list(
        `/api/exchange/outbox?state=pending&before=${encodeURIComponent(pending.nextCursor)}`,
      );
      assert.deepEqual(
        rest.map((m) => m.state),
        ['pending', 'pending'],
      );
    });

    test('the inbox names the import a message was matched to, and pages by its cursor', async () => {
      const lodged = await server.request('POST', '/api/declarations', {
        token: trader,
        body: aDeclaration({
          ucr: 'LISTS-UCR-1',
          functionalReference: 'LISTS-IMPORT-1',
          dispatchCountry: 'BB',
        }),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      const first = await page('/api/exchange/inbox?limit=1');
      const [message] = first.messages;
      assert.equal(message?.matchState, 'matched');
      assert.deepEqual(message?.importDeclaration, {
        id: Number(lodged.body.id),
        reference: 'LISTS-IMPORT-1',
      });
      assert.ok(first.nextCursor);
      const next = await page(`/api/exchange/inbox?limit=1&before=${encodeURIComponent(first.nextCursor)}`);
      assert.deepEqual(next, { messages: [], nextCursor: null });
    });

    for (const [what, path] of [
      ['an outbox state that does not exist', '/api/exchange/outbox?state=lost'],
      ['a match state that is not a word', '/api/exchange/inbox?matchState=Not%20one'],
      ['an unknown filter', '/api/exchange/outbox?receiver=BB'],
      ['a cursor that is not one', '/api/exchange/outbox?before=yesterday'],
      [
        'a cursor of a day that does not exist',
        `/api/exchange/outbox?before=${encodeURIComponent(`2026-02-31T10:00:00.000000Z,${randomUUID()}`)}`,
      ],
      [
        "the outbox's cursor given to the inbox",
        `/api/exchange/inbox?before=${encodeURIComponent(`2026-02-03T10:00:00.000000Z,${randomUUID()}`)}`,
      ],
    ] as const) {
      test(`${what} is refused with a 400`, async () => {
        const res = await server.request('GET', path, { token: admin });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.ok(res.body.message, JSON.stringify(res.body));
        if (path.includes('before=')) assert.match(String(res.body.message), /before|nextCursor/);
      });
    }
  });
}
