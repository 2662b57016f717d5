/**
 * Keyed pseudonyms for party identifiers in datasets that leave the administration (analytics
 * exports). A pseudonym is HMAC-SHA256(key, release + ':' + id), truncated to 80 bits and written
 * in base32: the same party gets the same pseudonym throughout one release, so a dataset can still
 * be joined within itself, while another release (or another key) gives unrelated pseudonyms, so
 * releases cannot be linked to each other. Without the key a pseudonym cannot be turned back into
 * the identifier, not even by trying every identifier there is.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { err, ok, type Result } from '../shared/result.ts';

export interface KeyError {
  code: 'invalid_pseudonym_key';
  message: string;
}

const keyError = (message: string) => err({ code: 'invalid_pseudonym_key' as const, message });

/** The fewest bytes of key material accepted: the HMAC's own strength. */
export const minKeyBytes = 32;

const hexKey = /^(?:[0-9a-fA-F]{2})+$/;
const base64Key = /^[A-Za-z0-9+/]+={0,2}$/;
const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Reads a key written in hex or base64; refuses anything else, and keys under 32 bytes. */
export function parsePseudonymKey(raw: string): Result<Buffer, KeyError> {
  const text = raw.trim();
  const bytes = hexKey.test(text)
    ? Buffer.from(text, 'hex')
    : base64Key.test(text) && text.length % 4 === 0
      ? Buffer.from(text, 'base64')
      : null;
  if (bytes === null) return keyError('the pseudonym key must be written in hex or base64');
  if (bytes.length < minKeyBytes)
    return keyError(
      `the pseudonym key must hold at least ${minKeyBytes} bytes (64 hex digits), got ${bytes.length}: generate one with "openssl rand -hex 32"`,
    );
  return ok(bytes);
}

/** A release label: what a dataset's pseudonyms are stable within. */
const releasePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const isReleaseLabel = (label: string): boolean => releasePattern.test(label);

/** The release of exports when none is configured or given: this version of Clearway. */
export const defaultRelease = 'clearway-0.1';

export type Pseudonymise = (id: string) => string;

/** The pseudonym function of one release; throws on a label that is not a release label. */
export function pseudonymiser(key: Buffer, release: string): Pseudonymise {
  if (key.length < minKeyBytes) throw new Error('the pseudonym key is too short');
  if (!isReleaseLabel(release)) throw new Error(`"${release}" is not a release label`);
  const cache = new Map<string, string>();
  return (id) => {
    let pseudonym = cache.get(id);
    if (pseudonym === undefined) {
      const mac = createHmac('sha256', key).update(`${release}:${id}`, 'utf8').digest();
      pseudonym = `T-${toBase32(mac.subarray(0, 10))}`;
      cache.set(id, pseudonym);
    }
    return pseudonym;
  };
}

/** 10 bytes become 16 base32 characters. */
function toBase32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

const keyFileName = 'pseudonym-key';

/**
 * The key from the configuration or, in the embedded setup, from the data folder, where one is
 * generated on first use (readable by its owner only). A server setup (DATABASE_URL) must
 * configure it: a key generated on one machine would give other machines other pseudonyms.
 */
export async function pseudonymKey(config: {
  pseudonymKey: Buffer | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
}): Promise<Result<Buffer, KeyError>> {
  if (config.pseudonymKey) return ok(config.pseudonymKey);
  if (config.databaseUrl)
    return keyError(
      'set CLEARWAY_PSEUDONYM_KEY (at least 32 bytes in hex or base64) to export pseudonymised data',
    );
  const file = path.join(config.dataDir, keyFileName);
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing !== null) {
    const parsed = parsePseudonymKey(existing);
    return parsed.ok ? parsed : keyError(`${file}: ${parsed.error.message}`);
  }
  const key = randomBytes(minKeyBytes);
  await mkdir(config.dataDir, { recursive: true });
  // `wx`: should two commands generate at once, the second fails rather than replace the first's key
  await writeFile(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return ok(key);
}
