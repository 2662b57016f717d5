import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { zipArchive, type ZipTestEntry } from '../testing/zip.ts';
import { crc32, deflateRawSync } from 'node:zlib';
import {
  inflatedCap,
  looksLikeZip,
  maxArchiveInflatedBytes,
  ZipError,
  zipEntries,
  type ZipEntry,
  type ZipLimits,
} from './zip-entries.ts';

/**
 * A hostile archive: one local header and deflated body, listed `times` in the central directory
 * at `offsets(i)` (all at 0: the same body over and over).
 */
function overlapping(data: Buffer, times: number, offsets: (i: number) => number = () => 0): Buffer {
  const body = deflateRawSync(data, { level: 9 });
  const name = Buffer.from('a.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(data), 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const centrals: Buffer[] = [];
  for (let i = 0; i < times; i++) {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc32(data), 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offsets(i), 42);
    centrals.push(c, name);
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(times, 8);
  end.writeUInt16LE(times, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(30 + name.length + body.length, 16);
  return Buffer.concat([local, name, body, directory, end]);
}

const limits: ZipLimits = { maxEntries: 10, maxEntryBytes: 1000, maxTotalBytes: 5000 };

describe('reading ZIP archives entry by entry', () => {
  let dir: string;
  let n = 0;
  const archive = async (content: Buffer | readonly ZipTestEntry[]) => {
    const file = path.join(dir, `a${n++}.zip`);
    await writeFile(file, Buffer.isBuffer(content) ? content : zipArchive(content));
    return file;
  };
  const read = async (file: string, given = limits) => {
    const entries: ZipEntry[] = [];
    for await (const e of zipEntries(file, given)) entries.push(e);
    return entries;
  };
  const problemOf = (e: ZipEntry | undefined) => (e && 'problem' in e ? e.problem.code : undefined);

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'clearway-zip-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads stored and deflated entries in order, leaving folders out', async () => {
    const file = await archive([
      { name: 'a.xml', data: '<a/>'.repeat(50) },
      { name: 'dir/', data: '', method: 0 },
      { name: 'dir/b.xml', data: '<b/>', method: 0 },
    ]);
    assert.equal(await looksLikeZip(file), true);
    const entries = await read(file);
    assert.deepEqual(
      entries.map((e) => [e.name, 'bytes' in e ? e.bytes.toString() : e.problem.code]),
      [
        ['a.xml', '<a/>'.repeat(50)],
        ['dir/b.xml', '<b/>'],
      ],
    );
  });

  test('an entry that inflates past the cap is that entry’s problem, whatever size it declares', async () => {
    const file = await archive([
      { name: 'bomb.xml', data: Buffer.alloc(1_000_000, 0x20), declaredSize: 10 },
      { name: 'big.xml', data: Buffer.alloc(2000, 0x20) },
      { name: 'fine.xml', data: '<ok/>' },
    ]);
    const entries = await read(file);
    assert.equal(problemOf(entries[0]), 'xml_too_large');
    assert.equal(problemOf(entries[1]), 'xml_too_large');
    assert.ok(entries[2] && 'bytes' in entries[2]);
  });

  test('a bad checksum, an unknown method or a misplaced entry is named, not thrown', async () => {
    const good = zipArchive([{ name: 'x.xml', data: '<x/>' }]);
    const method = Buffer.from(good);
    method.writeUInt16LE(12, good.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10); // bzip2
    const misplaced = Buffer.from(good);
    misplaced.writeUInt32LE(5, good.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 42);
    assert.equal(
      problemOf((await read(await archive([{ name: 'c.xml', data: '<c/>', declaredCrc: 1 }])))[0]),
      'zip_entry_damaged',
    );
    assert.equal(problemOf((await read(await archive(method)))[0]), 'zip_entry_method');
    assert.equal(problemOf((await read(await archive(misplaced)))[0]), 'zip_entry_damaged');
  });

  test('refuses an archive with too many entries before reading any', async () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `${i}.xml`, data: '<m/>' }));
    await assert.rejects(read(await archive(many)), (e: unknown) => {
      assert.ok(e instanceof ZipError);
      assert.match(e.message, /lists 11 entries, more than the 10 accepted/);
      return true;
    });
  });

  test('stops when the entries together inflate past the total cap', async () => {
    const entries = Array.from({ length: 8 }, (_, i) => ({
      name: `${i}.xml`,
      data: Buffer.alloc(900, 0x41),
    }));
    await assert.rejects(read(await archive(entries)), /inflates to more than 5000 bytes/);
  });

  test('refuses an archive that lists one body many times (a ZIP bomb), before inflating any', async () => {
    // 200 entries over one 4 MB body: 14 KB that inflated to 839 MB before entries had to be apart
    const bomb = await archive(overlapping(Buffer.alloc(4 * 1024 * 1024 - 10, 0x20), 200));
    const big = { maxEntries: 50_000, maxEntryBytes: 4 * 1024 * 1024, maxTotalBytes: 8 * 1024 ** 3 };
    const seen: ZipEntry[] = [];
    await assert.rejects(
      (async () => {
        for await (const e of zipEntries(bomb, big)) seen.push(e);
      })(),
      (e: unknown) => e instanceof ZipError && /entries a\.xml and a\.xml overlap/.test(e.message),
    );
    assert.equal(seen.length, 0);
    // entries one byte apart overlap too
    const shifted = await archive(overlapping(Buffer.alloc(1000, 0x20), 3, (i) => i));
    await assert.rejects(read(shifted), /overlap/);
  });

  test('an entry whose local header names another file or declares other sizes is damaged', async () => {
    const good = zipArchive([
      { name: 'x.xml', data: '<x/>' },
      { name: 'y.xml', data: '<y/>' },
    ]);
    const renamed = Buffer.from(good);
    renamed.write('z', 30); // the local name of x.xml
    const resized = Buffer.from(good);
    resized.writeUInt32LE(99, 22); // the local uncompressed size of x.xml
    for (const bytes of [renamed, resized]) {
      const entries = await read(await archive(bytes));
      assert.equal(problemOf(entries[0]), 'zip_entry_damaged');
      assert.match(entries[0] && 'problem' in entries[0] ? entries[0].problem.message : '', /local header/);
      assert.ok(entries[1] && 'bytes' in entries[1]);
    }
  });

  test('entries apart may still inflate to no more than 100 times the archive', async () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({
      name: `${i}.xml`,
      data: Buffer.alloc(100_000, 0x20),
    }));
    const file = await archive(entries);
    const roomy = { maxEntries: 100, maxEntryBytes: 100_000, maxTotalBytes: 10 ** 9 };
    await assert.rejects(read(file, roomy), (e: unknown) => {
      assert.ok(e instanceof ZipError);
      assert.match(
        e.message,
        /inflates to more than \d+ bytes, the most accepted for an archive of \d+ bytes/,
      );
      return true;
    });
    // a small archive may always hold one entry at its cap
    assert.equal(inflatedCap(100, roomy), 100_000);
    assert.equal(inflatedCap(10_000, roomy), 1_000_000);
  });

  test('no archive inflates past 512 MiB, whatever limit the caller gives', () => {
    assert.equal(maxArchiveInflatedBytes, 536_870_912);
    const caller = { maxEntries: 50_000, maxEntryBytes: 4 * 1024 * 1024, maxTotalBytes: 8 * 1024 ** 3 };
    assert.equal(inflatedCap(4 * 1024 ** 3, caller), 536_870_912);
  });

  test('refuses a corrupt or truncated archive with a clear error', async () => {
    const good = zipArchive([{ name: 'x.xml', data: '<x/>' }]);
    const notZip = await archive(Buffer.from('PK\u0003\u0004 but nothing after'));
    await assert.rejects(read(notZip), /central directory was not found/);
    const truncated = await archive(good.subarray(0, good.length - 30));
    await assert.rejects(read(truncated), ZipError);
    const outside = Buffer.from(good);
    outside.writeUInt32LE(1_000_000, good.length - 6);
    await assert.rejects(read(await archive(outside)), /outside the file/);
    const oversized = Buffer.from(good);
    oversized.writeUInt32LE(1_000_000_000, good.length - 10);
    await assert.rejects(
      read(await archive(oversized)),
      /a central directory of 1000000000 bytes for 1 entries/,
    );
    assert.equal(await looksLikeZip(await archive(Buffer.from('<Declaration/>'))), false);
  });
});
