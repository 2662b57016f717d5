/**
 * The administration's Ed25519 key that signs checkpoints and heads. The private key is read from
 * a PEM file (CLEARWAY_LEDGER_KEY_FILE); an embedded installation without one gets a new key in its
 * data folder on first use, readable by its owner only. Partners need only the public key.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface CheckpointClaim {
  fromSeq: number;
  toSeq: number;
  /** Hash of the entry at `toSeq`, which anchors the chain before it. */
  lastHash: string;
  merkleRoot: string;
  signedAt: string;
  /**
   * SHA-256 (hex) of the previous checkpoint's signed message (64 zeros for the first), so that a
   * checkpoint vouches for the one before it; null for checkpoints signed before they were chained.
   */
  prevCheckpoint: string | null;
}

/** A signed head: the chain up to `seq` ends with `hash`, and the latest checkpoint then was this one. */
export interface HeadClaim {
  seq: number;
  hash: string;
  /** The `toSeq` of the latest checkpoint when the head was signed (0: none yet). */
  checkpointSeq: number;
  /** `checkpointDigest` of that checkpoint (64 zeros: none yet). */
  checkpointHash: string;
  signedAt: string;
}

export interface LedgerSigner {
  keyId: string;
  publicKeyPem: string;
  /** The Ed25519 signature (base64) of a message built by `claimMessage` or `headMessage`. */
  sign(message: Buffer): string;
}

/** The exact bytes a checkpoint signs: one line per field, in this order. */
export function claimMessage(c: CheckpointClaim): Buffer {
  const fields = [c.fromSeq, c.toSeq, c.lastHash, c.merkleRoot, c.signedAt];
  return Buffer.from(
    c.prevCheckpoint === null
      ? ['clearway-ledger-checkpoint-v1', ...fields].join('\n')
      : ['clearway-ledger-checkpoint-v2', ...fields, c.prevCheckpoint].join('\n'),
  );
}

/** What the next checkpoint chains to, and a signed head names: SHA-256 (hex) of the signed message. */
export function checkpointDigest(c: CheckpointClaim): string {
  return createHash('sha256').update(claimMessage(c)).digest('hex');
}

/** The exact bytes a signed head signs; the first line keeps it from ever reading as a checkpoint. */
export function headMessage(h: HeadClaim): Buffer {
  return Buffer.from(
    ['clearway-ledger-head-v1', h.seq, h.hash, h.checkpointSeq, h.checkpointHash, h.signedAt].join('\n'),
  );
}

/** The first 16 hex characters of SHA-256 over the public key (SPKI DER): names the key in checkpoints. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function signerFrom(privateKey: KeyObject): LedgerSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the ledger key must be an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => sign(null, message, privateKey).toString('base64'),
  };
}

/** Whether `signature` (base64) over `message` verifies with the public key (PEM); false for a malformed key or signature. */
export function verifySigned(message: Buffer, signature: string, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, message, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export const verifyClaim = (claim: CheckpointClaim, signature: string, publicKeyPem: string): boolean =>
  verifySigned(claimMessage(claim), signature, publicKeyPem);

export const verifyHead = (head: HeadClaim, signature: string, publicKeyPem: string): boolean =>
  verifySigned(headMessage(head), signature, publicKeyPem);

/** Reads the key file; undefined when it does not exist (a process that must not create a key). */
export async function loadSignerIfPresent(file: string): Promise<LedgerSigner | undefined> {
  try {
    return signerFrom(createPrivateKey(await readFile(file, 'utf8')));
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads the key file, or creates it (mode 0600) when it does not exist. */
export async function loadOrCreateSigner(file: string): Promise<LedgerSigner> {
  try {
    return signerFrom(createPrivateKey(await readFile(file, 'utf8')));
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // another process created it first: use that one
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    return signerFrom(createPrivateKey(await readFile(file, 'utf8')));
  }
  return signerFrom(privateKey);
}
