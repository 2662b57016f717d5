/**
 * The ledger's copy folder (CLEARWAY_LEDGER_COPY_DIR): each checkpoint and the latest signed head
 * as files outside the database, written after they commit. Someone who can write to the database
 * but not to this folder cannot make verification forget them (ADR 0012). Files exported for
 * partners have the same format, so those a partner kept can be put in a folder and compared too.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  headExport,
  parseLedgerFile,
  type CheckpointExport,
  type HeadExport,
  type SignedHead,
} from './exported.ts';

export interface LedgerCopy {
  dir: string;
  /** Every checkpoint found, by `toSeq` (a range found twice is kept once, first file first). */
  checkpoints: CheckpointExport[];
  /** The newest signed head found: head.json or one kept with an exported checkpoint. */
  head: HeadExport | undefined;
  /** Files ending in .json that are not a checkpoint or a head. */
  unreadable: { file: string; message: string }[];
}

const headFile = 'head.json';

/** Heads are ordered by seq, then by the checkpoint they name (a checkpoint re-signs the head it ends at). */
export const newer = (a: SignedHead, b: SignedHead | undefined): boolean =>
  !b || a.seq > b.seq || (a.seq === b.seq && a.checkpointSeq > b.checkpointSeq);

/** `checkpoint-<toSeq>.json`, the number padded so that names sort as ranges do. */
export const checkpointFileName = (toSeq: number) => `checkpoint-${String(toSeq).padStart(16, '0')}.json`;

async function writeWhole(file: string, text: string): Promise<void> {
  const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await writeFile(partial, text, { mode: 0o644 });
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}

/** Writes a checkpoint's copy once, whole; a copy already there is never replaced. */
export async function writeCheckpointCopy(dir: string, exported: CheckpointExport): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { leaves: _leaves, ...copy } = exported;
  const file = path.join(dir, checkpointFileName(exported.toSeq));
  const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await writeFile(partial, JSON.stringify(copy, null, 2) + '\n');
    await link(partial, file); // unlike rename, never replaces a file already there
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  } finally {
    await rm(partial, { force: true });
  }
}

/**
 * Replaces head.json with `head` when it is newer. An older head is never written over a newer
 * one: when the database's head went back, the copy keeps what was signed.
 */
export async function writeHeadCopy(dir: string, head: SignedHead): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, headFile);
  const current = await readFile(file, 'utf8').then(
    (text) => parseLedgerFile(text),
    (error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    },
  );
  if (current?.ok && current.value.kind === 'head' && !newer(head, current.value.head)) return false;
  await writeWhole(file, JSON.stringify(headExport(head), null, 2) + '\n');
  return true;
}

/** The folder's head.json, when there is one to read. */
export async function readCopyHead(dir: string): Promise<HeadExport | undefined> {
  try {
    const parsed = parseLedgerFile(await readFile(path.join(dir, headFile), 'utf8'));
    return parsed.ok && parsed.value.kind === 'head' ? parsed.value.head : undefined;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/** What the folder holds; undefined when it does not exist. */
export async function readCopy(dir: string): Promise<LedgerCopy | undefined> {
  let names: string[];
  try {
    // files only: a folder or link named *.json is nothing the copy wrote
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  const copy: LedgerCopy = { dir, checkpoints: [], head: undefined, unreadable: [] };
  const byRange = new Map<number, CheckpointExport>();
  for (const name of names) {
    const file = path.join(dir, name);
    const parsed = parseLedgerFile(await readFile(file, 'utf8'));
    if (!parsed.ok) {
      copy.unreadable.push({ file, message: parsed.message });
      continue;
    }
    const found = parsed.value;
    const head = found.kind === 'head' ? found.head : found.checkpoint.head;
    if (head && newer(head, copy.head)) copy.head = head;
    if (found.kind === 'checkpoint' && !byRange.has(found.checkpoint.toSeq))
      byRange.set(found.checkpoint.toSeq, found.checkpoint);
  }
  copy.checkpoints = [...byRange.values()].sort((a, b) => a.toSeq - b.toSeq);
  return copy;
}
