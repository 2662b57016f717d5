/**
 * Reading attached documents: the server's reader woken by an attachment stores a generated
 * invoice's fields and review, a declaration still open is assessed again on its discrepancies and
 * a profile on the documents' indicators selects it, a claim a stopped server left is taken again
 * once its lease passed, a file that is no readable document (or a PDF past the reader's limits)
 * records why, and a scanned PDF is read by OCR.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { declarationsRepository } from '../declarations/repository.ts';
import { documentReassessment } from '../risk/document-reassessment.ts';
import { computeIndicators, computeIndicatorsBatch } from '../risk/indicators.ts';
import { parseProfile } from '../risk/profiles/profile.ts';
import { profilesRepository } from '../risk/profiles/repository.ts';
import { apiSuite } from '../testing/api-suite.ts';
import { aCrowdedPdf } from './generate/hostile-pdf.ts';
import { anInvoicePdf, aScannedInvoicePdf, attach } from '../testing/documents.ts';
import { storageTargets } from '../testing/harness.ts';
import { defaultPdfLimits } from './pdf-worker-client.ts';
import {
  claimNext,
  lazyOcr,
  readClaimed,
  readUnread,
  startDocumentReader,
  type ReaderDeps,
} from './reader.ts';
import { attachmentById } from './store.ts';

const silent = { error: () => undefined };

for (const target of storageTargets()) {
  describe(`reading attached documents (${target})`, () => {
    // the server's own reader is off: each test runs the reading it tests
    const s = apiSuite(target, {}, { CLEARWAY_DOCUMENT_READING: 'false' });
    let deps: ReaderDeps;
    const input = async (id: number) => {
      const d = await declarationsRepository.findById(s.ctx.db, id, { kind: 'all' });
      assert.ok(d);
      return d;
    };
    const attached = async (id: number, bytes: Buffer) => {
      const res = await attach(s.server, s.tokens.trader, id, bytes);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return Number(res.body.id);
    };
    const readNow = async () => {
      const ocr = lazyOcr();
      try {
        return await readUnread(deps, ocr);
      } finally {
        await ocr.close();
      }
    };

    before(async () => {
      deps = { db: s.ctx.db, reassess: documentReassessment(s.ctx.risk) };
      const parsed = parseProfile({
        name: 'invoice total differs',
        code: 'DOC-TOTAL',
        lane: 'red',
        weight: 90,
        reason: "the invoice's total is not the declared total",
        validFrom: '2020-01-01',
        conditions: [{ field: 'indicator.invoiceTotalMismatch', op: 'eq', value: true }],
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      const draft = await profilesRepository.create(s.ctx.db, parsed.value, 'analyst-1');
      await profilesRepository.submit(s.ctx.db, draft.id, 'analyst-1');
      assert.ok((await profilesRepository.decide(s.ctx.db, draft.id, 'analyst-2', true, null)).ok);
      s.ctx.risk.invalidate();
    });

    test("the server's reader, woken by an attachment, stores a generated invoice's fields and its review", async () => {
      const id = (await s.lodge()).id;
      const stop = startDocumentReader(deps, silent, 60_000);
      try {
        const doc = await attached(id, await anInvoicePdf(await input(id), ['value']));
        let stored = await attachmentById(s.ctx.db, doc);
        for (let i = 0; i < 200 && !stored?.readAt; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          stored = await attachmentById(s.ctx.db, doc);
        }
        assert.ok(stored?.readAt, 'the document was read');
        assert.equal(stored.readError, null);
        const fields = (stored.extraction?.fields ?? {}) as Record<string, { value?: unknown } | undefined>;
        assert.equal(fields.currency?.value, 'USD');
        assert.equal(typeof fields.total?.value, 'number');
        const review = stored.review as { checks: unknown[]; discrepancies: { code: string }[] };
        assert.deepEqual(
          review.discrepancies.map((d) => d.code),
          ['invoice_total'],
        );
        assert.ok(review.checks.length > 0);
      } finally {
        await stop();
      }
    });

    test('a declaration still open whose invoice differs is assessed again, and a profile on the indicator selects it', async () => {
      const differs = (await s.lodge()).id;
      const agrees = (await s.lodge()).id;
      await attached(differs, await anInvoicePdf(await input(differs), ['value']));
      await attached(agrees, await anInvoicePdf(await input(agrees)));
      assert.equal(await readNow(), 2);
      const hits = await s.ctx.db.query<{ id: number }>(
        `SELECT h.declaration_id::int8 AS id FROM profile_hits h JOIN risk_profiles p ON p.id = h.profile_id
         WHERE p.code = 'DOC-TOTAL' AND h.declaration_id = ANY($1::int8[])`,
        [[differs, agrees]],
      );
      assert.deepEqual(
        hits.map((h) => h.id),
        [differs],
      );
      const officer = await s.call(s.tokens.officer, 'GET', `/api/declarations/${differs}`);
      assert.equal(officer.body.lane, 'red');
      const assessments = await s.ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM risk_assessments WHERE declaration_id = $1',
        [agrees],
      );
      assert.equal(assessments[0]?.n, 1, 'an invoice that agrees leaves the assessment as it was');
      const prices = s.ctx.prices();
      const one = await Promise.all(
        [differs, agrees].map(
          async (id) => (await computeIndicators(s.ctx.db, prices, await input(id), id)).documents,
        ),
      );
      assert.deepEqual(one, [{ discrepancies: 1, codes: ['invoice_total'] }, undefined]);
      const batch = await computeIndicatorsBatch(
        s.ctx.db,
        prices,
        await Promise.all([agrees, differs].map(async (id) => ({ id, input: await input(id) }))),
      );
      assert.deepEqual(
        batch.map((x) => x.documents),
        [one[1], one[0]],
      );
    });

    test('a claim a stopped server left is taken again once its lease has passed, not before', async () => {
      const id = (await s.lodge()).id;
      const doc = await attached(id, await anInvoicePdf(await input(id)));
      const claimed = await claimNext(s.ctx.db, 60_000);
      assert.equal(claimed?.id, doc);
      // the server that claimed it stops here; another one finds nothing while the lease holds
      assert.equal(await claimNext(s.ctx.db), null);
      await s.ctx.db.query(
        `UPDATE declaration_documents SET read_claimed_until = now() - interval '1 second' WHERE id = $1`,
        [doc],
      );
      assert.equal(await readNow(), 1);
      const stored = await attachmentById(s.ctx.db, doc);
      assert.ok(stored?.readAt && stored.extraction);
    });

    test('a reader whose lease passed and whose document another reader claimed records nothing and assesses nothing', async () => {
      const id = (await s.lodge()).id;
      const doc = await attached(id, await anInvoicePdf(await input(id), ['value']));
      const late = await claimNext(s.ctx.db, 60_000);
      assert.equal(late?.id, doc);
      await s.ctx.db.query(
        `UPDATE declaration_documents SET read_claimed_until = now() - interval '1 second' WHERE id = $1`,
        [doc],
      );
      const current = await claimNext(s.ctx.db, 60_000);
      assert.ok(late && current?.id === doc);
      const assessments = async () =>
        (
          await s.ctx.db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM risk_assessments WHERE declaration_id = $1',
            [id],
          )
        )[0]?.n;
      const before = await assessments();
      const ocr = lazyOcr();
      try {
        const newer = await readClaimed(deps, current, ocr);
        assert.deepEqual([newer.read, newer.discrepancies, newer.lane], [true, 1, 'red']);
        const readAt = (await attachmentById(s.ctx.db, doc))?.readAt;
        assert.equal(await assessments(), (before ?? 0) + 1);
        const stale = await readClaimed(deps, late, ocr);
        assert.deepEqual(stale, {
          id: doc,
          declarationId: id,
          read: false,
          discrepancies: 0,
          superseded: true,
        });
        assert.equal(await assessments(), (before ?? 0) + 1, 'the stale reading assessed nothing');
        assert.equal((await attachmentById(s.ctx.db, doc))?.readAt, readAt);
      } finally {
        await ocr.close();
      }
    });

    test('a document whose readings never finish is given up after three claims, with why', async () => {
      const id = (await s.lodge()).id;
      const doc = await attached(id, await anInvoicePdf(await input(id)));
      const lapse = () =>
        s.ctx.db.query(
          `UPDATE declaration_documents SET read_claimed_until = now() - interval '1 second' WHERE id = $1`,
          [doc],
        );
      // three servers claim it in turn and stop before recording anything
      for (let k = 1; k <= 3; k++) {
        assert.equal((await claimNext(s.ctx.db, 60_000))?.attempts, k);
        await lapse();
      }
      assert.equal(await readNow(), 1);
      const stored = await attachmentById(s.ctx.db, doc);
      assert.ok(stored?.readAt);
      assert.equal(stored.readError, 'the document could not be read: 3 readings did not finish');
      assert.equal(stored.extraction, null);
    });

    test('a file that is no readable document records why, and the reader goes on to the next', async () => {
      const id = (await s.lodge()).id;
      const broken = await attached(id, Buffer.from(`%PDF-1.7\n${'broken '.repeat(20)}`));
      const good = await attached(id, await anInvoicePdf(await input(id)));
      assert.equal(await readNow(), 2);
      const [b, g] = await Promise.all([attachmentById(s.ctx.db, broken), attachmentById(s.ctx.db, good)]);
      assert.ok(b?.readAt, 'the broken document counts as read');
      assert.match(b.readError ?? '', /the PDF could not be read/);
      assert.equal(b.extraction, null);
      assert.ok(g?.readAt && g.readError === null && g.extraction);
    });

    test('a PDF past the memory limit records why, and a scanned PDF after it is read by OCR and reviewed', async () => {
      const id = (await s.lodge()).id;
      const crowded = await attached(id, Buffer.from(await aCrowdedPdf(300_000)));
      const scanned = await attached(id, await aScannedInvoicePdf(await input(id), ['currency']));
      const ocr = lazyOcr();
      try {
        const limited = { ...deps, pdfLimits: { ...defaultPdfLimits, heapMb: 32 } };
        assert.equal(await readUnread(limited, ocr), 2);
      } finally {
        await ocr.close();
      }
      const [c, g] = await Promise.all([
        attachmentById(s.ctx.db, crowded),
        attachmentById(s.ctx.db, scanned),
      ]);
      assert.ok(c?.readAt);
      assert.equal(c.readError, "the PDF could not be read within the reader's memory limit (32 MB)");
      assert.ok(g?.readAt && g.readError === null, String(g?.readError));
      assert.equal((g.extraction as { method?: string } | null)?.method, 'ocr');
      const review = g.review as { discrepancies: { code: string }[] };
      assert.deepEqual(
        review.discrepancies.map((d) => d.code),
        ['currency'],
      );
    });
  });
}
