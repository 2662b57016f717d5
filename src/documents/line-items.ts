/**
 * The line-item table of an invoice: a header row naming its columns (description, quantity,
 * unit, unit price, amount), then one row per line until the totals. Cells go to the column whose
 * header they stand under; a row whose cells could not be placed is read from the right (amount,
 * unit price, unit, quantity), as invoices print them; a row with words only continues the
 * description above it.
 */
import type { InvoiceLine, Located } from './extraction.ts';
import { located } from './located.ts';
import { numbersIn, parseNumber } from './numbers.ts';
import type { TextCell, TextLine } from './text-lines.ts';

type Column = 'no' | 'description' | 'quantity' | 'unit' | 'unitPrice' | 'amount' | 'other';

const columnWords: [Column, RegExp][] = [
  ['unitPrice', /\bunit\s*pri[cс]e|\bpri[cс]e\b|\brate\b/i],
  ['description', /descr[il1]pt[il1][o0]n|\bg[o0][o0]ds\b|\bpr[o0]duct|\bart[il1]c[il1]e/i],
  ['quantity', /\bq(?:uan)?t(?:it)?y\b|\bq['’]?ty\b|\bquant[il1]ty/i],
  ['unit', /^(?:un[il1]t|u[o0]m|u\/m)$/i],
  ['amount', /\bam[o0]unt\b|\btotal\b|\bvalue\b/i],
  ['no', /^(?:n[o0]\.?|#|[il1]tem|p[o0]s\.?|s\/?n)$/i],
  ['other', /\bhs\b|tar[il1]ff|\b[o0]r[il1]g[il1]n/i],
];

/** The end of the table: totals, or a note below it. */
const tableEnd = /\b(?:sub\s*-?t[o0]ta[l1]|t[o0]ta[l1]|amount\s+due|grand)\b/i;

interface HeaderColumn {
  column: Column;
  x0: number;
  x1: number;
}

/** A header's columns, from its cells (a cell naming two columns is split at the second name). */
function headerColumns(line: TextLine): HeaderColumn[] | undefined {
  const columns: HeaderColumn[] = [];
  for (const cell of line.cells) {
    const named = columnWords
      .map(([column, words]) => ({ column, at: words.exec(cell.text)?.index }))
      .filter((n): n is { column: Column; at: number } => n.at !== undefined)
      .sort((a, b) => a.at - b.at)
      .filter((n, i, all) => i === 0 || n.at > (all[i - 1]?.at ?? 0));
    const perChar = cell.box.width / Math.max(1, cell.text.length);
    named.forEach((n, i) => {
      const end = named[i + 1]?.at ?? cell.text.length;
      columns.push({ column: n.column, x0: cell.box.x + n.at * perChar, x1: cell.box.x + end * perChar });
    });
  }
  const kinds = new Set(columns.map((c) => c.column));
  const isHeader = kinds.has('description') && (kinds.has('quantity') || kinds.has('amount'));
  return isHeader ? columns : undefined;
}

/** The column a cell stands under: the header it overlaps most, else the nearest. */
function columnOf(cell: TextCell, columns: readonly HeaderColumn[]): Column {
  let best: Column = 'other';
  let bestScore = -Infinity;
  for (const c of columns) {
    const overlap = Math.min(cell.box.x + cell.box.width, c.x1) - Math.max(cell.box.x, c.x0);
    if (overlap > bestScore) {
      bestScore = overlap;
      best = c.column;
    }
  }
  return best;
}

/** The first number of a text, located at its cell. */
function numberAt(text: string, line: TextLine, cell: TextCell): Located<number> | undefined {
  const first = numbersIn(text)[0];
  return first === undefined ? undefined : located(first.value, line, cell);
}

const unitToken = /^[A-Za-z]{1,4}\.?$/;

/** A row read from the right: amount, unit price, then an optional unit and the quantity. */
function fromTheRight(line: TextLine, row?: InvoiceLine): InvoiceLine | undefined {
  const tokens = line.text.split(/\s+/).filter((t) => t !== '');
  const values: number[] = [];
  let unit: string | undefined;
  let end = tokens.length;
  while (end > 0 && values.length < 3) {
    const token = tokens[end - 1] ?? '';
    const value = parseNumber(token);
    if (value !== undefined) values.push(value);
    else if (values.length === 2 && unit === undefined && unitToken.test(token))
      unit = token.replace('.', '');
    else break;
    end--;
  }
  const text = cleanDescription(tokens.slice(0, end).join(' '));
  const description = row?.description ?? (text ? located(text, line) : undefined);
  if (!description) return undefined;
  if (values.length < 3) return row;
  const [amount, unitPrice, quantity] = values;
  const at = <T>(value: T | undefined): Located<T> | undefined =>
    value === undefined ? undefined : located(value, line);
  return {
    description,
    quantity: row?.quantity ?? at(quantity),
    unit: row?.unit ?? at(unit?.toUpperCase()),
    unitPrice: row?.unitPrice ?? at(unitPrice),
    amount: row?.amount ?? at(amount),
  };
}

/** A description without the row number, HS code or OCR specks before it; undefined if it holds no word. */
function cleanDescription(text: string): string | undefined {
  const cleaned = text
    .replace(/^[^A-Za-z0-9]*(?:\d{1,3}[.)]?\s+)?(?:\d{4}(?:\.?\d{2}){1,3}\s+)?(?=\D)/, '')
    .trim();
  return /[A-Za-z]{3}/.test(cleaned) ? cleaned : undefined;
}

/** How far quantity × unit price may stray from the amount (unit prices are rounded). */
const productTolerance = 0.03;
const near = (a: number, b: number) => Math.abs(a - b) <= productTolerance * Math.abs(b);

/**
 * A row whose quantity times unit price is a power of ten off its amount lost a decimal point to
 * OCR ("05174" for 0.5174, "5184371" for 51,843.71): the number that disagrees is put right.
 */
function repaired(row: InvoiceLine | undefined): InvoiceLine | undefined {
  const { quantity, unitPrice, amount } = row ?? {};
  if (!row || !quantity || !unitPrice || !amount || amount.value === 0) return row;
  const product = quantity.value * unitPrice.value;
  if (near(product, amount.value)) return row;
  for (const shift of [10, 100, 1000, 10000]) {
    if (near(product / shift, amount.value))
      return { ...row, unitPrice: { ...unitPrice, value: unitPrice.value / shift } };
    if (near(product, amount.value / shift))
      return { ...row, amount: { ...amount, value: amount.value / shift } };
  }
  return row;
}

/**
 * Whether a line without numbers continues the description above it: it starts under that
 * description, reads as words (most of them three letters or more) and, read by OCR, with some
 * confidence; a scanned rule or speck reads otherwise.
 */
function continues(line: TextLine, previous: InvoiceLine): boolean {
  const start = line.cells[0]?.box.x ?? line.box.x;
  const above = previous.description.box;
  if (above && Math.abs(start - above.x) > 2 * line.box.height) return false;
  const words = line.text.split(/\s+/).filter((w) => w !== '');
  const wordy = words.filter((w) => /[A-Za-z]{3}/.test(w)).length >= 0.6 * words.length;
  return wordy && (line.confidence === undefined || line.confidence >= 60);
}

/** Whether a row holds an item: an amount with a quantity or price, or a quantity with a price. */
const isItem = (row: InvoiceLine) =>
  row.amount ? Boolean(row.quantity || row.unitPrice) : Boolean(row.quantity && row.unitPrice);

/** Lines that read as items from the right, with a product that agrees: a table whose header was not read. */
function rowsWithoutHeader(lines: readonly TextLine[]): { lines: InvoiceLine[]; end: number } {
  const rows: InvoiceLine[] = [];
  let end = 0;
  lines.forEach((line, i) => {
    if (tableEnd.test(line.text)) return;
    const row = repaired(fromTheRight(line));
    const { quantity, unitPrice, amount } = row ?? {};
    if (row && quantity && unitPrice && amount && near(quantity.value * unitPrice.value, amount.value)) {
      rows.push(row);
      end = i + 1;
    }
  });
  return { lines: rows, end };
}

/** One table row, or undefined when it holds no description. */
function readRow(line: TextLine, columns: readonly HeaderColumn[]): InvoiceLine | undefined {
  const byColumn = new Map<Column, TextCell[]>();
  for (const cell of line.cells) {
    const column = columnOf(cell, columns);
    byColumn.set(column, [...(byColumn.get(column) ?? []), cell]);
  }
  const cellOf = (column: Column): TextCell | undefined => {
    const cells = byColumn.get(column);
    if (!cells || cells.length === 0) return undefined;
    if (cells.length === 1) return cells[0];
    return { text: cells.map((c) => c.text).join(' '), box: cells[0]?.box ?? line.box };
  };
  const descriptionCell = cellOf('description');
  const description = cleanDescription(descriptionCell?.text ?? '');
  if (!descriptionCell || !description) return undefined;
  const row: InvoiceLine = { description: located(description, line, descriptionCell) };
  const quantity = cellOf('quantity');
  if (quantity) {
    row.quantity = numberAt(quantity.text, line, quantity);
    const stuck = quantity.text.split(/\s+/).find((t) => unitToken.test(t) && parseNumber(t) === undefined);
    if (stuck && !byColumn.has('unit'))
      row.unit = located(stuck.replace('.', '').toUpperCase(), line, quantity);
  }
  const unit = cellOf('unit');
  if (unit && /^[A-Za-z]{1,4}\.?$/.test(unit.text.trim()))
    row.unit = located(unit.text.trim().replace('.', '').toUpperCase(), line, unit);
  const price = cellOf('unitPrice');
  if (price) row.unitPrice = numberAt(price.text, line, price);
  const amount = cellOf('amount');
  if (amount) row.amount = numberAt(amount.text, line, amount);
  return repaired(row.quantity && row.amount && row.unitPrice ? row : fromTheRight(line, row));
}

/**
 * The rows of the first line-item table in `lines`, and the index of the line after it; a table
 * ends at its totals, or after three lines in a row that are no item.
 */
export function readLineItems(lines: readonly TextLine[]): { lines: InvoiceLine[]; end: number } {
  for (let h = 0; h < lines.length; h++) {
    const header = lines[h];
    const columns = header ? headerColumns(header) : undefined;
    if (!header || !columns) continue;
    const rows: InvoiceLine[] = [];
    let i = h + 1;
    let misses = 0;
    for (; i < lines.length && misses < 3; i++) {
      const line = lines[i];
      if (!line || line.page !== header.page || tableEnd.test(line.text)) break;
      const row = readRow(line, columns);
      const previous = rows.at(-1);
      misses = row && isItem(row) ? 0 : misses + 1;
      if (row && isItem(row)) rows.push(row);
      else if (
        row &&
        previous &&
        misses === 1 &&
        numbersIn(line.text).length === 0 &&
        continues(line, previous)
      ) {
        const joined = `${previous.description.value} ${row.description.value}`;
        previous.description = { ...previous.description, value: joined, text: joined };
        misses = 0;
      }
    }
    if (rows.length > 0) return { lines: rows, end: i };
  }
  return rowsWithoutHeader(lines);
}
