import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newSecret, secretKey, sign, verificationProblem } from './signature.ts';

// the Standard Webhooks specification's published example
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = 1614265330;
const body = '{"test": 2432232314}';

describe('Standard Webhooks signatures', () => {
  test('reproduce the specification’s example', () => {
    assert.equal(sign(secret, id, timestamp, body), 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('verify within the tolerance, and refuse a changed body, id, old timestamp or other secret', () => {
    const signature = sign(secret, id, timestamp, body);
    const headers = { id, timestamp: String(timestamp), signature };
    assert.equal(verificationProblem(secret, headers, body, timestamp + 60), null);
    // one of several signatures (a rotation) is enough
    assert.equal(
      verificationProblem(secret, { ...headers, signature: `v1,AAAA ${signature}` }, body, timestamp),
      null,
    );
    assert.equal(
      verificationProblem(secret, headers, '{"test": 2432232315}', timestamp),
      'no signature matches',
    );
    assert.equal(
      verificationProblem(secret, { ...headers, id: 'msg_other' }, body, timestamp),
      'no signature matches',
    );
    assert.equal(verificationProblem(newSecret(), headers, body, timestamp), 'no signature matches');
    assert.match(verificationProblem(secret, headers, body, timestamp + 301) ?? '', /too far/);
  });

  test('a new secret holds 32 random bytes, and a secret that is not base64 is refused', () => {
    const a = newSecret();
    assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(secretKey(a)?.length, 32);
    assert.notEqual(a, newSecret());
    assert.equal(secretKey('whsec_not base64!'), null);
    assert.throws(() => sign('whsec_###', id, timestamp, body), /not base64/);
  });
});
