/**
 * Reading the files of a ZIP archive one at a time, for imports of many messages: the central
 * directory is read through a file handle, then each entry's bytes alone, inflated with a cap on
 * what they may become. The archive is never held in memory whole and nothing is written to disk,
 * so entry names are only labels. What makes the whole archive unreadable (no central directory,
 * too many entries, ZIP64, a directory pointing outside the file, entries listed over each other's
 * bytes, more inflated bytes than the caps) throws a ZipError; what is wrong with one entry (too
 * large, encrypted, an unknown method, a bad checksum, a local header that disagrees with the
 * directory) is that entry's problem.
 *
 * A ZIP bomb lists one highly compressed body many times, or makes entries overlap: every entry
 * must lie in its own bytes, before the next entry (by offset) and the central directory, and all
 * entries together may inflate to at most `maxInflationRatio` times the archive's size (at least one
 * entry's cap) and never more than `maxArchiveInflatedBytes`, whatever the caller's limit.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';

export class ZipError extends Error {}

export interface ZipLimits {
  /** Entries the archive may list (files and folders). */
  maxEntries: number;
  /** Bytes one entry may inflate to. */
  maxEntryBytes: number;
  /** Bytes all entries together may inflate to (lowered to the ratio and absolute caps below). */
  maxTotalBytes: number;
}

/**
 * Inflated bytes per archive byte at most, over the whole archive. XML messages deflate 5 to 30
 * times; 100 leaves room for repetitive ones, while a bomb's deflate runs near 1000.
 */
export const maxInflationRatio = 100;
/** Bytes a whole archive may inflate to at most, whatever the caller asks: 512 MiB. */
export const maxArchiveInflatedBytes = 512 * 1024 * 1024;

/** The inflated total an archive of `archiveBytes` may reach under `limits`. */
export function inflatedCap(archiveBytes: number, limits: ZipLimits): number {
  const byRatio = Math.max(limits.maxEntryBytes, archiveBytes * maxInflationRatio);
  return Math.min(limits.maxTotalBytes, maxArchiveInflatedBytes, byRatio);
}

export type ZipEntry =
  { name: string; bytes: Buffer } | { name: string; problem: { code: string; message: string } };

const eocdSignature = 0x06054b50;
const centralSignature = 0x02014b50;
const localSignature = 0x04034b50;
const eocdLength = 22;
const maxComment = 0xffff;
const centralLength = 46;
const localLength = 30;
const maxDirectoryBytes = 64 * 1024 * 1024;

interface Listed {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  /** The name as the directory writes it, compared with the local header's. */
  nameBytes: Buffer;
}

/** True when the file starts like a ZIP archive (a local header, or the end record of an empty one). */
export async function looksLikeZip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead < 4) return false;
    const signature = head.readUInt32LE(0);
    return signature === localSignature || signature === eocdSignature;
  } finally {
    await handle.close();
  }
}

/** The archive's files in directory order (folders and `__MACOSX/` left out), each read when reached. */
export async function* zipEntries(file: string, limits: ZipLimits): AsyncGenerator<ZipEntry> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const { listed, directoryOffset } = await centralDirectory(handle, size, limits);
    const ends = entryBounds(listed, directoryOffset);
    const cap = inflatedCap(size, limits);
    let total = 0;
    for (const entry of listed) {
      if (entry.name.endsWith('/') || entry.name.startsWith('__MACOSX/')) continue;
      const read = await readEntry(handle, entry, ends.get(entry) ?? directoryOffset, limits.maxEntryBytes);
      if ('bytes' in read) {
        total += read.bytes.length;
        if (total > cap)
          throw new ZipError(
            `the archive inflates to more than ${cap} bytes, the most accepted for an archive of ${size} bytes (stopped at ${entry.name})`,
          );
      }
      yield read;
    }
  } finally {
    await handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * Where each entry's bytes must end: the next entry's local header by offset, or the central
 * directory. Entries listed at the same offset, or so close that the next header starts within the
 * previous entry's header, name and data, are listed over each other: the archive is refused. (An
 * entry running into the directory is that entry's problem, found when it is read.)
 */
function entryBounds(listed: readonly Listed[], directoryOffset: number): Map<Listed, number> {
  const byOffset = listed.toSorted((a, b) => a.offset - b.offset);
  const ends = new Map<Listed, number>();
  byOffset.forEach((e, i) => {
    const next = byOffset[i + 1];
    if (next && e.offset + localLength + e.nameBytes.length + e.compressed > next.offset)
      throw new ZipError(`damaged or hostile archive: entries ${e.name} and ${next.name} overlap`);
    ends.set(e, next ? next.offset : directoryOffset);
  });
  return ends;
}

async function centralDirectory(
  handle: FileHandle,
  size: number,
  limits: ZipLimits,
): Promise<{ listed: Listed[]; directoryOffset: number }> {
  const tailLength = Math.min(size, eocdLength + maxComment);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - eocdLength; i >= 0; i--) {
    if (tail.readUInt32LE(i) === eocdSignature) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipError('not a ZIP archive, or a damaged one: its central directory was not found');
  const disk = tail.readUInt16LE(at + 4);
  const count = tail.readUInt16LE(at + 10);
  const directorySize = tail.readUInt32LE(at + 12);
  const directoryOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff)
    throw new ZipError('ZIP64 archives are not read: split the messages into archives under 4 GB');
  if (disk !== 0) throw new ZipError('multi-part (spanned) archives are not read');
  if (count > limits.maxEntries)
    throw new ZipError(`the archive lists ${count} entries, more than the ${limits.maxEntries} accepted`);
  // a directory entry is 46 bytes and at most three 64 KB fields, and the whole is read into memory
  if (directorySize > Math.min(count * (centralLength + 3 * 0xffff), maxDirectoryBytes))
    throw new ZipError(`damaged archive: a central directory of ${directorySize} bytes for ${count} entries`);
  const end = size - tailLength + at;
  if (directoryOffset + directorySize > end)
    throw new ZipError('damaged archive: its central directory lies outside the file');
  const directory = await readAt(handle, directoryOffset, directorySize);
  const listed: Listed[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + centralLength > directory.length || directory.readUInt32LE(p) !== centralSignature)
      throw new ZipError(`damaged archive: central directory entry ${i + 1} of ${count} is unreadable`);
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    const next = p + centralLength + nameLength + extraLength + commentLength;
    if (next > directory.length)
      throw new ZipError(`damaged archive: central directory entry ${i + 1} of ${count} is cut short`);
    listed.push({
      flags: directory.readUInt16LE(p + 8),
      method: directory.readUInt16LE(p + 10),
      crc: directory.readUInt32LE(p + 16),
      compressed: directory.readUInt32LE(p + 20),
      size: directory.readUInt32LE(p + 24),
      offset: directory.readUInt32LE(p + 42),
      name: directory.toString('utf8', p + centralLength, p + centralLength + nameLength),
      nameBytes: Buffer.from(directory.subarray(p + centralLength, p + centralLength + nameLength)),
    });
    p = next;
  }
  return { listed, directoryOffset };
}

/** An entry whose bytes must end by `end` (the next entry's header, or the central directory). */
async function readEntry(handle: FileHandle, e: Listed, end: number, maxBytes: number): Promise<ZipEntry> {
  const problem = (code: string, message: string): ZipEntry => ({ name: e.name, problem: { code, message } });
  if (e.flags & 0x1) return problem('zip_entry_encrypted', 'the entry is encrypted');
  if (e.method !== 0 && e.method !== 8)
    return problem('zip_entry_method', `compression method ${e.method} is not read (stored or deflate only)`);
  // the sizes the directory declares are checked first, the bytes it inflates to again below
  if (e.size > maxBytes || (e.method === 0 ? e.compressed : e.compressed / 2) > maxBytes)
    return problem('xml_too_large', `${e.size} bytes, more than the ${maxBytes} accepted`);
  const local = await readAt(handle, e.offset, localLength + e.nameBytes.length);
  if (local.length < localLength || local.readUInt32LE(0) !== localSignature)
    return problem('zip_entry_damaged', 'the entry is not where the central directory places it');
  if (!localAgrees(local, e))
    return problem(
      'zip_entry_damaged',
      'the entry’s local header does not agree with the central directory (name, sizes or checksum)',
    );
  const start = e.offset + localLength + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (start + e.compressed > end)
    return problem('zip_entry_damaged', 'the entry runs into the next entry or the central directory');
  const raw = await readAt(handle, start, e.compressed);
  let bytes: Buffer;
  try {
    bytes = e.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ERR_BUFFER_TOO_LARGE'
      ? problem('xml_too_large', `it inflates to more than the ${maxBytes} bytes accepted`)
      : problem('zip_entry_damaged', 'the entry cannot be inflated: its data is damaged');
  }
  if (bytes.length !== e.size || crc32(bytes) !== e.crc)
    return problem(
      'zip_entry_damaged',
      'the entry does not match its size or checksum: the archive is damaged',
    );
  return { name: e.name, bytes };
}

/**
 * True when the local header names the entry as the directory does and, unless the sizes follow the
 * data (flag bit 3, where they may be zero), declares the same checksum and sizes.
 */
function localAgrees(local: Buffer, e: Listed): boolean {
  const nameLength = local.readUInt16LE(26);
  if (nameLength !== e.nameBytes.length || local.length < localLength + nameLength) return false;
  if (!local.subarray(localLength, localLength + nameLength).equals(e.nameBytes)) return false;
  const declared = [local.readUInt32LE(14), local.readUInt32LE(18), local.readUInt32LE(22)];
  const listed = [e.crc, e.compressed, e.size];
  const deferred = (local.readUInt16LE(6) & 0x8) !== 0;
  return declared.every((v, i) => v === listed[i] || (deferred && v === 0));
}
