import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import { verifyDetachedJws } from './envelope.ts';

// RFC 8037 appendix A: the Ed25519 key (A.2) and the JWS of "Example of Ed25519 signing" (A.4)
const rfcKey = createPublicKey({
  key: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
  format: 'jwk',
})
  .export({ type: 'spki', format: 'pem' })
  .toString();
const rfcJws =
  'eyJhbGciOiJFZERTQSJ9..hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg';

test('the detached JWS of RFC 8037 verifies over its payload bytes', () => {
  const verified = verifyDetachedJws(rfcJws, Buffer.from('Example of Ed25519 signing'), rfcKey);
  assert.deepEqual(verified, { ok: true, header: { alg: 'EdDSA' } });
});

test('the same JWS over other bytes, or in attached form, does not verify', () => {
  assert.deepEqual(verifyDetachedJws(rfcJws, Buffer.from('Example of Ed25519 signing!'), rfcKey), {
    ok: false,
    problem: 'bad_signature',
  });
  const attached = rfcJws.replace('..', '.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.');
  assert.deepEqual(verifyDetachedJws(attached, Buffer.from('Example of Ed25519 signing'), rfcKey), {
    ok: false,
    problem: 'malformed_signature',
  });
});
