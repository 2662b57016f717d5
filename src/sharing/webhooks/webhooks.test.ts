/**
 * Pushed deliveries end to end: declarations an agreement covers are queued as Standard Webhooks
 * messages holding the granted fields only, sent to a real receiver that verifies the signature
 * with the secret the agency reads, recorded as deliveries; retried after a failure, held while the
 * agreement is suspended, never sent once it is revoked; replayed by the agency with the same id.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, after, describe, test } from 'node:test';
import { sealPending } from '../../governance/ledger/seal.ts';
import { Role } from '../../governance/roles.ts';
import { apiSuite } from '../../testing/api-suite.ts';
import { anItem, createUserToken, storageTargets } from '../../testing/harness.ts';
import { claimDue, findMessage } from './messages.ts';
import { queueCovered } from './queue.ts';
import { deliverMessage, type WebhookSenderOptions } from './sender.ts';
import { verificationProblem } from './signature.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const today = new Date().toISOString().slice(0, 10);

for (const target of storageTargets()) {
  describe(`pushed deliveries to agencies (${target})`, () => {
    const suite = apiSuite(target, {}, { CLEARWAY_SHARING_PUSH_SECONDS: '0' });
    const received: Received[] = [];
    let answer = 200;
    let receiver: Server;
    let url = '';
    let agency = '';
    let other = '';
    let agreement = 0;
    const options: WebhookSenderOptions = {
      retrySeconds: 1,
      maxAttempts: 5,
      policy: { allowHttp: true, allowPrivate: true },
    };
    const key = async () => ({ ok: true as const, value: Buffer.alloc(32, 7) });

    before(async () => {
      receiver = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (c: Buffer) => chunks.push(c));
        request.on('end', () => {
          received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
          response.writeHead(answer).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      const db = suite.ctx.db;
      for (const code of ['AGRI', 'HEALTH'])
        await db.query(
          `INSERT INTO agencies (code, name, contact, created_by) VALUES ($1, $1, 'desk@example.org', 'test')`,
          [code],
        );
      const [row] = await db.query<{ id: number }>(
        `INSERT INTO sharing_agreements (agency, purpose, legal_basis, fields, hs_prefixes, level, delivery, webhook_url,
           valid_from, valid_to, status, drafted_by, decided_by, decided_at)
         VALUES ('AGRI', 'sanitary controls', 'Act 12', ARRAY['type', 'trader', 'items[].hsCode'], ARRAY['85'],
           'pseudonymised', 'both', $1, '2026-01-01', '2099-12-31', 'active', 'admin', 'second', now())
         RETURNING id`,
        [url],
      );
      agreement = Number(row?.id);
      agency = await createUserToken(suite.ctx, {
        username: 'agri-desk',
        role: Role.PartnerAgency,
        partyId: 'AGRI',
      });
      other = await createUserToken(suite.ctx, {
        username: 'health-desk',
        role: Role.PartnerAgency,
        partyId: 'HEALTH',
      });
    });
    after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    async function sendAll() {
      const due = await suite.ctx.db.transaction((tx) => claimDue(tx, 50, 60));
      return Promise.all(due.map((m) => deliverMessage(suite.ctx.db, m, options)));
    }

    test('covered declarations are pushed signed, with the granted fields only, and recorded', async () => {
      const covered = await suite.lodge();
      await suite.lodge({ items: [anItem({ hsCode: '01022100' })] });
      assert.equal(await queueCovered(suite.ctx.db, { today, pseudonymKey: key }), 1);
      // nothing more to queue: the same declarations are never queued twice
      assert.equal(await queueCovered(suite.ctx.db, { today, pseudonymKey: key }), 0);
      const secret = await suite.call(agency, 'GET', `/api/sharing/agreements/${agreement}/webhook-secret`);
      assert.equal(secret.status, 200, JSON.stringify(secret.body));
      assert.deepEqual(await sendAll(), ['delivered']);
      const [message] = received;
      assert.ok(message);
      const id = String(message.headers['webhook-id']);
      assert.match(id, /^msg_[a-z2-7]{26}$/);
      const problem = verificationProblem(
        String(secret.body.secret),
        {
          id,
          timestamp: String(message.headers['webhook-timestamp']),
          signature: String(message.headers['webhook-signature']),
        },
        message.body,
        Math.floor(Date.now() / 1000),
      );
      assert.equal(problem, null);
      const payload = JSON.parse(message.body) as {
        type: string;
        data: { agreement: number; declarations: Record<string, unknown>[] };
      };
      assert.equal(payload.type, 'declarations.shared');
      assert.deepEqual(
        payload.data.declarations.map((d) => d.id),
        [covered.id],
        'the declaration of chapter 01 is outside the agreement',
      );
      const [shared] = payload.data.declarations;
      assert.deepEqual(Object.keys(shared ?? {}).sort(), ['id', 'items', 'trader', 'type']);
      assert.notEqual(shared?.trader, 'TRADER-A', 'the trader is pseudonymised');
      assert.ok(!message.body.includes('TRADER-A'));
      const log = await suite.ctx.db.query<{ channel: string; n: number }>(
        `SELECT d.channel, count(*)::int AS n FROM sharing_deliveries d
         JOIN sharing_delivery_declarations x ON x.delivery_id = d.id WHERE d.agreement_id = $1 GROUP BY 1`,
        [agreement],
      );
      assert.deepEqual(log, [{ channel: 'webhook', n: 1 }]);
    });

    test('a refused attempt is retried; a suspended agreement holds; a revoked one sends nothing', async () => {
      await suite.lodge();
      await queueCovered(suite.ctx.db, { today, pseudonymKey: key });
      answer = 503;
      assert.deepEqual(await sendAll(), ['retry']);
      await suite.ctx.db.query(
        `UPDATE sharing_webhook_messages SET next_attempt_at = now() WHERE state = 'pending'`,
      );
      await suite.ctx.db.query(`UPDATE sharing_agreements SET status = 'suspended' WHERE id = $1`, [
        agreement,
      ]);
      const before = received.length;
      assert.deepEqual(await sendAll(), ['held']);
      await suite.ctx.db.query(
        `UPDATE sharing_webhook_messages SET next_attempt_at = now() WHERE state = 'pending'`,
      );
      await suite.ctx.db.query(`UPDATE sharing_agreements SET status = 'revoked' WHERE id = $1`, [agreement]);
      answer = 200;
      assert.deepEqual(await sendAll(), ['failed']);
      assert.equal(received.length, before, 'nothing reached the receiver while suspended or revoked');
      const [failed] = await suite.ctx.db.query<{ id: string }>(
        `SELECT id FROM sharing_webhook_messages WHERE state = 'failed'`,
      );
      const replay = await suite.call(agency, 'POST', `/api/sharing/webhooks/messages/${failed?.id}/replay`);
      assert.equal(replay.status, 200);
      assert.deepEqual(await sendAll(), ['failed'], 'a replay under a revoked agreement is not sent');
      assert.equal(received.length, before);
      await suite.ctx.db.query(`UPDATE sharing_agreements SET status = 'active' WHERE id = $1`, [agreement]);
    });

    test('an agency replays its own message with the same id; another agency sees nothing of it', async () => {
      const list = await suite.call(agency, 'GET', '/api/sharing/webhooks/messages?state=delivered');
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const [first] = list.body.messages as { id: string; replays: number }[];
      assert.ok(first);
      assert.equal(
        (await suite.call(other, 'GET', `/api/sharing/webhooks/messages/${first.id}`)).status,
        404,
      );
      assert.equal(
        (await suite.call(other, 'POST', `/api/sharing/webhooks/messages/${first.id}/replay`)).status,
        404,
      );
      const theirs = await suite.call(other, 'GET', '/api/sharing/webhooks/messages');
      assert.deepEqual(theirs.body.messages, []);
      assert.equal(
        (await suite.call(other, 'GET', `/api/sharing/agreements/${agreement}/webhook-secret`)).status,
        404,
      );
      assert.equal(
        (await suite.call(suite.tokens.trader, 'GET', '/api/sharing/webhooks/messages')).status,
        403,
      );
      const replay = await suite.call(agency, 'POST', `/api/sharing/webhooks/messages/${first.id}/replay`);
      assert.equal(replay.status, 200, JSON.stringify(replay.body));
      // a replay being sent cannot be replayed again until it is
      assert.equal(
        (await suite.call(agency, 'POST', `/api/sharing/webhooks/messages/${first.id}/replay`)).status,
        409,
      );
      const before = received.length;
      assert.deepEqual(await sendAll(), ['delivered']);
      assert.equal(received[before]?.headers['webhook-id'], first.id);
      assert.equal((await findMessage(suite.ctx.db, first.id))?.replays, 1);
      // every message of the agreement since a moment: the delivered one and the one that failed
      const all = await suite.call(agency, 'POST', '/api/sharing/webhooks/replay', {
        agreement,
        since: '2026-01-01T00:00:00Z',
      });
      assert.equal(all.status, 200, JSON.stringify(all.body));
      assert.equal((all.body.replayed as string[]).length, 2);
      assert.deepEqual(await sendAll(), ['delivered', 'delivered']);
      await sealPending(suite.ctx.db);
      const ledger = await suite.ctx.db.query<{ action: string }>(
        `SELECT action FROM ledger WHERE action LIKE 'sharing_webhook.%' ORDER BY seq`,
      );
      assert.ok(ledger.some((e) => e.action === 'sharing_webhook.replayed'));
      assert.ok(ledger.some((e) => e.action === 'sharing_webhook.secret_read'));
    });

    test('a rotated secret signs what is sent next', async () => {
      const rotated = await suite.call(
        agency,
        'POST',
        `/api/sharing/agreements/${agreement}/webhook-secret/rotate`,
      );
      assert.equal(rotated.status, 200);
      await suite.lodge();
      await queueCovered(suite.ctx.db, { today, pseudonymKey: key });
      const before = received.length;
      assert.deepEqual(await sendAll(), ['delivered']);
      const m = received[before];
      assert.ok(m);
      const headers = {
        id: String(m.headers['webhook-id']),
        timestamp: String(m.headers['webhook-timestamp']),
        signature: String(m.headers['webhook-signature']),
      };
      const now = Math.floor(Date.now() / 1000);
      assert.equal(verificationProblem(String(rotated.body.secret), headers, m.body, now), null);
    });
  });
}
