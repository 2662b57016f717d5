/**
 * Retention from the command line (ADR 0011):
 * - `clearway archive [--out DIR] [--batch N] [--json]` runs the archival job;
 * - `clearway archive verify FOLDER [--files-only] [--json]` checks an archive folder against its
 *   manifest and, unless --files-only, against the ledger entry that recorded its purge;
 * - `clearway retention list|set CLASS PERIOD` shows and sets the policies;
 * - `clearway hold place|release ID --reason TEXT` and `clearway hold list [--all]`.
 * The CLI acts as `cli:USER`, the operating-system account that ran it, in the ledger.
 */
import { userInfo } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { committedHead, signHeadAtEnd } from '../governance/ledger/heads.ts';
import { sealPending } from '../governance/ledger/seal.ts';
import { ArchiveError, verifyArchiveFolder, type Manifest } from '../governance/retention/archive-files.ts';
import {
  archiveExpired,
  ArchiveBusyError,
  describeCounts,
  HoldRaceError,
} from '../governance/retention/archive.ts';
import { listHolds, placeHold, releaseHold, type LegalHold } from '../governance/retention/holds.ts';
import {
  isDataClass,
  listPolicies,
  parsePeriod,
  setPolicy,
  dataClasses,
} from '../governance/retention/policies.ts';
import { parse, positiveInt, readableFolder, required, UsageError } from './usage.ts';

const cliActor = () => `cli:${userInfo().username}`;

async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const ledgerAtOpen = (await committedHead(db)).seq;
  try {
    return await fn(db);
  } finally {
    // a command that changed data chains its entries and signs the ledger head as it ends (ADR 0012, 0013)
    await sealPending(db)
      .then(() => signHeadAtEnd(db, config, ledgerAtOpen))
      .catch((error: unknown) =>
        process.emitWarning(`the ledger was not sealed and signed: ${String(error)}`),
      );
    await db.close();
  }
}

const print = (json: boolean, value: unknown, text: string) =>
  process.stdout.write((json ? JSON.stringify(value) : text) + '\n');

export async function archiveCommand(args: string[]): Promise<number> {
  if (args[0] === 'verify') return verifyFolder(args.slice(1));
  const { values, positionals } = parse(args, {
    out: { type: 'string' },
    batch: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0)
    throw new UsageError('usage: clearway archive [--out DIR] [--batch N] [--json]');
  const dir = path.resolve(values.out ?? loadConfig().archiveDir);
  const batch = positiveInt(values.batch, 'batch', 5000);
  return withDatabase(async (db) => {
    try {
      const report = await archiveExpired(db, {
        dir,
        actor: cliActor(),
        batch,
        progress: (message) => process.stderr.write(message + '\n'),
      });
      const held = report.held > 0 ? `; ${report.held} expired declarations kept under legal hold` : '';
      const aside =
        report.setAside.length > 0
          ? `; set aside ${report.setAside.length} folders of runs that never committed`
          : '';
      print(
        values.json,
        { dir, ...report },
        `archived and purged ${describeCounts(report.counts)} in ${report.runs.length} runs into ${dir}${held}${aside}`,
      );
      return 0;
    } catch (error) {
      if (error instanceof ArchiveBusyError || error instanceof HoldRaceError) {
        process.stderr.write(`clearway archive: ${error.message}\n`);
        return 1;
      }
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'EACCES' || e.code === 'ENOTDIR' || e.code === 'EROFS') {
        process.stderr.write(`clearway archive: cannot write to ${dir}: ${e.code}; nothing was purged\n`);
        return 1;
      }
      throw error;
    }
  });
}

async function verifyFolder(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { json: { type: 'boolean', default: false }, 'files-only': { type: 'boolean', default: false } },
    true,
  );
  const [folder, ...extra] = positionals;
  if (!folder || extra.length > 0)
    throw new UsageError('usage: clearway archive verify FOLDER [--files-only] [--json]');
  await readableFolder(folder, 'archive folder');
  let manifest: Manifest;
  try {
    manifest = await verifyArchiveFolder(folder);
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    process.stderr.write(`clearway archive: ${error.message}\n`);
    return 1;
  }
  const ledger = values['files-only']
    ? 'not checked'
    : await withDatabase((db) => ledgerMatches(db, manifest));
  if (ledger !== 'matches' && ledger !== 'not here' && ledger !== 'not checked') {
    process.stderr.write(`clearway archive: ${ledger}\n`);
    return 1;
  }
  const rows = manifest.files.map((f) => `${f.rows} ${f.dataClass}`).join(', ');
  print(
    values.json,
    { folder, run: manifest.run, files: manifest.files, ledger },
    `${path.basename(folder)}: complete, every checksum matches (${rows}); ` +
      (ledger === 'matches'
        ? `its purge is ledger entry ${manifest.ledger.seq}, which lists these files`
        : ledger === 'not here'
          ? 'its run is not recorded in this database'
          : 'the ledger was not checked'),
  );
  return 0;
}

/** Whether the ledger entry the manifest names records this run with these very files. */
async function ledgerMatches(db: Database, manifest: Manifest): Promise<string> {
  const [entry] = await db.query<{ hash: string; subjectId: string; data: string }>(
    'SELECT hash, subject_id AS "subjectId", data FROM ledger WHERE seq = $1',
    [manifest.ledger.seq],
  );
  const [run] = await db.query('SELECT 1 FROM archive_runs WHERE id = $1', [manifest.run]);
  if (!run) return 'not here';
  if (!entry || entry.hash !== manifest.ledger.hash || entry.subjectId !== manifest.run)
    return `ledger entry ${manifest.ledger.seq} does not record this archive's run`;
  const recorded = (JSON.parse(entry.data) as { files: { dataClass: string; sha256: string }[] }).files;
  const same =
    recorded.length === manifest.files.length &&
    recorded.every(
      (f, i) => f.sha256 === manifest.files[i]?.sha256 && f.dataClass === manifest.files[i]?.dataClass,
    );
  return same ? 'matches' : `the files differ from those ledger entry ${manifest.ledger.seq} recorded`;
}

export async function retentionCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const usage = `usage: clearway retention list [--json]\n       clearway retention set CLASS PERIOD   (classes: ${dataClasses.join(', ')}; periods like 10y, 6m, 30d, forever)`;
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean', default: false } });
    const policies = await withDatabase((db) => listPolicies(db));
    print(
      values.json,
      { policies },
      policies
        .map(
          (p) =>
            `${p.dataClass.padEnd(14)} ${p.period.padEnd(10)} ${p.keep === 'forever' ? '' : 'from '}${p.countedFrom}`,
        )
        .join('\n'),
    );
    return 0;
  }
  if (sub === 'set') {
    const { positionals } = parse(rest, {}, true);
    const [dataClass, keep, ...extra] = positionals;
    if (!dataClass || !keep || extra.length > 0) throw new UsageError(usage);
    if (!isDataClass(dataClass))
      throw new UsageError(
        `there is no data class "${dataClass}"; the classes are ${dataClasses.join(', ')}`,
      );
    if (!parsePeriod(keep))
      throw new UsageError(
        `"${keep}" is not a retention period: give a count and a unit, like 10y, 6m or 30d, or forever`,
      );
    const result = await withDatabase((db) =>
      db.transaction((tx) => setPolicy(tx, dataClass, keep, cliActor())),
    );
    if (!result.ok) {
      process.stderr.write(`clearway retention: ${result.error.message}\n`);
      return 1;
    }
    print(
      false,
      null,
      `${dataClass} are now kept ${result.value.period}, counted from ${result.value.countedFrom}`,
    );
    return 0;
  }
  throw new UsageError(usage);
}

export async function holdCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const usage =
    'usage: clearway hold place ID --reason TEXT\n       clearway hold release ID --reason TEXT\n       clearway hold list [--all] [--json]';
  if (sub === 'list') {
    const { values } = parse(rest, {
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const holds = await withDatabase((db) => listHolds(db, { all: values.all, limit: 10_000 }));
    print(values.json, { holds }, holds.map(describeHold).join('\n') || 'no legal holds');
    return 0;
  }
  if (sub !== 'place' && sub !== 'release') throw new UsageError(usage);
  const { values, positionals } = parse(rest, { reason: { type: 'string' } }, true);
  const [idText, ...extra] = positionals;
  const id = Number(idText);
  if (!idText || extra.length > 0 || !/^[0-9]+$/.test(idText) || !Number.isSafeInteger(id) || id < 1)
    throw new UsageError(`give the declaration's id as a whole number\n${usage}`);
  const reason = required(values.reason, 'reason');
  const result = await withDatabase((db) =>
    (sub === 'place' ? placeHold : releaseHold)(db, id, reason, cliActor()),
  );
  if (!result.ok) {
    process.stderr.write(`clearway hold: ${result.error.message}\n`);
    return 1;
  }
  print(false, null, describeHold(result.value));
  return 0;
}

function describeHold(h: LegalHold): string {
  const placed = `declaration ${h.declarationId} held by ${h.placedBy} since ${h.placedAt}: ${h.reason}`;
  return h.releasedAt
    ? `${placed} (released by ${h.releasedBy} at ${h.releasedAt}: ${h.releaseReason})`
    : placed;
}
