/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): a secret is `whsec_` and the
 * base64 of its key bytes; a message is signed as HMAC-SHA256(key, `${id}.${timestamp}.${body}`),
 * written `v1,` and the base64 of the digest, and sent with the `webhook-id`, `webhook-timestamp`
 * (Unix seconds) and `webhook-signature` headers. Any of the convention's libraries verifies it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const prefix = 'whsec_';
/** The bytes of a new secret's key. */
const keyBytes = 32;
/** How far a receiver lets a timestamp stray from its clock, as the convention advises. */
export const toleranceSeconds = 5 * 60;

/** A new secret, `whsec_` and the base64 of 32 random bytes. */
export const newSecret = (): string => prefix + randomBytes(keyBytes).toString('base64');

/** The key bytes of a secret, with or without its `whsec_` prefix; null when it is not base64. */
export function secretKey(secret: string): Buffer | null {
  const text = secret.startsWith(prefix) ? secret.slice(prefix.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const key = Buffer.from(text, 'base64');
  return key.length > 0 ? key : null;
}

/** The `webhook-signature` value of a message. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = secretKey(secret);
  if (!key) throw new Error('the webhook secret is not base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The headers a message is sent with. */
export function webhookHeaders(secret: string, id: string, timestamp: number, body: string) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign(secret, id, timestamp, body),
  };
}

/**
 * What a receiver checks: one of the space-separated `v1,` signatures is the message's, and the
 * timestamp is within the tolerance of `nowSeconds`. Returns what is wrong, or null.
 */
export function verificationProblem(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  nowSeconds: number,
): string | null {
  if (!/^[0-9]{1,12}$/.test(headers.timestamp)) return 'the timestamp is not a number of seconds';
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'the timestamp is too far from now';
  const expected = Buffer.from(sign(secret, headers.id, timestamp, body));
  for (const given of headers.signature.split(' ')) {
    const candidate = Buffer.from(given);
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return null;
  }
  return 'no signature matches';
}
