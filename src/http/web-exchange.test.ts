/**
 * The Exchange page in a real browser against the real server: an administrator reads this
 * administration's identity and copies its public key, proposes a partner (reading a refusal at
 * its field first) and is shown the digest; a second administrator is refused with a wrong digest
 * and confirms with the right one, and the partner is in force. The outbox shows each message's
 * state, attempts and last error (narrowed to the failed ones), and more of them a page at a time;
 * the inbox a message the partner signed with its schema findings counted, and, once an import
 * matches it, that import named. Other roles neither see the page nor reach it.
 * Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { DeclarationInput } from '../declarations/model.ts';
import { signMessage } from '../exchange/envelope.ts';
import { exportPayload } from '../exchange/payload.ts';
import { signerFrom } from '../governance/ledger/signing.ts';
import { Role } from '../governance/roles.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, createUserToken, storageTargets } from '../testing/harness.ts';

const partnerEndpoint = 'http://127.0.0.1:9/api/exchange/inbox';

for (const target of storageTargets()) {
  describe(`the Exchange page in Chromium (${target})`, () => {
    const suite = browserSuite(target, {
      CLEARWAY_ADMINISTRATION: 'NL',
      CLEARWAY_EXCHANGE_ALLOW_HTTP: 'true',
      CLEARWAY_EXCHANGE_ALLOW_PRIVATE: 'true',
    });
    const kr = signerFrom(generateKeyPairSync('ed25519').privateKey);
    const outbox: Record<string, string> = {};

    before(async () => {
      await createUserToken(suite.ctx, { username: 'admin-two', role: Role.Administrator });
    });

    const nav = (page: Page) => page.getByRole('navigation', { name: 'Pages' });
    const exchangePage = async (username: string) => {
      const page = await suite.at(username);
      await nav(page).getByRole('button', { name: 'Exchange' }).click();
      await page.getByRole('heading', { name: 'Exchange', level: 1 }).waitFor();
      return page;
    };
    const cells = async (row: ReturnType<Page['getByRole']>) =>
      (await row.locator('th, td').allTextContents()).map((t) => t.trim());

    test('an administrator reads the identity, copies the key and proposes a partner; the digest is shown', async () => {
      const page = await exchangePage('administrator');
      await page
        .context()
        .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
      const identity = page.getByRole('region', { name: 'This administration' });
      await identity.getByText('NL', { exact: true }).waitFor();
      const published = await suite.server.request('GET', '/api/exchange/public-key');
      await identity.getByRole('button', { name: 'Copy public key' }).click();
      await identity.getByRole('status').getByText('Public key copied.').waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), published.body.publicKey);

      const form = page.getByRole('form', { name: 'Propose a partner' });
      await form.getByLabel('Code').fill('KR');
      await form.getByLabel('Name').fill('Korea Customs Service');
      await form.getByLabel('Endpoint').fill('ftp://customs.example/inbox');
      await form.getByLabel('Agreement reference').fill('MoU NL-KR 2026/1');
      await form.getByLabel('In force from').fill('2026-01-01');
      await form.getByLabel('Public key').fill(kr.publicKeyPem);
      await assertEveryInputLabelled(page);
      await form.getByRole('button', { name: 'Propose' }).click();
      // the refusal is said at its field, which gets the focus
      const endpoint = form.getByLabel('Endpoint');
      await form.getByRole('alert').getByText('endpoint must be an http(s) URL').waitFor();
      assert.equal(await endpoint.getAttribute('aria-invalid'), 'true');
      assert.equal(
        await page.evaluate('document.activeElement.labels[0].textContent'),
        'Endpoint',
        'the refused field has the focus',
      );
      await screenshot(page, 'administrator-exchange-refused');

      await endpoint.fill(partnerEndpoint);
      await form.getByRole('button', { name: 'Propose' }).click();
      const shown = form.getByRole('status').locator('code');
      await shown.waitFor();
      const digest = (await shown.textContent())?.trim();
      const listed = await suite.server.request('GET', '/api/exchange/partners', {
        token: suite.tokens.administrator,
      });
      const proposals = listed.body.proposals as {
        terms: { code: string; endpoint: string };
        digest: string;
      }[];
      assert.equal(proposals.length, 1);
      assert.equal(proposals[0]?.terms.endpoint, partnerEndpoint);
      assert.equal(digest, proposals[0]?.digest);
      // the proposer sees the digest to pass on, and no way to confirm their own terms
      const proposal = page.getByRole('article', { name: 'KR · Korea Customs Service' });
      await proposal.getByText('You proposed these terms.').waitFor();
      assert.equal(await proposal.getByRole('button', { name: 'Confirm KR' }).count(), 0);
      await assertContrast(page);
      await screenshot(page, 'administrator-exchange-proposed');
      await page.close();
    });

    test('a second administrator is refused a wrong digest, confirms with the right one, and the partner is in force', async () => {
      const listed = await suite.server.request('GET', '/api/exchange/partners', {
        token: suite.tokens.administrator,
      });
      const [proposed] = listed.body.proposals as { digest: string }[];
      assert.ok(proposed);
      const page = await exchangePage('admin-two');
      const proposal = page.getByRole('article', { name: 'KR · Korea Customs Service' });
      await proposal.getByText(partnerEndpoint).waitFor();
      const confirm = proposal.getByRole('form', { name: 'Confirm KR' });
      const digest = confirm.getByLabel('Digest');
      await digest.fill('0'.repeat(64));
      await confirm.getByRole('button', { name: 'Confirm KR' }).click();
      await confirm
        .getByRole('alert')
        .getByText(/This digest is not that of the terms shown/)
        .waitFor();
      assert.equal(await digest.getAttribute('aria-invalid'), 'true');
      await digest.fill(proposed.digest.slice(0, 20));
      await confirm.getByRole('button', { name: 'Confirm KR' }).click();
      await confirm
        .getByRole('alert')
        .getByText(/64 characters/)
        .waitFor();
      const before = await suite.server.request('GET', '/api/exchange/partners', {
        token: suite.tokens.administrator,
      });
      assert.deepEqual(before.body.partners, []);

      await digest.fill(proposed.digest);
      await confirm.getByRole('button', { name: 'Confirm KR' }).click();
      await page.getByRole('status').getByText('KR is in force.').waitFor();
      const row = page.getByRole('table', { name: 'In force' }).getByRole('row', { name: /^KR / });
      await row.waitFor();
      const [code, name, exchanged, agreement, inForce, endpoint, proposer, confirmed] = await cells(row);
      assert.deepEqual(
        [code, name, exchanged, agreement, inForce, endpoint, proposer],
        [
          'KR',
          'Korea Customs Service',
          'export declaration',
          'MoU NL-KR 2026/1',
          'from 1 Jan 2026',
          partnerEndpoint,
          'administrator',
        ],
      );
      assert.match(confirmed ?? '', /^by admin-two, /);
      await page.getByText('No proposal is waiting.').waitFor();
      const partners = await suite.server.request('GET', '/api/exchange/partners', {
        token: suite.tokens.administrator,
      });
      assert.deepEqual(
        (partners.body.partners as { code: string; confirmedBy: string }[]).map((p) => [
          p.code,
          p.confirmedBy,
        ]),
        [['KR', 'admin-two']],
      );
      await screenshot(page, 'administrator-exchange-confirmed');
      await page.close();
    });

    test("the outbox shows each message's state, attempts and last error, and narrows to the failed ones", async () => {
      const lodged = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration({ type: 'EX', procedure: '1000' }),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      const declarationId = Number(lodged.body.id);
      // as the sender leaves them (none is due, so the running sender leaves them alone)
      const rows = [
        ['acknowledged', 1, null],
        ['failed', 3, 'refused by the partner: 403 message_type_not_agreed'],
        ['pending', 2, 'not delivered: connect ECONNREFUSED 127.0.0.1:9'],
      ] as const;
      for (const [state, attempts, error] of rows) {
        outbox[state] = randomUUID();
        await suite.ctx.db.query(
          `INSERT INTO exchange_outbox (id, receiver, type, declaration_id, content_type, payload, state, attempts,
             last_error, last_sent_at, acknowledged_at, next_attempt_at, created_at)
           VALUES ($1, 'KR', 'export_declarations', $2, 'application/xml', $3, $4, $5, $6, now(),
             CASE WHEN $4 = 'acknowledged' THEN now() END, now() + interval '1 day', now() - make_interval(mins => $5))`,
          [outbox[state], declarationId, Buffer.from('<Declaration/>'), state, attempts, error],
        );
      }
      const page = await exchangePage('administrator');
      const table = page.getByRole('table', { name: 'Outbox' });
      await table.locator('tbody tr').nth(2).waitFor();
      const states = await table
        .locator('tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
        );
      // newest first: acknowledged, pending, failed
      assert.deepEqual(
        states.map(([receiver, type, declaration, state, attempts, , , error]) => [
          receiver,
          type,
          declaration,
          state,
          attempts,
          error,
        ]),
        [
          ['KR', 'export declaration', `Declaration ${declarationId}`, 'acknowledged', '1', '—'],
          ['KR', 'export declaration', `Declaration ${declarationId}`, 'pending', '2', rows[2][2]],
          ['KR', 'export declaration', `Declaration ${declarationId}`, 'failed', '3', rows[1][2]],
        ],
      );
      const outboxSection = page.getByRole('region', { name: 'Outbox' });
      await outboxSection.getByLabel('State').selectOption('failed');
      await outboxSection.getByRole('status').getByText('1 failed message.').waitFor();
      assert.equal(await table.locator('tbody tr').count(), 1);
      assert.deepEqual((await cells(table.locator('tbody tr').first())).slice(3, 5), ['failed', '3']);
      await assertContrast(page);
      // the failed message sent again: pending, its attempts counted afresh
      await table.getByRole('button', { name: `Retry the message to KR (${outbox.failed})` }).click();
      await table.locator('tbody tr').first().locator('.status.pending').waitFor();
      assert.deepEqual((await cells(table.locator('tbody tr').first())).slice(3, 5), ['pending', '0']);
      const [stored] = await suite.ctx.db.query<{ state: string }>(
        'SELECT state FROM exchange_outbox WHERE id = $1',
        [outbox.failed],
      );
      assert.notEqual(stored?.state, 'failed');
      await outboxSection.getByLabel('State').selectOption('sending');
      await outboxSection.getByRole('status').getByText('No sending message.').waitFor();
      await screenshot(page, 'administrator-exchange-outbox');
      await page.close();
    });

    test('the outbox shows more messages a page at a time, each once, until there are no more', async () => {
      // 52 older messages: with the 3 above, one full page of 50 and a second of 5
      await suite.ctx.db.query(
        `INSERT INTO exchange_outbox (id, receiver, type, content_type, payload, state, next_attempt_at, created_at)
         SELECT gen_random_uuid(), 'KR', 'export_declarations', 'application/xml', '\\x00'::bytea, 'pending',
           now() + interval '1 day', now() - interval '1 day' - make_interval(mins => n)
         FROM generate_series(1, 52) AS n`,
      );
      const page = await exchangePage('administrator');
      const section = page.getByRole('region', { name: 'Outbox' });
      await section.getByRole('status').getByText('The newest 50 messages shown.').waitFor();
      await section.getByRole('button', { name: 'More' }).click();
      await section.getByRole('status').getByText('55 messages.').waitFor();
      const ids = await section
        .getByRole('table', { name: 'Outbox' })
        .locator('tbody tr td:nth-of-type(1)')
        .count();
      assert.equal(ids, 55);
      assert.equal(await section.getByRole('button', { name: 'More' }).count(), 0, 'no page after the last');
      await page.close();
    });

    test('the inbox shows a message the partner signed, unmatched, with its schema findings counted, then the import it matched', async () => {
      const payload = exportPayload(
        aDeclaration({
          type: 'EX',
          procedure: '1000',
          destinationCountry: 'NL',
          ucr: 'WEB-UCR-1',
        }) as unknown as DeclarationInput,
      )
        .toString('utf8')
        .replace('<TypeCode>EX</TypeCode>', '<TypeCode>EX</TypeCode><Unknown>1</Unknown>');
      const id = randomUUID();
      const sentAt = new Date().toISOString();
      const posted = await suite.server.request('POST', '/api/exchange/inbox', {
        body: signMessage(
          {
            id,
            sender: 'KR',
            receiver: 'NL',
            type: 'export_declarations',
            timestamp: sentAt,
            contentType: 'application/xml',
          },
          Buffer.from(payload),
          kr,
        ),
      });
      assert.equal(posted.status, 200, JSON.stringify(posted.body));
      const page = await exchangePage('administrator');
      const inbox = page.getByRole('region', { name: 'Inbox' });
      const row = inbox
        .getByRole('table', { name: 'Inbox' })
        .getByRole('row', { name: new RegExp(`^KR ${id}`) });
      await row.waitFor();
      const [sender, shownId, type, , , match, matchedTo, findings] = await cells(row);
      assert.deepEqual(
        [sender, shownId, type, match, matchedTo, findings],
        ['KR', id, 'export declaration', 'unmatched', '—', '1'],
      );
      await inbox.getByLabel('Match').selectOption('matched');
      await inbox.getByRole('status').getByText('No matched message.').waitFor();
      await inbox.getByLabel('Match').selectOption('unmatched');
      await inbox.getByRole('status').getByText('1 unmatched message.').waitFor();
      await screenshot(page, 'administrator-exchange-inbox');
      // an import of the same UCR matches it: the inbox names that import, as text (an
      // administrator does not read declarations)
      const reference = `WEB-IMPORT-${process.pid}`;
      const lodged = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration({ ucr: 'WEB-UCR-1', functionalReference: reference, dispatchCountry: 'KR' }),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      await inbox.getByLabel('Match').selectOption('matched');
      await inbox.getByRole('status').getByText('1 matched message.').waitFor();
      const [, , , , , nowMatched, importShown] = await cells(row);
      assert.deepEqual(
        [nowMatched, importShown],
        ['matched', `Declaration ${lodged.body.id} · ${reference}`],
      );
      assert.equal(await row.getByRole('link').count(), 0);
      await page.close();
    });

    test('other roles have no Exchange in the navigation, and its address leads elsewhere', async () => {
      for (const username of ['officer', 'risk-analyst', 'trader']) {
        const page = await suite.at(username);
        await nav(page).getByRole('button').first().waitFor();
        assert.equal(await nav(page).getByRole('button', { name: 'Exchange' }).count(), 0);
        const asked: string[] = [];
        page.on('request', (r) => asked.push(r.url()));
        await page.goto(`${suite.server.url}/exchange`);
        await page.getByRole('button', { name: 'Sign out' }).waitFor();
        await page.waitForLoadState('networkidle');
        assert.equal(await page.getByRole('heading', { name: 'Exchange', level: 1 }).count(), 0);
        assert.deepEqual(
          asked.filter((u) => /\/api\/exchange\/(partners|outbox|inbox)/.test(u)),
          [],
        );
        await page.close();
      }
      for (const path of ['/api/exchange/partners', '/api/exchange/outbox', '/api/exchange/inbox']) {
        const refused = await suite.server.request('GET', path, { token: suite.tokens.risk_analyst });
        assert.equal(refused.status, 403, path);
      }
    });
  });
}
