/** `clearway tokens list|revoke` and `clearway users disable|enable|change`, run as child processes. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { storageTargets } from '../testing/harness.ts';
import { clearway } from '../testing/cli-process.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';

const password = 'a long pass phrase from stdin';

for (const target of storageTargets()) {
  describe(`clearway tokens and users disable on ${target}`, () => {
    let store: EmptyStore;
    let first = '';
    let second = '';
    const run = (args: string[], stdin?: string) => clearway(store.env, args, { stdin });
    /** Whether a token still authenticates: unrevoked, unexpired, of an enabled user. */
    const works = async (token: string): Promise<boolean> => {
      // opened and closed each time: an open PGlite folder is locked against the command
      const db = await store.open();
      const rows = await db.query(
        `SELECT 1 FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND NOT u.disabled`,
        [createHash('sha256').update(token).digest('base64url')],
      );
      await db.close();
      return rows.length === 1;
    };

    before(async () => {
      store = await emptyStore(target);
      const created = await run(
        [
          'users',
          'create',
          '--username',
          'system-t',
          '--role',
          'trader',
          '--trader',
          'T1',
          '--password-stdin',
        ],
        `${password}\n`,
      );
      assert.equal(created.code, 0, created.stderr);
      first = (await run(['tokens', 'create', '--user', 'system-t', '--name', 'first'])).stdout.trim();
      second = (
        await run(['tokens', 'create', '--user', 'system-t', '--name', 'second', '--days', '7'])
      ).stdout.trim();
      assert.match(first, /^cw_/);
      assert.match(second, /^cw_/);
    });
    after(async () => {
      await store?.dispose();
    });

    test('tokens list shows each token with its status and expiry, never the token', async () => {
      const listed = await run(['tokens', 'list', '--user', 'system-t', '--json']);
      assert.equal(listed.code, 0, listed.stderr);
      assert.ok(!listed.stdout.includes(first.slice(3)) && !listed.stdout.includes(second.slice(3)));
      const rows = listed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { name: string; status: string; expiresAt: string });
      assert.deepEqual(
        rows.map((r) => [r.name, r.status]),
        [
          ['second', 'active'],
          ['first', 'active'],
        ],
      );
      const days = (r: { expiresAt: string }) =>
        Math.round((Date.parse(r.expiresAt) - Date.now()) / 86_400_000);
      assert.deepEqual(rows.map(days), [7, 90]);
    });

    test('tokens revoke ends one token and leaves the other', async () => {
      const listed = await run(['tokens', 'list', '--user', 'system-t']);
      const firstLine = listed.stdout.split('\n').find((line) => line.split('\t')[1] === 'first');
      const id = firstLine?.split('\t')[0] ?? '';
      const revoked = await run(['tokens', 'revoke', '--user', 'system-t', '--id', id]);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.deepEqual([await works(first), await works(second)], [false, true]);
      const again = await run(['tokens', 'revoke', '--user', 'system-t', '--id', id]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /revoked already/);
    });

    test('users disable revokes the tokens left; users enable does not bring them back', async () => {
      const disabled = await run(['users', 'disable', 'system-t']);
      assert.equal(disabled.code, 0, disabled.stderr);
      // the second token; the first was revoked before
      assert.equal(disabled.stdout, 'disabled system-t: 0 sessions ended, 1 tokens revoked\n');
      assert.equal(await works(second), false);
      const listed = await run(['users', 'list']);
      assert.match(listed.stdout, /^system-t\ttrader\tT1\t.*\tdisabled$/m);
      const enabled = await run(['users', 'enable', 'system-t']);
      assert.equal(enabled.code, 0, enabled.stderr);
      assert.equal(await works(second), false);
      assert.doesNotMatch((await run(['users', 'list'])).stdout, /disabled/);
    });

    test('users change gives a new role and party, ending the tokens of what the user was', async () => {
      const token = (await run(['tokens', 'create', '--user', 'system-t', '--name', 'before'])).stdout.trim();
      assert.equal(await works(token), true);
      const changed = await run([
        'users',
        'change',
        'system-t',
        '--role',
        'declarant',
        '--party',
        'B9',
        '--represents',
        'T2,T1',
      ]);
      assert.equal(changed.code, 0, changed.stderr);
      assert.equal(
        changed.stdout,
        'system-t is now declarant, party B9, represents T1, T2; 0 sessions ended, 1 tokens revoked\n',
      );
      assert.equal(await works(token), false);
      assert.match((await run(['users', 'list'])).stdout, /^system-t\tdeclarant\tB9\t-$/m);
      const refused = await run(['users', 'change', 'system-t', '--role', 'officer', '--represents', 'T1']);
      assert.equal(refused.code, 1);
      assert.equal(refused.stderr, 'clearway users change: only a declarant represents traders\n');
    });

    const usage = [
      ['tokens revoke without --id', ['tokens', 'revoke', '--user', 'system-t'], /--id is required/],
      [
        'tokens revoke with an id that is no plain number',
        ['tokens', 'revoke', '--user', 'system-t', '--id', '1e3'],
        /--id must be a whole number/,
      ],
      [
        'tokens create beyond the longest lifetime',
        ['tokens', 'create', '--user', 'system-t', '--days', '366'],
        /1 to 365 days/,
      ],
      ['users disable without a name', ['users', 'disable'], /usage: clearway users disable USERNAME/],
      ['users change without a change', ['users', 'change', 'system-t'], /nothing to change/],
      [
        'users change without a name',
        ['users', 'change', '--role', 'auditor'],
        /usage: clearway users change/,
      ],
    ] as const;
    for (const [what, args, message] of usage) {
      test(`${what} is refused in one line`, async () => {
        const refused = await run([...args]);
        assert.notEqual(refused.code, 0);
        assert.match(refused.stderr, message);
        assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
      });
    }

    test('a user that does not exist is named', async () => {
      const refused = await run(['users', 'disable', 'nobody-here']);
      assert.equal(refused.code, 1);
      assert.equal(refused.stderr, 'clearway users disable: no user named nobody-here\n');
    });
  });
}
