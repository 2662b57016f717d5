/**
 * An archive folder: one gzip-compressed JSON Lines file per data class and a manifest naming
 * each file with its row count and SHA-256 (of the compressed file and of its lines), the policies
 * and cutoffs that made the data expire, and the ledger entry that records the purge.
 *
 * A folder is written under a hidden `.NAME.partial` name, flushed, and renamed: a folder under
 * its real name is always complete.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { DataClass } from './policies.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const manifestName = 'manifest.json';
export const archiveFormat = 'clearway-archive';

export interface ArchiveFile {
  dataClass: DataClass;
  file: string;
  rows: number;
  /** SHA-256 of the compressed file as stored. */
  sha256: string;
  /** SHA-256 of the JSON Lines inside it. */
  contentSha256: string;
}

export interface Manifest {
  format: typeof archiveFormat;
  version: 1;
  run: string;
  startedAt: string;
  database: string;
  actor: string;
  policies: Partial<Record<DataClass, string>>;
  /** Data older than these moments had expired (a date for declarations, a time otherwise). */
  cutoffs: Partial<Record<DataClass, string>>;
  /** Declarations that had expired but were kept under legal hold. */
  held: number;
  files: ArchiveFile[];
  ledger: { seq: number; hash: string };
}

/** A class's archived lines, compressed and hashed, ready to write. */
export interface PackedFile extends ArchiveFile {
  bytes: Buffer;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export async function pack(dataClass: DataClass, lines: readonly string[]): Promise<PackedFile> {
  const text = lines.join('');
  const bytes = await gzipAsync(text, { level: 6 });
  return {
    dataClass,
    file: `${dataClass}.jsonl.gz`,
    rows: lines.length,
    sha256: sha256(bytes),
    contentSha256: sha256(text),
    bytes,
  };
}

async function syncPath(p: string): Promise<void> {
  const handle = await open(p, 'r');
  try {
    await handle.sync().catch(() => undefined); // some file systems cannot sync a folder
  } finally {
    await handle.close();
  }
}

/** Writes the folder `dir/name` completely or not at all; returns its path. */
export async function writeArchiveFolder(
  dir: string,
  name: string,
  files: readonly PackedFile[],
  manifest: Manifest,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const partial = path.join(dir, `.${name}.partial`);
  const final = path.join(dir, name);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial);
  for (const f of files) {
    await writeFile(path.join(partial, f.file), f.bytes);
    await syncPath(path.join(partial, f.file));
  }
  await writeFile(path.join(partial, manifestName), JSON.stringify(manifest, null, 2) + '\n');
  await syncPath(path.join(partial, manifestName));
  await syncPath(partial);
  await rename(partial, final);
  await syncPath(dir);
  return final;
}

export class ArchiveError extends Error {}

/** Reads and checks a folder's manifest and every file it names; throws naming the first problem. */
export async function verifyArchiveFolder(folder: string): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(folder, manifestName), 'utf8')) as Manifest;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new ArchiveError(
      e.code === 'ENOENT'
        ? `${folder} is not an archive folder: it has no ${manifestName}`
        : `${folder}/${manifestName} is not readable JSON`,
    );
  }
  if (manifest.format !== archiveFormat || manifest.version !== 1 || !Array.isArray(manifest.files))
    throw new ArchiveError(`${folder}/${manifestName} is not a Clearway archive manifest (version 1)`);
  for (const f of manifest.files)
    if (typeof f.file !== 'string' || path.basename(f.file) !== f.file)
      throw new ArchiveError(`the manifest names a file outside the folder: ${String(f.file)}`);
  for (const f of manifest.files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(folder, f.file));
    } catch {
      throw new ArchiveError(`${f.file} is missing`);
    }
    if (sha256(bytes) !== f.sha256)
      throw new ArchiveError(`${f.file} was altered or damaged: its SHA-256 does not match the manifest`);
    const text = (
      await gunzipAsync(bytes).catch(() => {
        throw new ArchiveError(`${f.file} is not a complete gzip file`);
      })
    ).toString('utf8');
    const rows = text === '' ? 0 : text.split('\n').length - 1;
    if (sha256(text) !== f.contentSha256 || rows !== f.rows)
      throw new ArchiveError(`${f.file} does not hold the ${f.rows} rows the manifest lists`);
  }
  return manifest;
}

/** The archive folders in `dir` (complete ones, by name), oldest first. */
export async function archiveFolders(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names.filter((n) => n.startsWith(`${archiveFormat}-`) && !n.endsWith('.abandoned')).sort();
}

/** Reads the manifest of a folder, or null when it has none that parses. */
export async function readManifest(folder: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(path.join(folder, manifestName), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/** Removes half-written folders and renames `name` to `name.abandoned`; returns what it set aside. */
export async function setAside(dir: string, abandoned: readonly string[]): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const n of names.filter((n) => n.startsWith(`.${archiveFormat}-`) && n.endsWith('.partial')))
    await rm(path.join(dir, n), { recursive: true, force: true });
  for (const name of abandoned) await rename(path.join(dir, name), path.join(dir, `${name}.abandoned`));
  return [...abandoned];
}
