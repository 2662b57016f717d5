/**
 * The backup file (ADR 0008): one gzip stream of JSON lines.
 *
 *   {"format":"clearway-backup","version":1,"source":"pglite","createdAt":"...","schema":["0001-core.sql",...]}
 *   {"table":"users","columns":["id","username",...]}
 *   ["1","admin",...]                                    one line per row, canonical text (table-content.ts)
 *   {"end":"users","rows":12,"sha256":"..."}
 *   ... every table, parents before children ...
 *   {"manifest":[{"table":"users","rows":12,"sha256":"..."},...],"sequences":{"users_id_seq":{...}}}
 *   {"sha256":"..."}                                     of every byte before this line
 *
 * readBackup checks all of it as it streams, and throws BackupFileError naming the first problem.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import type { SequenceState } from './catalog.ts';
import { rowLine, TableDigest, type TableChecksum, type TextRow } from './table-content.ts';

export const formatName = 'clearway-backup';
export const formatVersion = 1;

export interface BackupHeader {
  format: typeof formatName;
  version: typeof formatVersion;
  source: 'pglite' | 'postgres';
  createdAt: string;
  /** The migrations applied to the source: a backup restores only into the same schema. */
  schema: string[];
}

export interface BackupManifest {
  tables: TableChecksum[];
  sequences: Record<string, SequenceState>;
}

export type BackupEvent =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'table'; table: string; columns: string[] }
  | { kind: 'rows'; table: string; rows: TextRow[] }
  | { kind: 'end'; checksum: TableChecksum }
  | { kind: 'manifest'; manifest: BackupManifest };

/** A backup file that cannot be trusted: the message names the file and the problem. */
export class BackupFileError extends Error {}

const rowsPerEvent = 1000;

/** Streams a backup file, checking structure, per-table checksums and the whole-file checksum. */
export async function* readBackup(file: string): AsyncGenerator<BackupEvent> {
  const name = path.basename(file);
  const fail = (problem: string) => new BackupFileError(`${name} ${problem}`);
  let where = 'the header is missing';
  const whole = createHash('sha256');
  let header: BackupHeader | undefined;
  let table: { name: string; columns: string[]; digest: TableDigest; batch: TextRow[] } | undefined;
  const seen: TableChecksum[] = [];
  let manifest: BackupManifest | undefined;
  let finished = false;

  for await (const line of lines(file, fail, () => where)) {
    if (finished) throw fail('is corrupted: it goes on after its checksum');
    if (!header) {
      header = parseHeader(parseOr(line.text, undefined));
      if (!header) throw fail('is not a Clearway backup');
      whole.update(line.bytes);
      where = 'the manifest is missing';
      yield { kind: 'header', header };
      continue;
    }
    const value = parse(line.text, fail);
    if (table) {
      if (Array.isArray(value)) {
        if (!isRow(value, table.columns.length))
          throw fail(`is corrupted: a row of table ${table.name} does not have its columns`);
        whole.update(line.bytes);
        table.digest.add(rowLine(value));
        table.batch.push(value);
        if (table.batch.length >= rowsPerEvent) {
          yield { kind: 'rows', table: table.name, rows: table.batch };
          table.batch = [];
        }
        continue;
      }
      const end = record(value);
      if (end?.end !== table.name) throw fail(`is corrupted: table ${table.name} is not closed`);
      const checksum = table.digest.result();
      if (end.rows !== checksum.rows || end.sha256 !== checksum.sha256)
        throw fail(`is corrupted: table ${table.name}: checksum mismatch`);
      whole.update(line.bytes);
      if (table.batch.length > 0) yield { kind: 'rows', table: table.name, rows: table.batch };
      seen.push(checksum);
      yield { kind: 'end', checksum };
      table = undefined;
      where = 'the manifest is missing';
      continue;
    }
    const r = record(value);
    if (r && typeof r.table === 'string' && isStringArray(r.columns)) {
      if (manifest) throw fail('is corrupted: a table follows the manifest');
      table = { name: r.table, columns: r.columns, digest: new TableDigest(r.table), batch: [] };
      where = `it ends inside table ${r.table}`;
      whole.update(line.bytes);
      yield { kind: 'table', table: r.table, columns: r.columns };
    } else if (r && Array.isArray(r.manifest) && !manifest) {
      // the cast is checked on the next line: equal to the checksums computed from the rows
      manifest = { tables: r.manifest as TableChecksum[], sequences: sequencesOf(r.sequences, fail) };
      if (JSON.stringify(manifest.tables) !== JSON.stringify(seen))
        throw fail('is corrupted: the manifest does not match its tables');
      whole.update(line.bytes);
      where = 'its checksum is missing';
    } else if (r && typeof r.sha256 === 'string' && manifest) {
      if (r.sha256 !== whole.digest('hex')) throw fail('is corrupted: checksum mismatch');
      finished = true;
      yield { kind: 'manifest', manifest };
    } else throw fail('is corrupted: an unexpected line');
  }
  if (!finished) throw fail(`is truncated: ${where}`);
}

/** Reads the whole file and returns its header and manifest if every check passes. */
export async function verifyBackup(
  file: string,
): Promise<{ header: BackupHeader; manifest: BackupManifest }> {
  let header: BackupHeader | undefined;
  for await (const event of readBackup(file)) {
    if (event.kind === 'header') header = event.header;
    if (event.kind === 'manifest' && header) return { header, manifest: event.manifest };
  }
  throw new BackupFileError(`${path.basename(file)} is truncated`);
}

interface Line {
  text: string;
  /** The bytes as stored, with the line break, for the whole-file checksum. */
  bytes: Buffer;
}

/** Uncompressed lines; gzip's own errors become a message about truncation or corruption. */
async function* lines(
  file: string,
  fail: (problem: string) => BackupFileError,
  where: () => string,
): AsyncGenerator<Line> {
  const source = createReadStream(file);
  const input = source.pipe(createGunzip());
  source.on('error', (error) => input.destroy(error)); // pipe() does not pass errors on
  let pending: Buffer[] = [];
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let start = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
        const bytes = Buffer.concat([...pending, chunk.subarray(start, i + 1)]);
        pending = [];
        start = i + 1;
        yield { text: bytes.toString('utf8', 0, bytes.length - 1), bytes };
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } catch (error) {
    throw gzipProblem(error, fail, where);
  }
  if (pending.length > 0) throw fail(`is truncated: ${where()}`);
}

function gzipProblem(error: unknown, fail: (p: string) => BackupFileError, where: () => string): Error {
  if (error instanceof BackupFileError) return error;
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return fail('does not exist');
  if (e.code === 'EISDIR' || e.code === 'EACCES') return fail(`cannot be read (${e.code})`);
  if (e.code === 'Z_BUF_ERROR') return fail(`is truncated: ${where()}`);
  if (e.code === 'Z_DATA_ERROR' && /header/.test(e.message)) return fail('is not a Clearway backup');
  if (e.code === 'Z_DATA_ERROR') return fail(`is corrupted: ${e.message}`);
  return error instanceof Error ? error : new Error(String(error));
}

function parse(text: string, fail: (p: string) => BackupFileError): unknown {
  const value = parseOr(text, notJson);
  if (value === notJson) throw fail('is corrupted: a line is not JSON');
  return value;
}

const notJson = Symbol('not JSON');

function parseOr(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fallback;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function parseHeader(value: unknown): BackupHeader | undefined {
  const r = record(value);
  if (!r || r.format !== formatName || r.version !== formatVersion) return undefined;
  if (r.source !== 'pglite' && r.source !== 'postgres') return undefined;
  if (typeof r.createdAt !== 'string' || !isStringArray(r.schema)) return undefined;
  return {
    format: formatName,
    version: formatVersion,
    source: r.source,
    createdAt: r.createdAt,
    schema: r.schema,
  };
}

function sequencesOf(value: unknown, fail: (p: string) => BackupFileError): Record<string, SequenceState> {
  const r = record(value);
  if (!r) throw fail('is corrupted: the manifest has no sequences');
  const out: Record<string, SequenceState> = {};
  for (const [name, state] of Object.entries(r)) {
    const s = record(state);
    if (!s || typeof s.value !== 'string' || !/^-?\d+$/.test(s.value) || typeof s.called !== 'boolean')
      throw fail(`is corrupted: sequence ${name}`);
    out[name] = { value: s.value, called: s.called };
  }
  return out;
}

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

const isRow = (v: unknown[], width: number): v is TextRow =>
  v.length === width && v.every((x) => x === null || typeof x === 'string');
