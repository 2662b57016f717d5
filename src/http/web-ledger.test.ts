/**
 * The ledger page in a real browser against the real server: an auditor opens it from the
 * navigation, narrows the entries by typing an action (kept in the address, so a reload shows the
 * same), opens an entry with the keyboard, verifies the chain, and downloads a checkpoint as the
 * JSON file partners receive; an entry altered directly in the database is named by the page's
 * verification; a trader neither sees the page nor reaches it. Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { makeCheckpoint, type Checkpoint } from '../governance/ledger/checkpoints.ts';
import { sealPending } from '../governance/ledger/seal.ts';
import { loadOrCreateSigner } from '../governance/ledger/signing.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, storageTargets } from '../testing/harness.ts';

interface Entry {
  seq: number;
  at: string;
  action: string;
  subjectId: string | null;
  hash: string;
  prevHash: string;
  data: unknown;
}

for (const target of storageTargets()) {
  describe(`the ledger page in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let checkpoint: Checkpoint;

    before(async () => {
      for (const date of ['2026-03-02', '2026-03-03']) {
        const res = await suite.server.request('POST', '/api/declarations', {
          token: suite.tokens.trader,
          body: aDeclaration({ date }),
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      const made = await makeCheckpoint(
        suite.ctx.db,
        await loadOrCreateSigner(suite.ctx.config.ledgerKeyFile),
      );
      assert.ok(made.made, JSON.stringify(made));
      checkpoint = made.checkpoint;
    });

    const lodgedEntries = async () => {
      const res = await suite.server.request('GET', '/api/ledger?action=declaration.lodged', {
        token: suite.tokens.auditor,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items as Entry[];
    };
    const nav = (page: Page) => page.getByRole('navigation', { name: 'Pages' });
    /** Hashes, signatures and data wrap: the page never scrolls sideways. */
    const assertNoSidewaysScroll = async (page: Page) => {
      const [scroll, width] = (await page.evaluate(
        '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
      )) as [number, number];
      assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px window`);
    };

    test('an auditor filters by action, opens an entry, verifies the ledger and downloads a checkpoint', async () => {
      const lodged = await lodgedEntries();
      assert.equal(lodged.length, 2);
      const page = await suite.at('auditor');
      await nav(page).getByRole('button', { name: 'Ledger' }).click();
      await page.getByRole('heading', { name: 'Ledger', level: 1 }).waitFor();
      const entries = page.getByRole('table', { name: 'Entries' });
      await entries.locator('tbody tr').first().waitFor();
      assert.ok((await entries.locator('tbody tr').count()) > lodged.length);

      // typed, then Enter: the filter goes into the address
      const action = page.getByLabel('Action');
      await action.click();
      await action.pressSequentially('declaration.lodged');
      await action.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('action') === 'declaration.lodged');
      await entries.getByRole('button', { name: `Entry ${lodged[1]?.seq}` }).waitFor();
      const rows = entries.locator('tbody tr');
      assert.equal(await rows.count(), 2);
      assert.deepEqual(
        (await rows.locator('td:nth-child(4)').allTextContents()).map((t) => t.trim()),
        ['declaration.lodged', 'declaration.lodged'],
      );
      // a link reproduces the filter
      await page.reload();
      await entries.getByRole('button', { name: `Entry ${lodged[0]?.seq}` }).waitFor();
      assert.equal(await rows.count(), 2);
      assert.equal(await page.getByLabel('Action').inputValue(), 'declaration.lodged');

      // an entry opens with the keyboard, its heading takes the focus, Escape puts it away
      const entry = lodged[0];
      assert.ok(entry);
      await entries.getByRole('button', { name: `Entry ${entry.seq}` }).focus();
      await page.keyboard.press('Enter');
      const detail = page.getByRole('article', { name: `Entry ${entry.seq}` });
      await detail.waitFor();
      assert.equal(await page.evaluate('document.activeElement?.textContent'), `Entry ${entry.seq}`);
      const detailText = (await detail.textContent()) ?? '';
      assert.ok(detailText.includes(entry.hash), 'the hash');
      assert.ok(detailText.includes(entry.prevHash), 'the previous hash');
      assert.deepEqual(JSON.parse((await detail.locator('pre').textContent()) ?? ''), entry.data);
      await assertNoSidewaysScroll(page);
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'auditor-ledger-entry');
      await page.keyboard.press('Escape');
      await detail.waitFor({ state: 'detached' });

      // verification on demand
      await page.getByRole('button', { name: 'Verify the ledger' }).click();
      const verdict = page.getByRole('status').getByText(/The ledger is intact\./);
      await verdict.waitFor();
      const said = (await page.getByRole('status').textContent()) ?? '';
      const checked = /The ledger is intact\. ([\d,]+) entries and (\d+) checkpoints? checked\./.exec(said);
      assert.ok(checked, said);
      assert.ok(Number(checked[1]?.replace(/,/g, '')) >= checkpoint.toSeq, said);
      assert.ok(Number(checked[2]) >= 1, said);

      // the checkpoints, with their signatures, each to download
      const listed = page.getByRole('table', { name: 'Checkpoints' });
      const row = listed.getByRole('row', {
        name: new RegExp(`^${checkpoint.fromSeq}–${checkpoint.toSeq} `),
      });
      await row.waitFor();
      assert.ok(((await row.textContent()) ?? '').includes(checkpoint.signature), 'the signature');
      assert.ok(((await row.textContent()) ?? '').includes(checkpoint.merkleRoot), 'the Merkle root');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        row.getByRole('link', { name: `Download entries ${checkpoint.fromSeq}–${checkpoint.toSeq}` }).click(),
      ]);
      assert.equal(
        download.suggestedFilename(),
        `clearway-checkpoint-${checkpoint.fromSeq}-${checkpoint.toSeq}.json`,
      );
      const saved = JSON.parse(await readFile(await download.path(), 'utf8')) as Record<string, unknown>;
      for (const field of [
        'fromSeq',
        'toSeq',
        'lastHash',
        'merkleRoot',
        'signedAt',
        'keyId',
        'signature',
      ] as const)
        assert.deepEqual(saved[field], checkpoint[field], field);
      assert.match(String(saved.publicKey), /BEGIN PUBLIC KEY/);
      await assertNoSidewaysScroll(page);
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'auditor-ledger-verified');

      // a link with a subject and a time range: the form shows them, the list only what they match
      const about = lodged[1];
      assert.ok(about?.subjectId);
      await page.goto(
        `${suite.server.url}/ledger?subjectKind=declaration&subjectId=${about.subjectId}&from=${encodeURIComponent(about.at)}`,
      );
      await entries.getByRole('button', { name: `Entry ${about.seq}` }).waitFor();
      assert.equal(await page.getByLabel('Subject kind').inputValue(), 'declaration');
      assert.equal(await page.getByLabel('Subject id').inputValue(), about.subjectId);
      assert.notEqual(await page.getByLabel('From').inputValue(), '');
      assert.equal(await page.getByLabel('Before').inputValue(), '');
      const subjects = (await rows.locator('td:nth-child(5)').allTextContents()).map((t) => t.trim());
      assert.ok(subjects.length >= 2, 'lodged and assessed');
      assert.deepEqual(new Set(subjects), new Set([`declaration ${about.subjectId}`]));
      await page.getByRole('button', { name: 'Show all' }).click();
      await page.waitForURL((url) => url.pathname === '/ledger' && url.search === '');
      assert.equal(await page.getByLabel('Subject id').inputValue(), '');
      await page.close();
    });

    test('a trader has no Ledger in the navigation, and its address leads elsewhere', async () => {
      const page = await suite.at('trader');
      await nav(page).getByRole('button').first().waitFor();
      assert.equal(await nav(page).getByRole('button', { name: 'Ledger' }).count(), 0);
      const asked: string[] = [];
      page.on('request', (r) => asked.push(r.url()));
      await page.goto(`${suite.server.url}/ledger?action=declaration.lodged`);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.getByRole('heading', { name: 'Ledger' }).count(), 0);
      assert.deepEqual(
        asked.filter((u) => u.includes('/api/ledger')),
        [],
      );
      await page.close();
      const refused = await suite.server.request('GET', '/api/ledger', { token: suite.tokens.trader });
      assert.equal(refused.status, 403);
    });

    test('an entry altered in the database is named by the page, and opens to show what it now says', async () => {
      await sealPending(suite.ctx.db);
      const target = (await lodgedEntries())[1];
      assert.ok(target);
      const [kept] = await suite.ctx.db.query<{ data: string }>('SELECT data FROM ledger WHERE seq = $1', [
        target.seq,
      ]);
      assert.ok(kept);
      await suite.ctx.db.query(`UPDATE ledger SET data = '{"tampered":true}' WHERE seq = $1`, [target.seq]);
      try {
        const page = await suite.at('auditor', '/ledger');
        await page.getByRole('heading', { name: 'Ledger', level: 1 }).waitFor();
        await page.getByRole('button', { name: 'Verify the ledger' }).click();
        const alert = page.locator('.verdict.broken');
        await alert.waitFor();
        assert.equal(await alert.getAttribute('role'), 'alert');
        const said = (await alert.textContent()) ?? '';
        assert.match(said, new RegExp(`The ledger is broken at entry ${target.seq}: entry altered\\.`));
        assert.match(said, new RegExp(`${target.seq - 1} entries checked before it`));
        assert.match(said, new RegExp(`ledger entry ${target.seq}`), 'the message names the entry');
        await alert.getByRole('button', { name: `Open entry ${target.seq}` }).click();
        const detail = page.getByRole('article', { name: `Entry ${target.seq}` });
        await detail.waitFor();
        assert.deepEqual(JSON.parse((await detail.locator('pre').textContent()) ?? ''), { tampered: true });
        await assertNoSidewaysScroll(page);
        await assertContrast(page);
        await screenshot(page, 'auditor-ledger-broken');
        await page.close();
      } finally {
        await suite.ctx.db.query('UPDATE ledger SET data = $2 WHERE seq = $1', [target.seq, kept.data]);
      }
      const verified = await suite.server.request('GET', '/api/ledger/verify', {
        token: suite.tokens.auditor,
      });
      assert.equal(verified.body.ok, true, JSON.stringify(verified.body));
    });
  });
}
