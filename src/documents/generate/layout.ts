/**
 * An invoice page laid out as exporters print them: letterhead, invoice details, seller and buyer
 * blocks, the line table and the totals.
 * Labels and formats vary with the seed, as they do between real exporters.
 */
import type { Random } from '../../demo/random.ts';
import type { InvoiceTruth } from './invoice.ts';
import { layOutGrid } from './layout-grid.ts';
import { a4, count, formatDate, money, price, type DrawnText, type PageLayout, type Rule } from './print.ts';

export type { PageLayout } from './print.ts';

/** The page of an invoice in one of two layouts: a letterhead with labelled blocks, or a grid of boxes. */
export function layOut(truth: InvoiceTruth, random: Random, hsCodes: readonly string[]): PageLayout {
  return random.chance(0.5) ? layOutGrid(truth, random, hsCodes) : layOutLetterhead(truth, random);
}

function layOutLetterhead(truth: InvoiceTruth, random: Random): PageLayout {
  const texts: DrawnText[] = [];
  const rules: Rule[] = [];
  const text = (t: string, x: number, y: number, size = 9, more: Partial<DrawnText> = {}) =>
    texts.push({ text: t, x, y, size, ...more });
  const right = a4.width - 40;

  text(truth.seller, 40, 60, 14, { bold: true });
  text(
    random.pick([
      '12 Harbour Road, Industrial Zone',
      '88 Commerce Street, Suite 5',
      'Building 3, Export Park',
    ]),
    40,
    76,
    8.5,
  );
  text(random.pick(['Tel +62 21 555 0192', 'Tel +86 574 8765 4321', 'Tel +49 40 300 1200']), 40, 88, 8.5);
  text('COMMERCIAL INVOICE', right, 60, 16, { bold: true, align: 'right' });

  const numberLabel = random.pick(['Invoice No.', 'Invoice Number', 'Invoice #']);
  const meta: [string, string][] = [
    [numberLabel, truth.number],
    [random.pick(['Date', 'Invoice date']), formatDate(truth.date, random.int(5))],
  ];
  const currencyLine = random.chance(0.7);
  if (currencyLine) meta.push(['Currency', truth.currency]);
  meta.push([random.pick(['Incoterms 2020', 'Delivery terms']), truth.incoterm]);
  meta.push(['Payment terms', random.pick(['T/T 30 days', 'L/C at sight', 'Cash against documents'])]);
  const together = random.chance(0.4);
  meta.forEach(([label, value], i) => {
    const y = 104 + i * 14;
    if (together) text(`${label}: ${value}`, 340, y);
    else {
      text(`${label}:`, 340, y, 9, { bold: true });
      text(value, 430, y);
    }
  });

  const partyTop = 104 + meta.length * 14 + 26;
  text(random.pick(['SELLER / EXPORTER', 'Seller', 'Exporter', 'Shipper']), 40, partyTop, 9, { bold: true });
  text(random.pick(['BUYER / IMPORTER', 'Buyer', 'Consignee', 'Bill to', 'Sold to']), 310, partyTop, 9, {
    bold: true,
  });
  text(truth.seller, 40, partyTop + 15, 9.5);
  text(truth.buyer, 310, partyTop + 15, 9.5);
  text('Export Processing Zone, Block C', 40, partyTop + 28, 8.5);
  text('45 Jungang-daero, Busan, Republic of Korea', 310, partyTop + 28, 8.5);

  const header = partyTop + 70;
  const columns = {
    no: 40,
    description: 62,
    quantity: 352,
    unit: 362,
    unitPrice: 462,
    amount: right,
  };
  rules.push({ x0: 40, y0: header - 13, x1: right, y1: header - 13 });
  text('No.', columns.no, header, 8.5, { bold: true });
  text(
    random.pick(['Description of goods', 'Description', 'Goods description']),
    columns.description,
    header,
    8.5,
    { bold: true },
  );
  text(random.pick(['Quantity', 'Qty']), columns.quantity, header, 8.5, { bold: true, align: 'right' });
  text('Unit', columns.unit, header, 8.5, { bold: true });
  text('Unit price', columns.unitPrice, header, 8.5, { bold: true, align: 'right' });
  text(`Amount (${truth.currency})`, columns.amount, header, 8.5, { bold: true, align: 'right' });
  rules.push({ x0: 40, y0: header + 5, x1: right, y1: header + 5 });

  let y = header + 20;
  truth.lines.forEach((line, i) => {
    text(String(i + 1), columns.no, y, 8.5);
    text(line.description, columns.description, y, 8.5);
    text(count(line.quantity), columns.quantity, y, 8.5, { align: 'right' });
    text(line.unit, columns.unit, y, 8.5);
    text(price(line.unitPrice), columns.unitPrice, y, 8.5, { align: 'right' });
    text(money(line.amount), columns.amount, y, 8.5, { align: 'right' });
    y += 17;
  });
  rules.push({ x0: 40, y0: y - 8, x1: right, y1: y - 8 });
  y += 8;
  text('Subtotal', 380, y, 9);
  text(money(truth.total), right, y, 9, { align: 'right' });
  y += 18;
  const totalLabel = random.pick(['TOTAL', 'Grand total', 'Amount due', 'Total amount']);
  text(`${totalLabel} ${truth.currency}`, 380, y, 10, { bold: true });
  text(money(truth.total), right, y, 10, { bold: true, align: 'right' });

  y += 50;
  text('We certify that this invoice is true and correct and that the goods are as described.', 40, y, 8);
  text('Authorised signature', 40, y + 40, 8);
  rules.push({ x0: 40, y0: y + 28, x1: 200, y1: y + 28 });
  return { ...a4, texts, rules };
}
