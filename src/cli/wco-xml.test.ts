/** `clearway import --format wco-xml` and `clearway export wco-xml`, run as an operator would. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateDeclarations } from '../demo/generate.ts';
import { declarationToXml } from '../declarations/formats/wco-xml/index.ts';
import { declarationVariants } from '../testing/declaration-variants.ts';
import { storageTargets } from '../testing/harness.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';
import { clearway } from '../testing/cli-process.ts';
import { zipArchive } from '../testing/zip.ts';

const zipped = [...generateDeclarations({ count: 40, seed: 4, from: '2025-07-01', to: '2025-07-31' })].map(
  (d) => declarationToXml(d.input),
);

/** Demo declarations whose optional fields are each kept, dropped or set at random. */
const messages = [...declarationVariants({ count: 60, seed: 3, from: '2025-05-01', to: '2025-05-31' })].map(
  (d) => declarationToXml(d),
);

for (const target of storageTargets()) {
  describe(`clearway WCO XML files on ${target}`, () => {
    let dir: string;
    let store: EmptyStore;
    let inbox: string;

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'clearway-wco-cli-'));
      store = await emptyStore(target, path.join(dir, 'data'));
      inbox = path.join(dir, 'inbox');
      await mkdir(inbox);
      for (const [i, xml] of messages.entries()) {
        await writeFile(path.join(inbox, `m${String(i).padStart(3, '0')}.xml`), xml);
      }
      await writeFile(path.join(inbox, 'z-other.xml'), '<Declaration xmlns="urn:example:other"/>');
      await writeFile(
        path.join(inbox, 'z-schema.xml'),
        (messages[0] ?? '').replace(/<TypeCode>(IM|EX)<\/TypeCode>/, '<TypeCode>IMPORT</TypeCode>'),
      );
      await writeFile(path.join(inbox, 'notes.txt'), 'not a message');
    });
    after(async () => {
      await store?.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    test('imports a folder of messages: each accepted or rejected on its own, rejections located', async () => {
      const run = await clearway(store.env, ['import', inbox, '--format', 'wco-xml', '--json']);
      assert.equal(run.code, 1, run.stderr);
      const summary = JSON.parse(run.stdout) as {
        files: number;
        accepted: number;
        rejected: number;
        rejections: { file: string; findings: { code: string; line?: number; xmlPath?: string }[] }[];
      };
      assert.equal(summary.files, messages.length + 2);
      assert.equal(summary.accepted, messages.length);
      assert.equal(summary.rejected, 2);
      const byFile = new Map(summary.rejections.map((r) => [path.basename(r.file), r.findings]));
      assert.equal(byFile.get('z-other.xml')?.[0]?.code, 'xml_wrong_namespace');
      const schema = byFile.get('z-schema.xml')?.[0];
      assert.equal(schema?.code, 'xml_schema_invalid');
      assert.equal(schema?.xmlPath, 'Declaration/TypeCode');
      assert.ok((schema?.line ?? 0) > 1);
    });

    test('importing the same messages again stores nothing new', async () => {
      const run = await clearway(store.env, ['import', inbox, '--format', 'wco-xml', '--json']);
      const summary = JSON.parse(run.stdout) as { accepted: number; duplicates: number };
      assert.equal(summary.accepted, 0);
      assert.equal(summary.duplicates, messages.length);
    });

    test('exports one message per declaration, each as it was imported', async () => {
      const out = path.join(dir, 'out');
      const run = await clearway(store.env, [
        'export',
        'wco-xml',
        '--out',
        out,
        '--from',
        '2025-05-01',
        '--to',
        '2025-05-31',
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), { declarations: messages.length, out });
      const files = await readdir(out);
      assert.equal(files.length, messages.length);
      const written = new Set(await Promise.all(files.map((f) => readFile(path.join(out, f), 'utf8'))));
      for (const xml of messages) assert.ok(written.has(xml), 'every message comes back unchanged');

      const none = await clearway(store.env, [
        'export',
        'wco-xml',
        '--out',
        path.join(dir, 'none'),
        '--from',
        '2025-06-01',
      ]);
      assert.deepEqual(JSON.parse(none.stdout), { declarations: 0, out: path.join(dir, 'none') });
    });

    test('a single message file imports, and a bad period is a usage error', async () => {
      const one = await clearway(store.env, [
        'import',
        path.join(inbox, 'z-other.xml'),
        '--format',
        'wco-xml',
      ]);
      assert.equal(one.code, 1);
      assert.match(one.stdout, /z-other\.xml:1:\d+: xml xml_wrong_namespace/);
      const bad = await clearway(store.env, [
        'export',
        'wco-xml',
        '--out',
        path.join(dir, 'x'),
        '--from',
        '2025-13-01',
      ]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--from must be a calendar day/);
    });
    test('imports a ZIP archive entry by entry: hostile entries rejected by name, quality counted', async () => {
      const checked = async () => {
        const db = await store.open();
        try {
          const [row] = await db.query<{ n: number }>(
            `SELECT coalesce(sum(checked), 0)::int4 AS n FROM quality_counts
              WHERE field = '' AND day BETWEEN '2025-07-01' AND '2025-07-31'`,
          );
          return row?.n ?? 0;
        } finally {
          await db.close();
        }
      };
      const archive = path.join(dir, 'messages.zip');
      await writeFile(
        archive,
        zipArchive([
          ...zipped.map((xml, i) => ({ name: `july/m${i}.xml`, data: xml })),
          { name: 'readme.txt', data: 'not a message' },
          // a zip bomb: 5 MB of spaces that declares 100 bytes
          { name: 'bomb.xml', data: Buffer.alloc(5 * 1024 * 1024, 0x20), declaredSize: 100 },
          { name: 'broken.xml', data: zipped[0] ?? '', declaredCrc: 1 },
          {
            name: 'invalid.xml',
            data: (zipped[1] ?? '').replace(/<TypeCode>(IM|EX)<\/TypeCode>/, '<TypeCode>IMPORT</TypeCode>'),
          },
        ]),
      );
      const before = await checked();
      const run = await clearway(store.env, ['import', archive, '--format', 'wco-xml', '--json']);
      assert.equal(run.code, 1, run.stderr);
      const summary = JSON.parse(run.stdout) as {
        files: number;
        accepted: number;
        rejected: number;
        rejections: { file: string; findings: { code: string }[] }[];
      };
      assert.equal(summary.files, zipped.length + 4);
      assert.equal(summary.accepted, zipped.length);
      const codes = new Map(
        summary.rejections.map((r) => [r.file.slice(archive.length), r.findings[0]?.code]),
      );
      assert.deepEqual(Object.fromEntries(codes), {
        '!readme.txt': 'zip_entry_not_xml',
        '!bomb.xml': 'xml_too_large',
        '!broken.xml': 'zip_entry_damaged',
        '!invalid.xml': 'xml_schema_invalid',
      });
      // every message validation read is counted, the valid ones and the one the schema refused
      assert.equal((await checked()) - before, zipped.length + 1);
    });

    test('an archive that cannot be read is refused whole with exit 2, naming the problem', async () => {
      const corrupt = path.join(dir, 'corrupt.zip');
      await writeFile(corrupt, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(500, 7)]));
      const bad = await clearway(store.env, ['import', corrupt, '--format', 'wco-xml']);
      assert.equal(bad.code, 2, bad.stdout);
      assert.match(bad.stderr, /corrupt\.zip: not a ZIP archive, or a damaged one/);
      const crowded = path.join(dir, 'crowded.zip');
      await writeFile(
        crowded,
        zipArchive(
          Array.from({ length: 50_001 }, (_, i) => ({ name: `${i}.xml`, data: '', method: 0 as const })),
        ),
      );
      const many = await clearway(store.env, ['import', crowded, '--format', 'wco-xml']);
      assert.equal(many.code, 2, many.stdout);
      assert.match(many.stderr, /lists 50001 entries, more than the 50000 accepted/);
    });
  });
}
