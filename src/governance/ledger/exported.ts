/**
 * Checkpoints and signed heads as they leave the database: sent to partners, and copied into the
 * ledger's copy folder (copy.ts). Both are JSON files; parsing one checks its shape and names the
 * field that is wrong. Whether the signature verifies is for the caller to check.
 */
import type { CheckpointClaim, HeadClaim } from './signing.ts';

export const CheckpointFormat = {
  V1: 'clearway-ledger-checkpoint-v1',
  V2: 'clearway-ledger-checkpoint-v2',
} as const;
export const HeadFormat = 'clearway-ledger-head-v1';

/** A signed head as stored and copied: the claim, the key that signed it and the signature. */
export interface SignedHead extends HeadClaim {
  keyId: string;
  signature: string;
}

export interface HeadExport extends SignedHead {
  format: typeof HeadFormat;
}

/** A checkpoint as handed to partners: what is signed, the signature, and optionally more. */
export interface CheckpointExport extends CheckpointClaim {
  format: (typeof CheckpointFormat)[keyof typeof CheckpointFormat];
  keyId: string;
  signature: string;
  publicKey: string;
  /** The latest signed head when the checkpoint was exported: a copy partners keep as well. */
  head?: HeadExport;
  /** The entry hashes from `fromSeq` to `toSeq`, to prove that an entry is included. */
  leaves?: string[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const hex64 = /^[0-9a-f]{64}$/;

class ShapeError extends Error {}

function fields(value: unknown, what: string) {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ShapeError(`the ${what} is not an object`);
  const v = value as Record<string, unknown>;
  const int = (k: string, min: number) => {
    const n = v[k];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min)
      throw new ShapeError(`${what} ${k}: a whole number`);
    return n;
  };
  const str = (k: string, pattern?: RegExp) => {
    const s = v[k];
    if (typeof s !== 'string' || (pattern && !pattern.test(s)))
      throw new ShapeError(`${what} ${k}: missing or malformed`);
    return s;
  };
  return { v, int, str };
}

function headOf(value: unknown, what: string): HeadExport {
  const { v, int, str } = fields(value, what);
  if (v.format !== HeadFormat) throw new ShapeError(`${what} format: not ${HeadFormat}`);
  return {
    format: HeadFormat,
    seq: int('seq', 1),
    hash: str('hash', hex64),
    checkpointSeq: int('checkpointSeq', 0),
    checkpointHash: str('checkpointHash', hex64),
    signedAt: str('signedAt'),
    keyId: str('keyId'),
    signature: str('signature'),
  };
}

function checkpointOf(value: unknown): CheckpointExport {
  const what = 'checkpoint';
  const { v, int, str } = fields(value, what);
  const format = v.format === undefined ? CheckpointFormat.V1 : v.format;
  if (format !== CheckpointFormat.V1 && format !== CheckpointFormat.V2)
    throw new ShapeError(`${what} format: not a clearway ledger checkpoint`);
  const leaves = v.leaves;
  if (
    leaves !== undefined &&
    !(Array.isArray(leaves) && leaves.every((l) => typeof l === 'string' && hex64.test(l)))
  ) {
    throw new ShapeError(`${what} leaves: a list of 64-character hex hashes`);
  }
  return {
    format,
    fromSeq: int('fromSeq', 1),
    toSeq: int('toSeq', 1),
    lastHash: str('lastHash', hex64),
    merkleRoot: str('merkleRoot', hex64),
    signedAt: str('signedAt'),
    prevCheckpoint: format === CheckpointFormat.V2 ? str('prevCheckpoint', hex64) : null,
    keyId: str('keyId'),
    signature: str('signature'),
    publicKey: typeof v.publicKey === 'string' ? v.publicKey : '',
    ...(v.head === undefined ? {} : { head: headOf(v.head, 'checkpoint head') }),
    ...(leaves ? { leaves: leaves as string[] } : {}),
  };
}

function parsed<T>(text: string, what: string, read: (value: unknown) => T): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: `the ${what} is not JSON` };
  }
  try {
    return { ok: true, value: read(value) };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, message: error.message };
    throw error;
  }
}

export const parseCheckpointExport = (text: string): Parsed<CheckpointExport> =>
  parsed(text, 'checkpoint file', checkpointOf);

export const parseHeadExport = (text: string): Parsed<HeadExport> =>
  parsed(text, 'head file', (v) => headOf(v, 'head file'));

/** A file of the copy folder: a checkpoint or a head, told apart by its format. */
export function parseLedgerFile(
  text: string,
): Parsed<{ kind: 'checkpoint'; checkpoint: CheckpointExport } | { kind: 'head'; head: HeadExport }> {
  return parsed(text, 'file', (value) => {
    const isHead =
      typeof value === 'object' && value !== null && 'format' in value && value.format === HeadFormat;
    return isHead
      ? { kind: 'head' as const, head: headOf(value, 'head file') }
      : { kind: 'checkpoint' as const, checkpoint: checkpointOf(value) };
  });
}

export const headExport = (h: SignedHead): HeadExport => ({
  format: HeadFormat,
  seq: h.seq,
  hash: h.hash,
  checkpointSeq: h.checkpointSeq,
  checkpointHash: h.checkpointHash,
  signedAt: h.signedAt,
  keyId: h.keyId,
  signature: h.signature,
});
