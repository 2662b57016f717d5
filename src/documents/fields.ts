/**
 * Reads a commercial invoice's fields from its positioned lines, whether from a PDF's text layer
 * or from OCR: labels in English ("Invoice No.", "Seller", "Bill to", "Total"), the value beside
 * or under each label, the line-item table and the totals. Spelling is read loosely where OCR
 * confuses letters (O and 0, l and 1); a field that cannot be read is left out rather than guessed.
 */
import { currencyCode, currencySigns } from './currencies.ts';
import type { InvoiceFields, Located } from './extraction.ts';
import { findLabels, located, valueOf, type Candidate } from './located.ts';
import { readLineItems } from './line-items.ts';
import { numbersIn, parseDate } from './numbers.ts';
import { union, type TextLine } from './text-lines.ts';

const o = '[o0]';
const i = '[il1|]';
const invoiceNumberLabel = new RegExp(
  `\\b${i}nv${o}${i}ce\\s*(?:n${o}\\.?|num(?:ber)?|nr\\.?|#|ref(?:erence)?)(?=[\\s:#.]|$)|^${i}nv${o}${i}ce\\s*:`,
  'i',
);
const dateLabel = new RegExp(`(?:^|\\b${i}nv${o}${i}ce\\s+)(?<!due\\s)dat[e3]\\b`, 'i');
const sellerLabel = /^(?:seller|exporter|shipper|supplier|vendor|from)\b/i;
const buyerLabel = /^(?:buyer|importer|consignee|b[il1]{3}\s*t[o0]|s[o0][il1]d\s*t[o0])\b/i;
const partyWords =
  /^(?:[\s:/&,.\-|]|seller|exporter|shipper|supplier|vendor|from|buyer|importer|consignee|bill\s*to|sold\s*to|and)*$/i;
const currencyLabel = /\bcurrency\b/i;
const incotermLabel = /\bincoterms?\b|\bdelivery\s+terms\b|\bterms\s+of\s+delivery\b|\btrade\s+terms\b/i;
const incotermCode = /\b(EXW|FCA|FAS|FOB|CFR|CIF|CPT|CIP|DAP|DPU|DDP)\b/;
const totalLabels: [RegExp, number][] = [
  [
    /\bgrand\s*t[o0]ta[l1]\b|\bamount\s+due\b|\bt[o0]ta[l1]\s+(?:invoice\s+)?(?:amount|value)\b|\binvoice\s+t[o0]ta[l1]\b/i,
    2,
  ],
  [/\bt[o0]ta[l1]\b/i, 1],
];
const notTotal = /sub\s*-?t[o0]ta[l1]|packages|weight|gross|net\b|q(?:uan)?t(?:it)?y|cartons/i;

/** Reads every field it can from the lines of a document, in reading order. */
/** Lines of a document read for fields, and invoice lines kept: an invoice longer than this is no invoice a person checks. */
export const readingLimits = { lines: 2_000, invoiceLines: 500 } as const;

export function readInvoiceFields(all: readonly TextLine[]): InvoiceFields {
  const lines = all.length > readingLimits.lines ? all.slice(0, readingLimits.lines) : all;
  const table = readLineItems(lines);
  const fields: InvoiceFields = { lines: table.lines.slice(0, readingLimits.invoiceLines) };
  const assign = <K extends keyof Omit<InvoiceFields, 'lines'>>(
    key: K,
    value: InvoiceFields[K] | undefined,
  ) => {
    if (value !== undefined) fields[key] = value;
  };
  assign('number', invoiceNumber(lines));
  assign('date', invoiceDate(lines));
  assign('seller', party(lines, sellerLabel) ?? letterhead(lines));
  assign('buyer', party(lines, buyerLabel));
  assign('total', total(lines, table.end));
  assign('currency', currency(lines));
  assign('incoterm', incoterm(lines));
  return fields;
}

function first<T>(
  candidates: readonly Candidate[],
  read: (c: Candidate) => T | undefined,
): Located<T> | undefined {
  for (const candidate of candidates) {
    const value = read(candidate);
    if (value !== undefined) return located(value, candidate.line, candidate.cell);
  }
  return undefined;
}

/**
 * OCR's letters for digits inside a reference: O among digits is 0, l or I is 1; a lower-case l
 * among capitals is an I.
 */
function cleanReference(token: string): string {
  const zero = /(?<=\d)[Oo](?=[\dOo\-/.]|$)|(?<=[-/.]|^)[Oo](?=[\dOo])/;
  const one = /(?<=\d)[Il|](?=[\dIl|\-/.]|$)|(?<=[-/.]|^)[Il|](?=[\dIl|])/;
  let cleaned = token.replace(/[.,;:]$/, '').replace(/(?<=[A-Z])l|l(?=[A-Z])/g, 'I');
  for (let changed = true; changed;) {
    const next = cleaned.replace(zero, '0').replace(one, '1');
    changed = next !== cleaned;
    cleaned = next;
  }
  return cleaned;
}

function invoiceNumber(lines: readonly TextLine[]): Located<string> | undefined {
  for (const hit of findLabels(lines, invoiceNumberLabel)) {
    const value = first(
      valueOf(lines, hit, (t) => /^(?:date|n[o0]\.?)\b/i.test(t)),
      (c) => {
        const token = c.text.split(/\s+/).find((t) => /[A-Za-z0-9]/.test(t)) ?? '';
        return /\d/.test(token) && /^[A-Za-z0-9][A-Za-z0-9\-/._]*$/.test(token)
          ? cleanReference(token)
          : undefined;
      },
    );
    if (value) return value;
  }
  return undefined;
}

function invoiceDate(lines: readonly TextLine[]): Located<string> | undefined {
  for (const hit of findLabels(lines, dateLabel)) {
    const value = first(valueOf(lines, hit), (c) => parseDate(c.text));
    if (value) return value;
  }
  for (const line of lines) {
    for (const cell of line.cells) {
      const date = parseDate(cell.text);
      if (date) return located(date, line, cell);
    }
  }
  return undefined;
}

function party(lines: readonly TextLine[], label: RegExp): Located<string> | undefined {
  for (const hit of findLabels(lines, label)) {
    const value = first(
      valueOf(lines, hit, (t) => partyWords.test(t)),
      (c) => {
        const name = c.text.replace(/^[^A-Za-z0-9]+/, '').trim();
        return /[A-Za-z]{2}/.test(name) ? name : undefined;
      },
    );
    if (value) return value;
  }
  return undefined;
}

/**
 * The name at the head of the first page, left of the title naming it an invoice: the seller's
 * letterhead. Read only when no seller label was found.
 */
function letterhead(lines: readonly TextLine[]): Located<string> | undefined {
  for (const line of lines.slice(0, 3)) {
    const title = line.cells.findIndex((c) => /[il1]nv[o0][il1]ce/i.test(c.text));
    const cells = line.cells.slice(0, Math.max(0, title)).filter((c) => /[A-Za-z]{2}/.test(c.text));
    if (cells.length === 0 || line.page !== 1) continue;
    const name = cells
      .map((c) => c.text)
      .join(' ')
      .replace(/^[^A-Za-z0-9]+/, '')
      .trim();
    return located(name, line, {
      text: cells.map((c) => c.text).join(' '),
      box: union(cells.map((c) => c.box)),
    });
  }
  return undefined;
}

function currency(lines: readonly TextLine[]): Located<string> | undefined {
  for (const hit of findLabels(lines, currencyLabel)) {
    const value = first(valueOf(lines, hit), (c) => currencyCode(c.text.split(/\s+/)[0] ?? ''));
    if (value) return value;
  }
  const votes = new Map<string, { count: number; at: Located<string> }>();
  for (const line of lines) {
    for (const cell of line.cells) {
      for (const token of cell.text.split(/\s+/)) {
        const code = currencyCode(token);
        if (!code) continue;
        const vote = votes.get(code) ?? { count: 0, at: located(code, line, cell) };
        vote.count += 1;
        votes.set(code, vote);
      }
    }
  }
  const best = [...votes.values()].sort((a, b) => b.count - a.count)[0];
  if (best) return best.at;
  for (const line of lines) {
    for (const cell of line.cells) {
      const sign = Object.keys(currencySigns).find((s) => cell.text.includes(s));
      if (sign) return located(currencySigns[sign] ?? '', line, cell);
    }
  }
  return undefined;
}

function incoterm(lines: readonly TextLine[]): Located<string> | undefined {
  for (const hit of findLabels(lines, incotermLabel)) {
    const value = first(valueOf(lines, hit), (c) => incotermCode.exec(c.text.toUpperCase())?.[1]);
    if (value) return value;
  }
  for (const line of lines) {
    for (const cell of line.cells) {
      const code = /^(EXW|FCA|FAS|FOB|CFR|CIF|CPT|CIP|DAP|DPU|DDP)\s+[A-Z][a-z]/.exec(cell.text)?.[1];
      if (code) return located(code, line, cell);
    }
  }
  return undefined;
}

/** The invoice total: the strongest total label below the table, its last number. */
function total(lines: readonly TextLine[], tableEnd: number): Located<number> | undefined {
  let best: { rank: number; value: Located<number> } | undefined;
  for (let index = tableEnd; index < lines.length; index++) {
    const line = lines[index];
    if (!line || notTotal.test(line.text)) continue;
    const rank = totalLabels.find(([label]) => label.test(line.text))?.[1];
    if (rank === undefined || (best && best.rank > rank)) continue;
    const labelAt = line.cells.findIndex((c) => totalLabels.some(([label]) => label.test(c.text)));
    const cells = line.cells.slice(Math.max(0, labelAt));
    const withNumber = [...cells].reverse().find((c) => numbersIn(c.text).length > 0);
    const number = withNumber ? numbersIn(withNumber.text).at(-1) : undefined;
    if (withNumber && number) best = { rank, value: located(number.value, line, withNumber) };
  }
  return best?.value;
}
