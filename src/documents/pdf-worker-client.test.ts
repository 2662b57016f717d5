import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentError, DocumentProblem } from './document-error.ts';
import { extractDocument } from './extract.ts';
import { aCrowdedPdf, aPdfBomb } from './generate/hostile-pdf.ts';
import { generateInvoice } from './generate/invoice.ts';
import { invoicePdf } from './generate/pdf.ts';
import { sampleDeclarations } from './generate/samples.ts';
import { readPdfText } from './pdf-text.ts';
import { defaultPdfLimits, readPdfInWorker } from './pdf-worker-client.ts';

const invoice = async () => {
  const [declaration] = sampleDeclarations(1);
  assert.ok(declaration);
  return invoicePdf(generateInvoice(declaration, 1).layout);
};

const refusedFor = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof DocumentError, String(error));
  assert.equal(error.code, DocumentProblem.UnreadablePdf);
  assert.match(error.message, pattern);
  return true;
};

test('a PDF reads the same in the worker thread as in this one', async () => {
  const bytes = await invoice();
  const inThread = await readPdfText(bytes, 20);
  assert.ok(inThread.lines.length > 10);
  assert.deepEqual(await readPdfInWorker(bytes, 20), inThread);
  // the worker kept from the first reading serves the next one alike
  assert.deepEqual(await readPdfInWorker(bytes, 20), inThread);
});

test('a PDF not read within the time limit is refused, and the next one reads', async () => {
  const bytes = await invoice();
  await assert.rejects(
    extractDocument(bytes, 'application/pdf', { pdfLimits: { ...defaultPdfLimits, timeMs: 1 } }),
    refusedFor(/could not be read within 1 ms/),
  );
  assert.equal((await extractDocument(bytes, 'application/pdf')).method, 'text-layer');
});

test('a PDF whose text overflows the worker heap is refused, though an invoice reads in that heap', async () => {
  const limits = { ...defaultPdfLimits, heapMb: 32 };
  assert.equal((await readPdfInWorker(await invoice(), 20, { limits })).pages, 1);
  // 300,000 pieces of text on one page, in a 700 kB file
  const crowded = await aCrowdedPdf(300_000);
  await assert.rejects(readPdfInWorker(crowded, 20, { limits }), refusedFor(/memory limit \(32 MB\)/));
});

test('a PDF whose stream inflates past the memory limit is refused while it inflates', async () => {
  // 300 MB of spaces in a 300 kB file: decoded into buffers outside the worker's heap
  const bomb = await aPdfBomb(300);
  assert.ok(bomb.length < 1 << 20);
  await assert.rejects(
    readPdfInWorker(bomb, 20, { limits: { ...defaultPdfLimits, memoryMb: 64 } }),
    refusedFor(/memory limit \(64 MB\)/),
  );
});
