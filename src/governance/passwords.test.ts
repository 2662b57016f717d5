import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  openTestContext,
  startTestServer,
  storageTargets,
  testPassword,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import {
  hashPassword,
  isUsableHash,
  needsRehash,
  productionParams,
  usePasswordCostForTests,
  verifyPassword,
} from './passwords.ts';
import { Role } from './roles.ts';
import { createUser } from './users.ts';

// this file checks the parameters the server uses, not the cheaper ones the harness sets for tests
usePasswordCostForTests(productionParams.N);

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');

describe('password hashes', () => {
  test('a hash in the stored format checks against the scrypt test vector of RFC 7914', async () => {
    // RFC 7914 section 12: P = "pleaseletmein", S = "SodiumChloride", N = 16384, r = 8, p = 1
    // (the first 32 bytes of its 64-byte output; scrypt's last step is PBKDF2, whose first block
    // does not depend on the length asked for)
    const salt = Buffer.from('SodiumChloride').toString('base64url');
    const key = b64('7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2');
    const stored = `scrypt$16384$8$1$${salt}$${key}`;
    assert.equal(await verifyPassword('pleaseletmein', stored), true);
    assert.equal(await verifyPassword('pleaseletmeim', stored), false);
  });

  test('new hashes use N = 2^17, r = 8, p = 1 and carry them', async () => {
    const stored = await hashPassword(testPassword);
    assert.match(stored, /^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.equal(await verifyPassword(testPassword, stored), true);
    assert.equal(needsRehash(stored), false);
  });

  test('a hash made with older parameters is marked for replacement', async () => {
    assert.equal(needsRehash(await hashPassword(testPassword, { N: 2 ** 14, r: 8, p: 1 })), true);
  });

  const unusable = [
    ['another scheme', 'bcrypt$2b$10$abc'],
    ['an N that is not a power of two', 'scrypt$100000$8$1$c2FsdA$a2V5'],
    ['an N too large to compute', 'scrypt$1073741824$8$1$c2FsdA$a2V5'],
    ['a p of zero', 'scrypt$16384$8$0$c2FsdA$a2V5'],
    ['an N and r that would need 2 GiB', 'scrypt$1048576$16$1$c2FsdA$a2V5'],
    ['an N and p that would take 16 passes of 1 GiB', 'scrypt$1048576$8$16$c2FsdA$a2V5'],
    ['parts missing', 'scrypt$16384$8$1$c2FsdA'],
  ] as const;
  for (const [what, stored] of unusable) {
    test(`a stored hash with ${what} is not computed and matches no password, without an error`, async () => {
      assert.equal(isUsableHash(stored), false);
      assert.equal(await verifyPassword(testPassword, stored), false);
      assert.equal(needsRehash(stored), true);
    });
  }
});

for (const target of storageTargets()) {
  describe(`older password hashes are replaced at sign-in (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    const storedHash = async () =>
      (
        await ctx.db.query<{ hash: string }>(
          `SELECT password_hash AS hash FROM users WHERE username = 'old-hash'`,
        )
      )[0]?.hash ?? '';

    before(async () => {
      ctx = await openTestContext(target);
      const made = await ctx.db.transaction((tx) =>
        createUser(tx, { username: 'old-hash', password: testPassword, role: Role.Auditor }),
      );
      assert.ok(made.ok);
      const old = await hashPassword(testPassword, { N: 2 ** 14, r: 8, p: 1 });
      await ctx.db.query(`UPDATE users SET password_hash = $1 WHERE username = 'old-hash'`, [old]);
      server = await startTestServer(ctx);
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
    });

    const signIn = (password: string) =>
      server.request('POST', '/api/auth/login', { body: { username: 'old-hash', password } });

    test('a wrong password leaves the older hash as it is', async () => {
      assert.equal((await signIn('not the password')).status, 401);
      assert.match(await storedHash(), /^scrypt\$16384\$/);
    });

    test('the next successful sign-in stores a hash with the current parameters, which then signs in', async () => {
      assert.equal((await signIn(testPassword)).status, 200);
      const stored = await storedHash();
      assert.match(stored, /^scrypt\$131072\$8\$1\$/);
      assert.equal((await signIn(testPassword)).status, 200);
      assert.equal(await storedHash(), stored, 'a current hash is not replaced again');
    });
  });
}
