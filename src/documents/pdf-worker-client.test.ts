import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDeflate } from 'node:zlib';
import { DocumentError, DocumentProblem } from './document-error.ts';
import { extractDocument } from './extract.ts';
import { generateInvoice } from './generate/invoice.ts';
import { invoicePdf } from './generate/pdf.ts';
import { sampleDeclarations } from './generate/samples.ts';
import { readPdfText } from './pdf-text.ts';
import { defaultPdfLimits, readPdfInWorker } from './pdf-worker-client.ts';

/** A one-page PDF whose content stream, Flate-compressed, is `chunks` of it repeated `times`. */
async function onePagePdf(chunk: string, times: number): Promise<Uint8Array> {
  const deflate = createDeflate();
  const parts: Buffer[] = [];
  deflate.on('data', (c: Buffer) => parts.push(c));
  const block = Buffer.from(chunk, 'latin1');
  for (let i = 0; i < times; i++)
    if (!deflate.write(block)) await new Promise((r) => deflate.once('drain', r));
  await new Promise((r) => deflate.end(r));
  const stream = Buffer.concat(parts);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const out: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let at = out[0]?.length ?? 0;
  objects.forEach((object, i) => {
    offsets.push(at);
    const body = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n${object}`),
      ...(i === 3 ? [stream, Buffer.from('\nendstream')] : []),
      Buffer.from('\nendobj\n'),
    ]);
    out.push(body);
    at += body.length;
  });
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}` +
        `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`,
    ),
  );
  return new Uint8Array(Buffer.concat(out));
}

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
  const crowded = await onePagePdf('BT /F1 1 Tf 1 0 0 1 10 10 Tm (word) Tj ET\n', 300_000);
  await assert.rejects(readPdfInWorker(crowded, 20, { limits }), refusedFor(/memory limit \(32 MB\)/));
});

test('a PDF whose stream inflates past the memory limit is refused while it inflates', async () => {
  // 400 MB of spaces in a 400 kB file: decoded into buffers outside the worker's heap
  const bomb = await onePagePdf(' '.repeat(1 << 20), 400);
  assert.ok(bomb.length < 1 << 20);
  await assert.rejects(
    readPdfInWorker(bomb, 20, { limits: { ...defaultPdfLimits, memoryMb: 64 } }),
    refusedFor(/memory limit \(64 MB\)/),
  );
});
