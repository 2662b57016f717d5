import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { extractDocument } from './extract.ts';
import { generateInvoice } from './generate/invoice.ts';
import { invoiceImage } from './generate/image.ts';
import { sampleDeclarations } from './generate/samples.ts';
import { nameSimilarity } from './names.ts';
import { openOcr, type OcrEngine } from './ocr.ts';
import { reviewDocument } from './review.ts';

let ocr: OcrEngine | undefined;
before(async () => {
  ocr = await openOcr();
});
after(async () => {
  await ocr?.close();
});

const [shoes, other] = sampleDeclarations(3).slice(1);

test('refuses a truncated PNG with a clear error, and the engine reads on', async () => {
  assert.ok(shoes && ocr);
  const image = invoiceImage(generateInvoice(shoes, 2).layout, { format: 'png', seed: 2, scale: 0.5 });
  await assert.rejects(extractDocument(image.slice(0, image.length >> 1), 'image/png', { ocr }), {
    name: 'DocumentError',
    code: 'document_image_unreadable',
  });
});

test('reads the number, total, currency and seller of a scanned invoice: rotated, noisy, blurred JPEG', async () => {
  assert.ok(shoes && ocr);
  const { truth, layout } = generateInvoice(shoes, 2);
  const image = invoiceImage(layout, {
    format: 'jpeg',
    seed: 2,
    rotation: -1.8,
    noise: 10,
    blur: 0.4,
    artefacts: true,
  });
  const extraction = await extractDocument(image, 'image/jpeg', { ocr });
  const { fields } = extraction;
  assert.equal(extraction.method, 'ocr');
  assert.ok((extraction.confidence ?? 0) > 50, `confidence ${extraction.confidence}`);
  assert.equal(fields.number?.value, truth.number);
  assert.equal(fields.total?.value, truth.total);
  assert.equal(fields.currency?.value, truth.currency);
  assert.ok(fields.seller && nameSimilarity(fields.seller.value, truth.seller) === 1, fields.seller?.value);
  const box = fields.total?.box;
  const size = extraction.pageSizes[0];
  assert.ok(
    box && size && box.x > size.width / 2 && box.y < size.height / 2,
    'the total stands right, in the upper half',
  );
});

test('reviews a scanned PNG invoice against its declaration: the other seller, and nothing else', async () => {
  assert.ok(other && ocr);
  const invoice = generateInvoice(other, 8, ['seller']);
  const image = invoiceImage(invoice.layout, { format: 'png', seed: 8, noise: 6 });
  const { fields } = await extractDocument(image, 'image/png', { ocr });
  assert.deepEqual(
    reviewDocument(other, fields).map((d) => d.code),
    ['seller'],
  );
});
