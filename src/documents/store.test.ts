/**
 * Documents in storage: the reading seam (recordReading) and who sees what it found, and retention
 * (archived with the declaration's line, purged with it, a content kept while another attachment
 * refers to it).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { verifyArchiveFolder } from '../governance/retention/archive-files.ts';
import { archiveExpired } from '../governance/retention/archive.ts';
import { sealPending } from '../governance/ledger/seal.ts';
import { apiSuite } from '../testing/api-suite.ts';
import { aPdf, attach } from '../testing/documents.ts';
import { storageTargets } from '../testing/harness.ts';
import { claimNext } from './reader.ts';
import { attachmentById, contentOf, recordReading, type ReadingClaim } from './store.ts';

const unzip = promisify(gunzip);

for (const target of storageTargets()) {
  describe(`documents in storage (${target})`, () => {
    // the server's reader is off: the readings here are recorded by hand
    const s = apiSuite(target, {}, { CLEARWAY_DOCUMENT_READING: 'false' });
    const dirs: string[] = [];
    const claim = async (doc: number): Promise<ReadingClaim> => {
      const claimed = await claimNext(s.ctx.db, 60_000, doc);
      assert.ok(claimed, `document ${doc} was claimed`);
      return claimed;
    };
    const lapse = (doc: number) =>
      s.ctx.db.query(
        `UPDATE declaration_documents SET read_claimed_until = now() - interval '1 second' WHERE id = $1`,
        [doc],
      );
    after(async () => {
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    });

    test("a reading is recorded on the ledger and shown to officials; the trader sees the fields and the checks, not the review's findings", async () => {
      const id = (await s.lodge()).id;
      const doc = Number((await attach(s.server, s.tokens.trader, id, aPdf())).body.id);
      const extraction = { invoiceNumber: { value: 'INV-2026-0113', page: 1 } };
      const checks = [{ code: 'invoice_total', made: true }];
      const review = { checks, discrepancies: [{ code: 'invoice_total', declared: 1200, documented: 1350 }] };
      assert.equal(await recordReading(s.ctx.db, await claim(doc), { extraction, review }), true);
      const officer = await s.call(s.tokens.officer, 'GET', `/api/documents/${doc}`);
      assert.deepEqual([officer.body.extraction, officer.body.review], [extraction, review]);
      assert.equal(typeof officer.body.readAt, 'string');
      const trader = await s.call(s.tokens.trader, 'GET', `/api/declarations/${id}/documents`);
      const shown = (trader.body.documents as Record<string, unknown>[])[0] ?? {};
      assert.equal(typeof shown.readAt, 'string');
      assert.deepEqual([shown.extraction, shown.review], [extraction, { checks }]);

      assert.equal(
        await recordReading(s.ctx.db, await claim(doc), { error: 'no text layer and OCR found no words' }),
        true,
      );
      const failed = await s.call(s.tokens.officer, 'GET', `/api/documents/${doc}`);
      assert.deepEqual(
        [failed.body.extraction, failed.body.review, failed.body.readError],
        [null, null, 'no text layer and OCR found no words'],
      );
      assert.equal(await recordReading(s.ctx.db, { id: 999_999_999, attempts: 1 }, { error: 'gone' }), false);
      await sealPending(s.ctx.db);
      const entries = await s.ctx.db.query<{ data: string }>(
        `SELECT data FROM ledger WHERE action = 'document.reading_recorded' AND subject_id = $1 ORDER BY seq`,
        [String(doc)],
      );
      assert.deepEqual(
        entries.map((e) => JSON.parse(e.data).read),
        [true, false],
      );
    });

    test('a reader whose claim another reader took after its lease passed cannot record, before or after the newer reading', async () => {
      const id = (await s.lodge()).id;
      const doc = Number((await attach(s.server, s.tokens.trader, id, aPdf('read twice'))).body.id);
      const late = await claim(doc);
      await lapse(doc);
      const current = await claim(doc);
      assert.deepEqual([late.attempts, current.attempts], [1, 2]);
      const lateReading = { extraction: { invoiceNumber: { value: 'LATE-1' } }, review: null };
      assert.equal(
        await recordReading(s.ctx.db, late, lateReading),
        false,
        'refused before the newer reading',
      );
      assert.equal((await attachmentById(s.ctx.db, doc))?.readAt, null);
      const extraction = { invoiceNumber: { value: 'CURRENT-2' } };
      assert.equal(await recordReading(s.ctx.db, current, { extraction, review: null }), true);
      assert.equal(await recordReading(s.ctx.db, late, lateReading), false, 'refused after it');
      assert.equal(await recordReading(s.ctx.db, late, { error: 'late failure' }), false);
      const stored = await attachmentById(s.ctx.db, doc);
      assert.deepEqual([stored?.extraction, stored?.readError], [extraction, null]);
      await sealPending(s.ctx.db);
      const [entries] = await s.ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ledger WHERE action = 'document.reading_recorded' AND subject_id = $1`,
        [String(doc)],
      );
      assert.equal(entries?.n, 1);
    });

    test('documents are archived in their declaration’s line and purged with it; a shared content stays', async () => {
      const shared = aPdf('attached to two declarations');
      const own = aPdf('attached to one declaration');
      const old = (await s.lodge({ date: '2026-01-05' })).id;
      const kept = (await s.lodge({ date: '2026-03-02' })).id;
      const first = await attach(s.server, s.tokens.trader, old, shared, { filename: 'shared.pdf' });
      await attach(s.server, s.tokens.trader, old, own, { filename: 'own.pdf' });
      await attach(s.server, s.tokens.trader, kept, shared, { filename: 'shared.pdf' });
      await s.call(s.tokens.administrator, 'PUT', '/api/retention/policies/declarations', { keep: '10y' });
      const dir = await mkdtemp(path.join(tmpdir(), 'clearway-documents-archive-'));
      dirs.push(dir);
      // ten years and a month after the first declaration's date: only it is due
      const now = new Date('2036-02-10T00:00:00Z');
      const report = await archiveExpired(s.ctx.db, { dir, actor: 'test', now });
      const lines: string[] = [];
      for (const run of report.runs) {
        const manifest = await verifyArchiveFolder(run.folder);
        for (const file of manifest.files.filter((f) => f.dataClass === 'declarations'))
          lines.push(
            ...(await unzip(await readFile(path.join(run.folder, file.file))))
              .toString('utf8')
              .trimEnd()
              .split('\n'),
          );
      }
      const line = lines
        .map((l) => JSON.parse(l) as { declaration: { id: number }; documents: Record<string, unknown>[] })
        .find((l) => l.declaration.id === old);
      const ownSha = createHash('sha256').update(own).digest('hex');
      assert.deepEqual(
        line?.documents.map((d) => [d.filename, d.sha256, d.size]),
        [
          ['shared.pdf', first.body.sha256, shared.length],
          ['own.pdf', ownSha, own.length],
        ],
      );
      const [left] = await s.ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM declaration_documents WHERE declaration_id = $1',
        [old],
      );
      assert.equal(left?.n, 0);
      assert.ok((await contentOf(s.ctx.db, String(first.body.sha256)))?.equals(shared));
      assert.equal(await contentOf(s.ctx.db, ownSha), null);
    });
  });
}
