/**
 * `clearway ledger verify|checkpoint|export-checkpoint|verify-checkpoint`: re-checks the chain,
 * signs a checkpoint, writes one out for partners, and checks one with nothing but a public key
 * (no database: what a partner runs).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import {
  exportCheckpoint,
  findCheckpoint,
  makeCheckpoint,
  verifyExportedCheckpoint,
  type CheckpointExport,
} from '../governance/ledger/checkpoints.ts';
import { loadOrCreateSigner } from '../governance/ledger/signing.ts';
import { verifyLedger } from '../governance/ledger/verify.ts';
import { parse, required, UsageError } from './usage.ts';

const usage =
  'usage: clearway ledger verify [--roots] [--json]\n' +
  '       clearway ledger checkpoint\n' +
  '       clearway ledger export-checkpoint ID [--leaves] [--out FILE]\n' +
  '       clearway ledger verify-checkpoint FILE --public-key PEM';

export async function ledgerCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') return verify(rest);
  if (sub === 'checkpoint') return checkpoint(rest);
  if (sub === 'export-checkpoint') return exportOne(rest);
  if (sub === 'verify-checkpoint') return verifyFile(rest);
  throw new UsageError(usage);
}

async function withContext<T>(
  fn: (ctx: Awaited<ReturnType<typeof openAppContext>>) => Promise<T>,
): Promise<T> {
  const ctx = await openAppContext(loadConfig());
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

async function verify(args: string[]): Promise<number> {
  const { values } = parse(args, {
    json: { type: 'boolean', default: false },
    roots: { type: 'boolean', default: false },
  });
  const report = await withContext(async (ctx) => {
    const signer = await loadOrCreateSigner(ctx.config.ledgerKeyFile);
    return verifyLedger(ctx.db, signer.publicKeyPem, { roots: values.roots });
  });
  if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
  if (!report.ok) {
    process.stderr.write(
      `clearway ledger verify: the ledger was tampered with: ${report.firstBad.message}\n`,
    );
    return 1;
  }
  if (!values.json) {
    process.stdout.write(
      `ledger intact: ${report.checked} entries, ${report.checkpoints} checkpoints verified\n`,
    );
  }
  return 0;
}

async function checkpoint(args: string[]): Promise<number> {
  parse(args, {});
  const outcome = await withContext(async (ctx) =>
    makeCheckpoint(ctx.db, await loadOrCreateSigner(ctx.config.ledgerKeyFile)),
  );
  if (outcome.made) {
    const c = outcome.checkpoint;
    process.stdout.write(`checkpoint ${c.id}: entries ${c.fromSeq}-${c.toSeq}, root ${c.merkleRoot}\n`);
    return 0;
  }
  if (outcome.reason === 'nothing_new') {
    process.stdout.write('no new entries since the last checkpoint\n');
    return 0;
  }
  process.stderr.write(
    `clearway ledger checkpoint: refused, the ledger was tampered with: ${outcome.firstBad.message}\n`,
  );
  return 1;
}

async function exportOne(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { leaves: { type: 'boolean', default: false }, out: { type: 'string' } },
    true,
  );
  const [idText, ...extra] = positionals;
  if (idText === undefined || extra.length) throw new UsageError(`give exactly one checkpoint ID\n${usage}`);
  const id = Number(idText);
  if (!/^[0-9]+$/.test(idText) || !Number.isSafeInteger(id) || id < 1)
    throw new UsageError(`the checkpoint ID must be a whole number above 0, got "${idText}"`);
  const exported = await withContext(async (ctx) => {
    const found = await findCheckpoint(ctx.db, id);
    if (!found) return null;
    const signer = await loadOrCreateSigner(ctx.config.ledgerKeyFile);
    return exportCheckpoint(ctx.db, found, signer.publicKeyPem, values.leaves);
  });
  if (!exported) {
    process.stderr.write(`clearway ledger export-checkpoint: no checkpoint ${id}\n`);
    return 1;
  }
  const text = JSON.stringify(exported, null, 2) + '\n';
  if (!values.out) {
    process.stdout.write(text);
    return 0;
  }
  try {
    await writeFile(values.out, text);
  } catch (error) {
    process.stderr.write(
      `clearway ledger export-checkpoint: cannot write ${values.out}: ${errorCode(error)}\n`,
    );
    return 1;
  }
  return 0;
}

const errorCode = (error: unknown) =>
  (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));

/** A file's text; a file that cannot be read is a UsageError naming it (not a stack trace). */
async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the ${what} ${file}: ${errorCode(error)}`);
  }
}

const hex64 = /^[0-9a-f]{64}$/;

/** Parses an exported checkpoint file; a wrong shape is a UsageError naming the field. */
function parseExport(text: string): CheckpointExport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('the checkpoint file is not JSON');
  }
  if (typeof value !== 'object' || value === null)
    throw new UsageError('the checkpoint file is not an object');
  const v = value as Record<string, unknown>;
  const int = (k: string) => {
    if (!Number.isSafeInteger(v[k]) || Number(v[k]) < 1)
      throw new UsageError(`checkpoint ${k}: a whole number`);
    return Number(v[k]);
  };
  const str = (k: string, pattern?: RegExp) => {
    const s = v[k];
    if (typeof s !== 'string' || (pattern && !pattern.test(s)))
      throw new UsageError(`checkpoint ${k}: missing or malformed`);
    return s;
  };
  const leaves = v.leaves;
  if (
    leaves !== undefined &&
    !(Array.isArray(leaves) && leaves.every((l) => typeof l === 'string' && hex64.test(l)))
  ) {
    throw new UsageError('checkpoint leaves: a list of 64-character hex hashes');
  }
  return {
    format: 'clearway-ledger-checkpoint-v1',
    fromSeq: int('fromSeq'),
    toSeq: int('toSeq'),
    lastHash: str('lastHash', hex64),
    merkleRoot: str('merkleRoot', hex64),
    signedAt: str('signedAt'),
    keyId: str('keyId'),
    signature: str('signature'),
    publicKey: typeof v.publicKey === 'string' ? v.publicKey : '',
    ...(leaves ? { leaves: leaves as string[] } : {}),
  };
}

async function verifyFile(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { 'public-key': { type: 'string' } }, true);
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError(`give exactly one exported checkpoint FILE\n${usage}`);
  const keyFile = required(values['public-key'], 'public-key');
  const exported = parseExport(await readText(file, 'checkpoint file'));
  const result = verifyExportedCheckpoint(exported, await readText(keyFile, 'public key'));
  if (!result.ok) {
    process.stderr.write(`clearway ledger verify-checkpoint: refused: ${result.message}\n`);
    return 1;
  }
  const what = exported.leaves ? `signature and ${exported.leaves.length} leaves` : 'signature';
  process.stdout.write(`checkpoint of entries ${exported.fromSeq}-${exported.toSeq} verified (${what})\n`);
  return 0;
}
