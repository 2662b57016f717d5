/**
 * The Pushed deliveries page in a real browser against the real server, whose own rounds queue and
 * send: a partner agency's user finds its webhook agreement listed, reads the signing secret and
 * verifies with it the message its receiver got, sees the message delivered, sends it again and
 * sees it delivered a second time with the same id; rotating asks first. Other roles have no such
 * page. Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Role } from '../governance/roles.ts';
import { verificationProblem } from '../sharing/webhooks/signature.ts';
import { assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, createUserToken, storageTargets } from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`the Pushed deliveries page in Chromium (${target})`, () => {
    const suite = browserSuite(target, {
      CLEARWAY_SHARING_PUSH_SECONDS: '1',
      CLEARWAY_EXCHANGE_ALLOW_HTTP: 'true',
      CLEARWAY_EXCHANGE_ALLOW_PRIVATE: 'true',
    });
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    let receiver: Server;
    let agreement = 0;

    before(async () => {
      receiver = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (c: Buffer) => chunks.push(c));
        request.on('end', () => {
          received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
          response.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/customs`;
      const db = suite.ctx.db;
      await db.query(
        `INSERT INTO agencies (code, name, contact, created_by) VALUES ('AGRI', 'Agriculture', 'sps@agri.example', 'test')`,
      );
      const [row] = await db.query<{ id: number }>(
        `INSERT INTO sharing_agreements (agency, purpose, legal_basis, fields, level, delivery, webhook_url,
           valid_from, valid_to, status, drafted_by, decided_by, decided_at)
         VALUES ('AGRI', 'Sanitary checks of imports', 'Plant Health Act, s. 4', ARRAY['type', 'items[].hsCode'],
           'identified', 'webhook', $1, '2026-01-01', '2099-12-31', 'active', 'administrator', 'supervisor', now())
         RETURNING id`,
        [url],
      );
      agreement = Number(row?.id);
      await createUserToken(suite.ctx, { username: 'agri-desk', role: Role.PartnerAgency, partyId: 'AGRI' });
      const lodged = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration(),
      });
      assert.equal(lodged.status, 201);
    });
    after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    /** Waits until the receiver holds `n` messages (the server queues and sends every second). */
    async function receivedCount(n: number) {
      const until = Date.now() + 60_000;
      while (received.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      assert.ok(received.length >= n, `${received.length} messages received, ${n} awaited`);
    }

    test('an agency reads its secret, verifies the message received with it, and sends it again', async () => {
      await receivedCount(1);
      const page = await suite.at('agri-desk');
      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: 'Pushed deliveries' })
        .click();
      await page.getByRole('heading', { name: 'Pushed deliveries', level: 1 }).waitFor();
      await page.getByText(`Agreement ${agreement}, Sanitary checks of imports`).waitFor();
      await assertEveryInputLabelled(page);

      const secretPanel = page.getByRole('region', { name: 'Signing secret' });
      await secretPanel.getByRole('button', { name: 'Show secret' }).click();
      await secretPanel
        .getByRole('alert')
        .getByText(/choose one of your agreements/)
        .waitFor();
      await secretPanel.getByLabel('Agreement').selectOption(String(agreement));
      await secretPanel.getByRole('button', { name: 'Show secret' }).click();
      const secret = (await secretPanel.locator('code').textContent()) ?? '';
      assert.match(secret, /^whsec_/);
      const [message] = received;
      assert.ok(message);
      const headers = {
        id: String(message.headers['webhook-id']),
        timestamp: String(message.headers['webhook-timestamp']),
        signature: String(message.headers['webhook-signature']),
      };
      assert.equal(verificationProblem(secret, headers, message.body, Math.floor(Date.now() / 1000)), null);

      const table = page.getByRole('table', { name: 'Messages' });
      const row = table.getByRole('row').filter({ hasText: headers.id });
      await row.getByText('Delivered').waitFor();
      await screenshot(page, `webhooks-${target}`);
      await row.getByRole('button', { name: `Send message ${headers.id} again` }).click();
      await page.getByRole('status').getByText(`Message ${headers.id} will be sent again`).waitFor();
      await receivedCount(2);
      assert.equal(received[1]?.headers['webhook-id'], headers.id, 'sent again with the same id');

      // rotating asks first; dismissed, the secret stays
      page.once('dialog', (d) => void d.dismiss());
      await secretPanel.getByRole('button', { name: 'Rotate secret' }).click();
      await secretPanel.getByRole('button', { name: 'Show secret' }).click();
      assert.equal(await secretPanel.locator('code').textContent(), secret);
      page.once('dialog', (d) => void d.accept());
      await secretPanel.getByRole('button', { name: 'Rotate secret' }).click();
      const code = secretPanel.locator('code');
      const until = Date.now() + 10_000;
      while ((await code.textContent()) === secret && Date.now() < until) await page.waitForTimeout(100);
      assert.match((await code.textContent()) ?? '', /^whsec_/);
      assert.notEqual(await code.textContent(), secret, 'a new secret is shown');
      await page.close();
    });

    test('other roles have no Pushed deliveries page', async () => {
      const page = await suite.at('trader');
      await page.getByRole('navigation', { name: 'Pages' }).waitFor();
      assert.equal(
        await page
          .getByRole('navigation', { name: 'Pages' })
          .getByRole('button', { name: 'Pushed deliveries' })
          .count(),
        0,
      );
      await page.close();
    });
  });
}
