/**
 * The administration's Ed25519 key that signs checkpoints. The private key is read from a PEM
 * file (CLEARWAY_LEDGER_KEY_FILE); an embedded installation without one gets a new key in its
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
}

export interface LedgerSigner {
  keyId: string;
  publicKeyPem: string;
  sign(claim: CheckpointClaim): string;
}

/** The exact bytes that are signed: one line per field, in this order. */
export function claimMessage(c: CheckpointClaim): Buffer {
  return Buffer.from(
    ['clearway-ledger-checkpoint-v1', c.fromSeq, c.toSeq, c.lastHash, c.merkleRoot, c.signedAt].join('\n'),
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
    sign: (claim) => sign(null, claimMessage(claim), privateKey).toString('base64'),
  };
}

/** Whether `signature` (base64) over the claim verifies with the public key (PEM); false for a malformed key or signature. */
export function verifyClaim(claim: CheckpointClaim, signature: string, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, claimMessage(claim), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
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
