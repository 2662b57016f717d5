/** `clearway exchange`, run as a subprocess against a fresh store on each engine. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { storageTargets } from '../testing/harness.ts';
import { clearway } from '../testing/cli-process.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';

for (const target of storageTargets()) {
  describe(`clearway exchange (${target})`, () => {
    let store: EmptyStore;
    let env: Record<string, string>;
    let keyFile: string;

    before(async () => {
      store = await emptyStore(target);
      env = { ...store.env, CLEARWAY_ADMINISTRATION: 'AA' };
      keyFile = path.join(store.env.CLEARWAY_DATA_DIR ?? '', 'bb.pem');
      const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
      await writeFile(keyFile, pem);
      for (const name of ['ada', 'bob']) {
        const made = await clearway(
          env,
          ['users', 'create', '--username', name, '--role', 'administrator', '--password-stdin'],
          {
            stdin: 'a long enough password 1\n',
          },
        );
        assert.equal(made.code, 0, made.stderr);
      }
    });
    after(() => store.dispose());

    const propose = (as: string, extra: string[] = []) =>
      clearway(env, [
        'exchange',
        'partners',
        'propose',
        '--as',
        as,
        '--code',
        'BB',
        '--name',
        'Customs BB',
        '--endpoint',
        'https://bb.example/api/exchange/inbox',
        '--public-key-file',
        keyFile,
        '--agreement',
        'MoU 7',
        '--from',
        '2026-01-01',
        ...extra,
      ]);

    test('a partner proposed by one administrator is in force once another confirms it', async () => {
      const proposed = await propose('ada');
      assert.equal(proposed.code, 0, proposed.stderr);
      assert.match(proposed.stdout, /proposed BB: pending/);
      const digest = /--digest ([0-9a-f]{64})/.exec(proposed.stdout)?.[1] ?? '';
      assert.ok(digest, proposed.stdout);
      const listed = await clearway(env, ['exchange', 'partners', 'list']);
      assert.match(listed.stdout, new RegExp(`^BB\\tpending \\(proposed by ada, digest ${digest}\\)`, 'm'));
      const confirm = (as: string, d: string) =>
        clearway(env, ['exchange', 'partners', 'confirm', 'BB', '--as', as, '--digest', d]);
      const own = await confirm('ada', digest);
      assert.equal(own.code, 1);
      assert.match(own.stderr, /another administrator must confirm/);
      const stale = await confirm('bob', 'f'.repeat(64));
      assert.equal(stale.code, 1);
      assert.match(stale.stderr, /is not the one reviewed/);
      assert.doesNotMatch(stale.stderr, new RegExp(digest), 'a refusal never tells the current digest');
      const unnamed = await clearway(env, ['exchange', 'partners', 'confirm', 'BB', '--as', 'bob']);
      assert.notEqual(unnamed.code, 0);
      assert.match(unnamed.stderr, /--digest is required/);
      const confirmed = await confirm('bob', digest);
      assert.equal(confirmed.code, 0, confirmed.stderr);
      const json = await clearway(env, ['exchange', 'partners', 'list', '--json']);
      const partner = JSON.parse(json.stdout.trim()) as Record<string, unknown>;
      assert.equal(partner.status, 'confirmed');
      assert.equal(partner.proposedBy, 'ada');
      assert.equal(partner.confirmedBy, 'bob');
    });

    test('a proposal by someone who is not an administrator, or with bad terms, is refused', async () => {
      const stranger = await propose('mallory');
      assert.equal(stranger.code, 1);
      assert.match(stranger.stderr, /no user mallory/);
      const late = await propose('ada', ['--to', '2025-01-01']);
      assert.equal(late.code, 1);
      assert.match(late.stderr, /validTo is before validFrom/);
      const plain = await propose('ada', ['--endpoint', 'http://bb.example/api/exchange/inbox']);
      assert.equal(plain.code, 1);
      assert.match(plain.stderr, /endpoint must be an https URL/);
      const internal = await propose('ada', ['--endpoint', 'https://169.254.169.254/latest/meta-data']);
      assert.equal(internal.code, 1);
      assert.match(internal.stderr, /loopback, link-local or private/);
      const missing = await clearway(env, ['exchange', 'partners', 'propose', '--as', 'ada']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /--code is required/);
    });

    test('the outbox and inbox are listed', async () => {
      const outbox = await clearway(env, ['exchange', 'outbox', '--json']);
      assert.equal(outbox.code, 0, outbox.stderr);
      assert.equal(outbox.stdout, '');
      const inbox = await clearway(env, ['exchange', 'inbox', '--limit', '0']);
      assert.notEqual(inbox.code, 0);
      assert.match(inbox.stderr, /--limit must be a whole number above 0/);
    });

    test('a failed message is sent again by an administrator: pending, attempts from zero, on the ledger', async () => {
      const id = randomUUID();
      const db = await store.open();
      try {
        await db.query(
          `INSERT INTO exchange_outbox (id, receiver, type, content_type, payload, state, attempts, last_error)
           VALUES ($1, 'BB', 'export_declarations', 'application/xml', $2, 'failed', 20, 'HTTP 503')`,
          [id, Buffer.from('<Declaration/>')],
        );
      } finally {
        await db.close();
      }
      const stranger = await clearway(env, ['exchange', 'retry', id, '--as', 'mallory']);
      assert.equal(stranger.code, 1);
      assert.match(stranger.stderr, /no user mallory/);
      const retried = await clearway(env, ['exchange', 'retry', id, '--as', 'ada']);
      assert.equal(retried.code, 0, retried.stderr);
      assert.equal(retried.stdout, `${id}\tpending\tto BB, sent again at once\n`);
      const listed = await clearway(env, ['exchange', 'outbox', '--json']);
      const message = listed.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; state: string; attempts: number })
        .find((m) => m.id === id);
      assert.deepEqual([message?.state, message?.attempts], ['pending', 0]);
      const again = await clearway(env, ['exchange', 'retry', id, '--as', 'ada']);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /is pending: only a failed message is sent again/);
      const unknown = await clearway(env, ['exchange', 'retry', randomUUID(), '--as', 'ada']);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no message .* in the outbox/);
      const bad = await clearway(env, ['exchange', 'retry', 'not-an-id', '--as', 'ada']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /the message id is a UUID, got "not-an-id"/);
      const check = await store.open();
      try {
        const entries = await check.query<{ actor: string; data: string }>(
          `SELECT actor, data FROM ledger_pending WHERE action = 'exchange_message.requeued' AND subject_id = $1
           UNION ALL SELECT actor, data FROM ledger WHERE action = 'exchange_message.requeued' AND subject_id = $1`,
          [id],
        );
        assert.deepEqual(
          entries.map((e) => [e.actor, (JSON.parse(e.data) as { failedAttempts: number }).failedAttempts]),
          [['ada', 20]],
        );
      } finally {
        await check.close();
      }
    });

    test('the mirror statistics are a table, CSV or JSON lines, and bad options are refused', async () => {
      const table = await clearway(env, [
        'exchange',
        'mirror-statistics',
        '--from',
        '2026-01',
        '--to',
        '2026-12',
      ]);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^mirror statistics 2026-01 to 2026-12\npartner\tchapter\tmonth\tmatched/);
      const csv = await clearway(env, ['exchange', 'mirror-statistics', '--csv', '--partner', 'BB']);
      assert.equal(csv.code, 0, csv.stderr);
      assert.equal(
        csv.stdout,
        'partner,chapter,month,matched,unmatched,beyond,export_value,import_value,value_gap,currency\n',
      );
      const refusals: [string[], RegExp][] = [
        [['--from', '2026-13'], /from must be a month YYYY-MM from 1900-01 to 9999-12, got "2026-13"/],
        [['--from', '2026-05', '--to', '2026-04'], /from 2026-05 is after to 2026-04/],
        [['--partner', 'b!'], /--partner must be an administration code/],
        [['--chapter', '8'], /--chapter must be an HS chapter of two digits/],
      ];
      for (const [options, message] of refusals) {
        const refused = await clearway(env, ['exchange', 'mirror-statistics', ...options]);
        assert.notEqual(refused.code, 0, options.join(' '));
        assert.match(refused.stderr, message);
      }
    });
  });
}
