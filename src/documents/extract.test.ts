import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentTypeOf } from './content-type.ts';
import { DocumentError, DocumentProblem } from './document-error.ts';
import { extractDocument } from './extract.ts';
import { generateInvoice } from './generate/invoice.ts';
import { invoiceImage } from './generate/image.ts';
import { invoicePdf, scannedPdf } from './generate/pdf.ts';
import { sampleDeclarations } from './generate/samples.ts';

test('reads every field of generated invoice PDFs from their text layer', async () => {
  for (const [seed, declaration] of sampleDeclarations(8).entries()) {
    const { truth } = generateInvoice(declaration, seed);
    const extraction = await extractDocument(
      await invoicePdf(generateInvoice(declaration, seed).layout),
      'application/pdf',
    );
    const { fields } = extraction;
    assert.equal(extraction.method, 'text-layer');
    assert.equal(extraction.pages, 1);
    assert.equal(fields.number?.value, truth.number, `number, seed ${seed}`);
    assert.equal(fields.date?.value, truth.date, `date, seed ${seed}`);
    assert.equal(fields.seller?.value, truth.seller, `seller, seed ${seed}`);
    assert.equal(fields.buyer?.value, truth.buyer, `buyer, seed ${seed}`);
    assert.equal(fields.currency?.value, truth.currency, `currency, seed ${seed}`);
    assert.equal(fields.incoterm?.value, truth.incoterm.slice(0, 3), `incoterm, seed ${seed}`);
    assert.equal(fields.total?.value, truth.total, `total, seed ${seed}`);
    assert.deepEqual(
      fields.lines.map((l) => ({
        description: l.description.value,
        quantity: l.quantity?.value,
        unit: l.unit?.value,
        unitPrice: l.unitPrice?.value,
        amount: l.amount?.value,
      })),
      truth.lines,
      `lines, seed ${seed}`,
    );
    const box = fields.total?.box;
    assert.ok(
      box && box.x > 0 && box.y > 0 && box.x + box.width <= 596 && box.y + box.height <= 842,
      'total box on the page',
    );
  }
});

test('tells PDF, PNG, JPEG and text apart by their first bytes, and refuses anything else', () => {
  const bytes = (...b: number[]) => new Uint8Array(b);
  assert.equal(documentTypeOf(new TextEncoder().encode('%PDF-1.7\n')), 'application/pdf');
  assert.equal(documentTypeOf(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0)), 'image/png');
  assert.equal(documentTypeOf(bytes(0xff, 0xd8, 0xff, 0xe0, 0)), 'image/jpeg');
  assert.equal(documentTypeOf(new TextEncoder().encode('Invoice No. 1\nTotal 5.00')), 'text/plain');
  assert.throws(() => documentTypeOf(bytes(0x50, 0x4b, 3, 4, 0, 0)), { code: DocumentProblem.UnknownType });
  assert.throws(() => documentTypeOf(bytes(0xc3, 0x28)), { code: DocumentProblem.UnknownType });
  assert.throws(() => documentTypeOf(bytes()), { code: DocumentProblem.Empty });
});

test('refuses bytes that are no readable PDF or image with a clear error', async () => {
  const [declaration] = sampleDeclarations(1);
  assert.ok(declaration);
  const pdf = await invoicePdf(generateInvoice(declaration, 1).layout);
  const refusals: [Uint8Array, 'application/pdf' | 'image/png' | 'image/jpeg', string][] = [
    [new TextEncoder().encode('%PDF-1.7 not really'), 'application/pdf', DocumentProblem.UnreadablePdf],
    [pdf.slice(0, pdf.length >> 1), 'application/pdf', DocumentProblem.UnreadablePdf],
    [new TextEncoder().encode('plain words'), 'application/pdf', DocumentProblem.UnreadablePdf],
    [
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'image/png',
      DocumentProblem.UnreadableImage,
    ],
    [new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg', DocumentProblem.UnreadableImage],
    [new Uint8Array(), 'image/png', DocumentProblem.Empty],
  ];
  for (const [bytes, type, code] of refusals) {
    await assert.rejects(extractDocument(bytes, type), (error: unknown) => {
      assert.ok(error instanceof DocumentError, String(error));
      assert.equal(error.code, code);
      assert.ok(error.message.length > 10);
      return true;
    });
  }
});

test('a scanned PDF without a text layer is read by OCR, its boxes in points like a text layer', async () => {
  const [declaration] = sampleDeclarations(1);
  assert.ok(declaration);
  const { layout, truth } = generateInvoice(declaration, 2);
  const pdf = await scannedPdf(layout, invoiceImage(layout, { format: 'png', seed: 2 }), 'png');
  const extraction = await extractDocument(pdf, 'application/pdf');
  assert.equal(extraction.method, 'ocr');
  assert.equal(extraction.pages, 1);
  assert.deepEqual(extraction.pageSizes, [{ width: layout.width, height: layout.height }]);
  assert.ok((extraction.confidence ?? 0) > 50, `confidence ${extraction.confidence}`);
  assert.equal(extraction.fields.seller?.value, truth.seller);
  assert.equal(extraction.fields.currency?.value, truth.currency);
  assert.equal(extraction.fields.total?.value, truth.total);
  assert.equal(extraction.fields.lines.length, truth.lines.length);
  const box = extraction.fields.total?.box;
  assert.ok(box && box.x > 0 && box.x + box.width <= layout.width && box.y + box.height <= layout.height);
  assert.equal(extraction.fields.total?.page, 1);
});

test('a text document is read as far as a long invoice goes, however long the file', async () => {
  const rows = ['INVOICE No. INV-77', 'Seller: Acme Trading Ltd', 'Total USD 1,234.50'];
  for (let k = 0; k < 20_000; k++) rows.push(`filler line ${k} ${'x'.repeat(k % 3 === 0 ? 3_000 : 10)}`);
  const extraction = await extractDocument(Buffer.from(rows.join('\n')), 'text/plain');
  assert.equal(extraction.fields.number?.value, 'INV-77');
  const kept = extraction.text.split('\n');
  assert.equal(kept.length, 2_000);
  assert.ok(kept.every((row) => row.length <= 1_000));
  assert.equal(extraction.pageSizes[0]?.height, 2_000);
});
