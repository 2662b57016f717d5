/**
 * Password hashing with scrypt (memory-hard), stored as `scrypt$N$r$p$salt$hash` so that every hash
 * carries the parameters it was made with. New hashes use N = 2^17, r = 8, p = 1 (OWASP's floor);
 * a hash made with other parameters still verifies and is replaced at its next successful sign-in.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const productionParams: Readonly<ScryptParams> = { N: 2 ** 17, r: 8, p: 1 };
let current: ScryptParams = { ...productionParams };
const keyLength = 32;
/**
 * Stored hashes are read up to 1 GiB of scrypt memory times passes (128 * N * r * p: N = 2^20 with
 * r = 8 and p = 1, eight times today's cost); a hash asking for more matches nothing.
 */
const maxStoredCost = 2 ** 30;

/**
 * For tests only: hash new passwords with a cheaper N so that creating users does not dominate the
 * suite's time. Nothing in the server or the CLI calls it, and no setting reaches it.
 */
export function usePasswordCostForTests(N: number): void {
  current = { ...productionParams, N };
  decoy = undefined;
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; the limit is set just above what these parameters need
  const maxmem = 128 * params.N * params.r + 32 * 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, params: ScryptParams = current): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

interface StoredHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function parseStored(stored: string): StoredHash | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || rest.length > 0) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const powerOfTwo = Number.isInteger(params.N) && params.N > 1 && (params.N & (params.N - 1)) === 0;
  const small = (x: number) => Number.isInteger(x) && x >= 1 && x <= 16;
  if (!powerOfTwo || !small(params.r) || !small(params.p)) return null;
  if (128 * params.N * params.r * params.p > maxStoredCost) return null;
  return { params, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

/** Whether a stored hash is one Clearway computes at all (scheme, parameters and cost within bounds). */
export const isUsableHash = (stored: string): boolean => parseStored(stored) !== null;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

/** Whether a stored hash was made with other parameters than new hashes are, and should be replaced. */
export function needsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  return (
    !parsed || parsed.params.N !== current.N || parsed.params.r !== current.r || parsed.params.p !== current.p
  );
}

let decoy: Promise<string> | undefined;

/**
 * A hash to compare against when the user does not exist, made with the current parameters, so
 * that timing does not reveal usernames. Made on first use.
 */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(12).toString('hex'));
  return decoy;
}

export function checkPasswordStrength(password: string): string | null {
  if (password.length < 10) return 'a password has at least 10 characters';
  if (password.length > 256) return 'a password has at most 256 characters';
  return null;
}
