import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createRoleUsers,
  openTestContext,
  startTestServer,
  storageTargets,
  testPassword,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { SignInThrottle } from './sign-in-throttle.ts';

describe('the sign-in throttle', () => {
  let clock = 0;
  const throttle = () =>
    new SignInThrottle({ perAccountAndAddress: 3, perAccount: 5, accountWindowMs: 900_000 }, () => clock);
  const tries = (t: SignInThrottle, username: string, address: string, n: number) =>
    Array.from({ length: n }, () => t.attempt(username, address).allowed);

  test('failures for one account from one address hold back only that account at that address', () => {
    const t = throttle();
    assert.deepEqual(tries(t, 'anna', '10.0.0.1', 4), [true, true, true, false]);
    assert.equal(t.attempt('bert', '10.0.0.1').allowed, true, 'another account behind the same address');
    assert.equal(t.attempt('anna', '10.0.0.2').allowed, true, 'the same account from another address');
    assert.equal(t.attempt('ANNA ', '10.0.0.1').allowed, false, 'the name is compared as the sign-in does');
  });

  test('the address may try again when the minute has passed, and is told when', () => {
    clock = 0;
    const t = throttle();
    tries(t, 'anna', '10.0.0.1', 3);
    clock = 45_000;
    assert.deepEqual(t.attempt('anna', '10.0.0.1'), {
      allowed: false,
      retryAfterSeconds: 15,
      why: 'too many failed sign-ins to this account from this address',
    });
    clock = 60_000;
    assert.equal(t.attempt('anna', '10.0.0.1').allowed, true);
  });

  test('a successful sign-in is no failure and starts the address afresh', () => {
    clock = 0;
    const t = throttle();
    tries(t, 'anna', '10.0.0.1', 2);
    t.attempt('anna', '10.0.0.1');
    t.succeeded('anna', '10.0.0.1');
    assert.deepEqual(tries(t, 'anna', '10.0.0.1', 4), [true, true, true, false]);
  });

  test('guesses at one account from many addresses are held back, except where it signed in before', () => {
    clock = 0;
    const t = throttle();
    t.attempt('anna', '192.0.2.1');
    t.succeeded('anna', '192.0.2.1');
    const spread = Array.from({ length: 6 }, (_, i) => t.attempt('anna', `198.51.100.${i}`).allowed);
    assert.deepEqual(spread, [true, true, true, true, true, false]);
    assert.equal(t.attempt('anna', '203.0.113.9').allowed, false, 'any new address');
    assert.equal(t.attempt('anna', '192.0.2.1').allowed, true, 'the address it signed in from');
    assert.equal(t.attempt('bert', '198.51.100.1').allowed, true, 'other accounts');
    clock = 900_000;
    assert.equal(t.attempt('anna', '203.0.113.9').allowed, true, 'after the window');
  });
});

for (const target of storageTargets()) {
  describe(`signing in behind proxies (${target})`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let direct: TestContext;
    let directServer: TestServer;

    before(async () => {
      ctx = await openTestContext(target, {
        CLEARWAY_TRUST_PROXY: 'true',
        CLEARWAY_LOGIN_RATE: '3',
        CLEARWAY_LOGIN_ACCOUNT_RATE: '6',
      });
      await createRoleUsers(ctx);
      server = await startTestServer(ctx);
      direct = await openTestContext(target);
      await createRoleUsers(direct);
      directServer = await startTestServer(direct);
    });
    after(async () => {
      await server?.close();
      await ctx?.dispose();
      await directServer?.close();
      await direct?.dispose();
    });

    const signIn = (
      username: string,
      password: string,
      from: string,
      headers: Record<string, string> = {},
      via = server,
    ) =>
      via.request('POST', '/api/auth/login', {
        body: { username, password },
        headers: { 'x-forwarded-for': from, ...headers },
      });

    test('wrong passwords lock out only that account from that address, not everybody behind it', async () => {
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await signIn('trader', 'wrong password', '203.0.113.5')).status);
      assert.deepEqual(statuses, [401, 401, 401]);
      const locked = await signIn('trader', testPassword, '203.0.113.5');
      assert.deepEqual([locked.status, locked.body.error], [429, 'too_many_requests']);
      assert.match(locked.headers.get('retry-after') ?? '', /^\d+$/);
      assert.equal((await signIn('auditor', testPassword, '203.0.113.5')).status, 200, 'a colleague');
      assert.equal((await signIn('trader', testPassword, '203.0.113.6')).status, 200, 'another address');
    });

    test('guessing one password from many addresses is held back, but not at the address its owner uses', async () => {
      assert.equal((await signIn('declarant', testPassword, '192.0.2.10')).status, 200);
      for (let i = 0; i < 6; i++)
        assert.equal((await signIn('declarant', 'wrong password', `198.51.100.${i}`)).status, 401);
      const refused = await signIn('declarant', testPassword, '198.51.100.99');
      assert.deepEqual([refused.status, refused.body.error], [429, 'too_many_requests']);
      assert.equal((await signIn('declarant', testPassword, '192.0.2.10')).status, 200);
    });

    test('one address may try many accounts only up to ten times the rate of one', async () => {
      const statuses = [];
      for (let i = 0; i < 31; i++)
        statuses.push((await signIn(`nobody-${i}`, 'wrong password', '203.0.113.77')).status);
      // the earlier tests' attempts came from other addresses: all 30 are answered, the 31st is not
      assert.deepEqual([statuses.slice(0, 30).every((s) => s === 401), statuses[30]], [true, 429]);
    });

    test('the session cookie is Secure when a trusted proxy says the request came over HTTPS', async () => {
      const https = await signIn('auditor', testPassword, '192.0.2.20', { 'x-forwarded-proto': 'https' });
      assert.equal(https.status, 200);
      assert.match(https.headers.get('set-cookie') ?? '', /;\s*Secure/i);
      const http = await signIn('auditor', testPassword, '192.0.2.20');
      assert.doesNotMatch(http.headers.get('set-cookie') ?? '', /;\s*Secure/i);
    });

    test('without CLEARWAY_TRUST_PROXY, forwarding headers are ignored', async () => {
      const said = await signIn(
        'auditor',
        testPassword,
        '192.0.2.30',
        { 'x-forwarded-proto': 'https' },
        directServer,
      );
      assert.equal(said.status, 200);
      assert.doesNotMatch(said.headers.get('set-cookie') ?? '', /;\s*Secure/i);
      // every attempt counts against the one real address, 127.0.0.1, whatever the header says
      const statuses = [];
      for (let i = 0; i < 11; i++)
        statuses.push((await signIn('trader', 'wrong password', `198.51.100.${i}`, {}, directServer)).status);
      assert.deepEqual(statuses.slice(-2), [401, 429]);
    });
  });
}
