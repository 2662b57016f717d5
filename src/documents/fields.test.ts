import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractDocument } from './extract.ts';

/** A page as OCR might give it, one text line per row; runs of spaces separate cells. */
const read = async (rows: string[]) =>
  (await extractDocument(new TextEncoder().encode(rows.join('\n')), 'text/plain')).fields;

const noisy = [
  'Ningbo Uni0n Import & Export Co., Ltd.            COMMERCIAL lNVOICE',
  '                                                  lnvoice N0.: INV-2O26-OO417',
  '                                                  Date: 2O26-11-O3',
  '                                                  Incoterms 2020: FOB Ningbo',
  '',
  'Seller / Exporter                                 Bill to',
  'Ningbo Uni0n Import & Export Co., Ltd.            Hanbit Trading Co., Ltd.',
  '',
  'No.  Description of goods              Qty     Unit   Unit price    Amount (USD)',
  '1    canvas sneakers                   36O     PR     4.40          1,584.OO',
  '2    running shoes, textile upper,     778     PR     8.63          6,714.14',
  '     rubber sole',
  '                                                      Subtotal      8,298.14',
  '                                                      Grand tota1   USD 8.298,14',
];

test('reads every field of an invoice page with OCR slips in labels and numbers', async () => {
  const fields = await read(noisy);
  assert.equal(fields.number?.value, 'INV-2026-00417');
  assert.equal(fields.date?.value, '2026-11-03');
  assert.equal(fields.seller?.value, 'Ningbo Uni0n Import & Export Co., Ltd.');
  assert.equal(fields.seller?.page, 1);
  assert.deepEqual(fields.seller?.box, { x: 0, y: 6, width: 38, height: 1 });
  assert.equal(fields.buyer?.value, 'Hanbit Trading Co., Ltd.');
  assert.equal(fields.currency?.value, 'USD');
  assert.equal(fields.incoterm?.value, 'FOB');
  assert.match(fields.incoterm?.text ?? '', /FOB Ningbo/);
  assert.equal(fields.total?.value, 8298.14);
  assert.deepEqual(
    fields.lines.map((l) => [
      l.description.value,
      l.quantity?.value,
      l.unit?.value,
      l.unitPrice?.value,
      l.amount?.value,
    ]),
    [
      ['canvas sneakers', 360, 'PR', 4.4, 1584],
      ['running shoes, textile upper, rubber sole', 778, 'PR', 8.63, 6714.14],
    ],
  );
});

test('takes a value from under its label, and a currency from its sign when no code is printed', async () => {
  const fields = await read([
    'Invoice #     2026/EX/0912',
    'Invoice date  7 December 2026',
    'Shipper',
    'Bluewater Commodities GmbH',
    'Description          Quantity   Amount',
    'Copper wire         1,200      €9,480.00',
    'Amount due          €9,480.00',
  ]);
  assert.equal(fields.number?.value, '2026/EX/0912');
  assert.equal(fields.date?.value, '2026-12-07');
  assert.equal(fields.seller?.value, 'Bluewater Commodities GmbH');
  assert.equal(fields.currency?.value, 'EUR');
  assert.equal(fields.total?.value, 9480);
  assert.equal(fields.lines[0]?.quantity?.value, 1200);
  assert.equal(fields.lines[0]?.amount?.value, 9480);
});

test('leaves out what is not there rather than guessing', async () => {
  const fields = await read(['Packing list', 'Total packages: 12 cartons', 'Gross weight 340 kg']);
  assert.equal(fields.total, undefined);
  assert.equal(fields.number, undefined);
  assert.equal(fields.seller, undefined);
  assert.equal(fields.currency, undefined);
  assert.deepEqual(fields.lines, []);
});
