/**
 * An invoice page laid out as a grid: a title, the parties each on one labelled line, the details
 * as a row of labels with their values underneath, a table with an HS code column, and the total
 * on one line after the count of packages.
 */
import type { Random } from '../../demo/random.ts';
import type { InvoiceTruth } from './invoice.ts';
import { a4, count, formatDate, money, price, type DrawnText, type PageLayout, type Rule } from './print.ts';

export function layOutGrid(truth: InvoiceTruth, random: Random, hsCodes: readonly string[]): PageLayout {
  const texts: DrawnText[] = [];
  const rules: Rule[] = [];
  const text = (t: string, x: number, y: number, size = 9, more: Partial<DrawnText> = {}) =>
    texts.push({ text: t, x, y, size, ...more });
  const right = a4.width - 40;

  text('INVOICE', 40, 58, 18, { bold: true });
  text(`${random.pick(['From', 'Exporter', 'Shipper'])}: ${truth.seller}`, 40, 92, 9.5);
  text('Export Processing Zone, Block C', 40, 105, 8.5);
  text(`${random.pick(['Bill to', 'Consignee', 'Importer'])}: ${truth.buyer}`, 310, 92, 9.5);
  text('45 Jungang-daero, Busan, Republic of Korea', 310, 105, 8.5);

  const details: [string, string, number][] = [
    [random.pick(['Invoice No.', 'Invoice #']), truth.number, 40],
    ['Invoice date', formatDate(truth.date, random.int(5)), 160],
    ['Currency', truth.currency, 280],
    ['Incoterms', truth.incoterm, 380],
  ];
  rules.push({ x0: 40, y0: 130, x1: right, y1: 130 });
  for (const [label, value, x] of details) {
    text(label, x, 145, 8, { bold: true });
    text(value, x, 159, 9);
  }
  rules.push({ x0: 40, y0: 168, x1: right, y1: 168 });

  const header = 200;
  const columns = {
    item: 40,
    hs: 68,
    description: 122,
    quantity: 360,
    unit: 368,
    unitPrice: 470,
    amount: right,
  };
  text('Item', columns.item, header, 8.5, { bold: true });
  text('HS code', columns.hs, header, 8.5, { bold: true });
  text('Description', columns.description, header, 8.5, { bold: true });
  text('Qty', columns.quantity, header, 8.5, { bold: true, align: 'right' });
  text('UOM', columns.unit, header, 8.5, { bold: true });
  text('Price', columns.unitPrice, header, 8.5, { bold: true, align: 'right' });
  text('Total', columns.amount, header, 8.5, { bold: true, align: 'right' });
  rules.push({ x0: 40, y0: header + 5, x1: right, y1: header + 5 });
  let y = header + 20;
  truth.lines.forEach((line, i) => {
    text(String(i + 1), columns.item, y, 8.5);
    text(hsCodes[i]?.slice(0, 6) ?? '', columns.hs, y, 8.5);
    text(line.description, columns.description, y, 8.5);
    text(count(line.quantity), columns.quantity, y, 8.5, { align: 'right' });
    text(line.unit, columns.unit, y, 8.5);
    text(price(line.unitPrice), columns.unitPrice, y, 8.5, { align: 'right' });
    text(money(line.amount), columns.amount, y, 8.5, { align: 'right' });
    y += 17;
  });
  rules.push({ x0: 40, y0: y - 8, x1: right, y1: y - 8 });
  y += 10;
  text(`Total packages: ${1 + random.int(400)} cartons`, 40, y, 9);
  y += 18;
  text(`Total amount: ${truth.currency} ${money(truth.total)}`, right, y, 10, { bold: true, align: 'right' });
  text('Payment by telegraphic transfer within 30 days of the invoice date.', 40, y + 50, 8);
  return { ...a4, texts, rules };
}
