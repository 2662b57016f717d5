/**
 * `clearway ledger verify|checkpoint|sign-head|export-checkpoint|verify-checkpoint`: re-checks the
 * chain against the signed checkpoints and heads and their copy folder, signs a checkpoint or the
 * head, writes a checkpoint out for partners, and checks one with nothing but a public key (no
 * database: what a partner runs).
 */
import { readFile, writeFile } from 'node:fs/promises';
import {
  exportCheckpoint,
  findCheckpoint,
  makeCheckpoint,
  verifyExportedCheckpoint,
} from '../governance/ledger/checkpoints.ts';
import { withContext } from './with-context.ts';
import { parseCheckpointExport } from '../governance/ledger/exported.ts';
import { signHead } from '../governance/ledger/heads.ts';
import { loadOrCreateSigner } from '../governance/ledger/signing.ts';
import { verifyLedger, type VerifyReport } from '../governance/ledger/verify.ts';
import { parse, required, UsageError } from './usage.ts';

const usage =
  'usage: clearway ledger verify [--roots] [--copy DIR] [--json]\n' +
  '       clearway ledger checkpoint\n' +
  '       clearway ledger sign-head\n' +
  '       clearway ledger export-checkpoint ID [--leaves] [--out FILE]\n' +
  '       clearway ledger verify-checkpoint FILE --public-key PEM';

export async function ledgerCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') return verify(rest);
  if (sub === 'checkpoint') return checkpoint(rest);
  if (sub === 'sign-head') return signHeadNow(rest);
  if (sub === 'export-checkpoint') return exportOne(rest);
  if (sub === 'verify-checkpoint') return verifyFile(rest);
  throw new UsageError(usage);
}

/** The one line of an intact ledger: what was checked, and how much of it the key protects. */
function intactLine(report: Extract<VerifyReport, { ok: true }>, copyDir: string): string {
  const parts = [`ledger intact: ${report.checked} entries, ${report.checkpoints} checkpoints verified`];
  parts.push(
    report.signedHead
      ? `head signed at entry ${report.signedHead.seq} (${report.unsigned} entries since)`
      : 'no signed head yet',
  );
  parts.push(
    report.copy
      ? `copy folder: ${report.copy.checkpoints} checkpoints, head at entry ${report.copy.headSeq ?? 'none'}`
      : `no copy folder at ${copyDir}`,
  );
  return parts.join('; ') + '\n';
}

async function verify(args: string[]): Promise<number> {
  const { values } = parse(args, {
    json: { type: 'boolean', default: false },
    roots: { type: 'boolean', default: false },
    copy: { type: 'string' },
  });
  const { report, copyDir } = await withContext(async (ctx) => {
    const signer = await loadOrCreateSigner(ctx.config.ledgerKeyFile);
    const copyDir = values.copy ?? ctx.config.ledgerCopyDir;
    return {
      report: await verifyLedger(ctx.db, signer.publicKeyPem, { roots: values.roots, copyDir }),
      copyDir,
    };
  });
  if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
  if (!report.ok) {
    process.stderr.write(
      `clearway ledger verify: the ledger was tampered with: ${report.firstBad.message}\n`,
    );
    return 1;
  }
  if (!values.json) process.stdout.write(intactLine(report, copyDir));
  return 0;
}

async function checkpoint(args: string[]): Promise<number> {
  parse(args, {});
  const outcome = await withContext(async (ctx) =>
    makeCheckpoint(ctx.db, await loadOrCreateSigner(ctx.config.ledgerKeyFile), ctx.config.ledgerCopyDir),
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

async function signHeadNow(args: string[]): Promise<number> {
  parse(args, {});
  const outcome = await withContext(async (ctx) =>
    signHead(ctx.db, await loadOrCreateSigner(ctx.config.ledgerKeyFile), ctx.config.ledgerCopyDir),
  );
  if (outcome.signed) {
    process.stdout.write(`head signed at entry ${outcome.head.seq}\n`);
    return 0;
  }
  if (outcome.reason === 'nothing_new') {
    process.stdout.write(`the head at entry ${outcome.head.seq} is already signed\n`);
    return 0;
  }
  process.stderr.write(
    `clearway ledger sign-head: refused, the ledger was tampered with: ${outcome.firstBad.message}\n`,
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

async function verifyFile(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { 'public-key': { type: 'string' } }, true);
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError(`give exactly one exported checkpoint FILE\n${usage}`);
  const keyFile = required(values['public-key'], 'public-key');
  const parsed = parseCheckpointExport(await readText(file, 'checkpoint file'));
  if (!parsed.ok) throw new UsageError(parsed.message);
  const exported = parsed.value;
  const result = verifyExportedCheckpoint(exported, await readText(keyFile, 'public key'));
  if (!result.ok) {
    process.stderr.write(`clearway ledger verify-checkpoint: refused: ${result.message}\n`);
    return 1;
  }
  const checked = [
    'signature',
    ...(exported.head ? [`the head signed at entry ${exported.head.seq}`] : []),
    ...(exported.leaves ? [`${exported.leaves.length} leaves`] : []),
  ];
  const what = checked.length > 1 ? `${checked.slice(0, -1).join(', ')} and ${checked.at(-1)}` : 'signature';
  process.stdout.write(`checkpoint of entries ${exported.fromSeq}-${exported.toSeq} verified (${what})\n`);
  return 0;
}
