/**
 * Reviews an invoice's fields against the declaration they should back, as an officer would:
 * the total within a tolerance, the currency, the seller's name, the count of lines against the
 * goods items, each item's quantity, and (with a classifier) each line's description against the
 * declared tariff heading. A check is made only when both sides could be read: an unread field
 * raises nothing, and `reviewChecks` says which checks were made and why others were not.
 */
import type { DeclarationInput, GoodsItem } from '../declarations/model.ts';
import type { Box, InvoiceFields, InvoiceLine, Located } from './extraction.ts';
import { matchLines, type LineMatching } from './line-matching.ts';
import { nameSimilarity } from './names.ts';

export type DiscrepancyCode =
  'invoice_total' | 'currency' | 'seller' | 'line_count' | 'quantity' | 'description_hs';

export interface DocumentDiscrepancy {
  code: DiscrepancyCode;
  /** In an officer's words, with both values. */
  message: string;
  declared: string | number | null;
  documented: string | number | null;
  evidence: { page: number; text: string; box?: Box } | null;
  /** The goods item's sequence number. */
  item?: number;
}

export type ReviewedDeclaration = Pick<DeclarationInput, 'invoiceTotal' | 'currency' | 'seller' | 'items'>;

export interface ReviewOptions {
  /** Largest difference of the totals not reported, as a share of the declared total (default 0.02). */
  totalTolerance?: number;
  /** HS6 suggestions for a description, most likely first (the classification aid). */
  classify?: (description: string) => { hs6: string; confidence: number }[];
}

/** Seller names sharing less than this (Dice of distinctive words, names.ts) are different sellers. */
export const sellerSimilarityThreshold = 0.6;
/** A suggestion at least this confident may contradict the declared heading. */
export const classificationConfidence = 0.5;
/** Quantities differing by more than this share (rounding of weights) are different. */
export const quantityTolerance = 0.005;

/** Whether a check could be made on this declaration and document, and why not. */
export interface ReviewCheck {
  code: DiscrepancyCode;
  made: boolean;
  reason?: string;
}

const identifierLike = (s: string) => !/\s/.test(s.trim()) && /\d/.test(s);

/** Each check of the review: made, or not with the missing side named. */
export function reviewChecks(
  declaration: ReviewedDeclaration,
  fields: InvoiceFields,
  options: Pick<ReviewOptions, 'classify'> = {},
): ReviewCheck[] {
  const check = (code: DiscrepancyCode, missing: string | undefined): ReviewCheck =>
    missing === undefined ? { code, made: true } : { code, made: false, reason: missing };
  const lines = fields.lines.length > 0;
  const matching = matchLines(fields.lines, declaration.items);
  const countable = matching.itemOf.some(
    (j, i) => fields.lines[i]?.quantity && declaration.items[j]?.supplementaryQuantity !== undefined,
  );
  return [
    check(
      'invoice_total',
      !fields.total
        ? 'no total read on the invoice'
        : declaration.invoiceTotal === undefined
          ? 'no invoice total declared'
          : undefined,
    ),
    check('currency', fields.currency ? undefined : 'no currency read on the invoice'),
    check(
      'seller',
      !fields.seller
        ? 'no seller read on the invoice'
        : !declaration.seller
          ? 'no seller declared'
          : identifierLike(declaration.seller)
            ? 'the declared seller is an identifier, not a name'
            : undefined,
    ),
    check(
      'line_count',
      !lines
        ? 'no line items read on the invoice'
        : declaration.items.length === 0
          ? 'no goods items declared'
          : undefined,
    ),
    check(
      'quantity',
      countable ? undefined : 'no invoice line with a quantity matches an item with a supplementary quantity',
    ),
    check(
      'description_hs',
      !options.classify ? 'no classifier given' : !lines ? 'no line items read on the invoice' : undefined,
    ),
  ];
}

const evidenceOf = (field: Located<unknown> | undefined) =>
  field ? { page: field.page, text: field.text, ...(field.box ? { box: field.box } : {}) } : null;
const money = (n: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dotted = (hs: string) => `${hs.slice(0, 4)}.${hs.slice(4, 6)}`;

/** The discrepancies between the declaration and the invoice, in the order of the checks. */
export function reviewDocument(
  declaration: ReviewedDeclaration,
  fields: InvoiceFields,
  options: ReviewOptions = {},
): DocumentDiscrepancy[] {
  const made = new Set(reviewChecks(declaration, fields, options).flatMap((c) => (c.made ? [c.code] : [])));
  const found: DocumentDiscrepancy[] = [];
  const tolerance = options.totalTolerance ?? 0.02;
  const { total, currency, seller } = fields;
  const declaredTotal = declaration.invoiceTotal;
  if (made.has('invoice_total') && total && declaredTotal !== undefined) {
    const difference = Math.abs(total.value - declaredTotal);
    if (difference > Math.max(0.01, tolerance * Math.abs(declaredTotal)))
      found.push({
        code: 'invoice_total',
        message: `The invoice total is ${money(total.value)}; the declared invoice total is ${money(declaredTotal)} (a difference of ${money(difference)}, more than ${Math.round(tolerance * 1000) / 10}%).`,
        declared: declaredTotal,
        documented: total.value,
        evidence: evidenceOf(total),
      });
  }
  if (
    made.has('currency') &&
    currency &&
    currency.value.toUpperCase() !== declaration.currency.trim().toUpperCase()
  )
    found.push({
      code: 'currency',
      message: `The invoice is in ${currency.value}; the declaration is in ${declaration.currency}.`,
      declared: declaration.currency,
      documented: currency.value,
      evidence: evidenceOf(currency),
    });
  if (made.has('seller') && seller && declaration.seller) {
    const similarity = nameSimilarity(seller.value, declaration.seller);
    if (similarity < sellerSimilarityThreshold)
      found.push({
        code: 'seller',
        message: `The invoice names the seller "${seller.value}"; the declared seller is "${declaration.seller}".`,
        declared: declaration.seller,
        documented: seller.value,
        evidence: evidenceOf(seller),
      });
  }
  const matching = matchLines(fields.lines, declaration.items);
  if (made.has('line_count')) found.push(...lineCount(declaration.items, fields.lines, matching));
  if (made.has('quantity')) found.push(...quantities(declaration.items, fields.lines, matching));
  if (made.has('description_hs') && options.classify)
    found.push(...descriptions(declaration.items, fields.lines, matching, options.classify));
  return found;
}

function lineCount(
  items: readonly GoodsItem[],
  lines: readonly InvoiceLine[],
  m: LineMatching,
): DocumentDiscrepancy[] {
  if (m.unmatchedItems.length === 0 && m.unmatchedLines.length === 0) return [];
  const missing = m.unmatchedItems.map((j) => items[j]?.sequence ?? j + 1);
  const extra = m.unmatchedLines.map((i) => i + 1);
  const parts = [
    missing.length > 0
      ? `no invoice line for item${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`
      : '',
    extra.length > 0
      ? `invoice line${extra.length > 1 ? 's' : ''} ${extra.join(', ')} match${extra.length > 1 ? '' : 'es'} no declared item`
      : '',
  ].filter((p) => p !== '');
  const shown = lines[m.unmatchedLines[0] ?? lines.length - 1];
  return [
    {
      code: 'line_count',
      message: `The invoice has ${lines.length} line${lines.length === 1 ? '' : 's'}; the declaration has ${items.length} goods item${items.length === 1 ? '' : 's'}: ${parts.join('; ')}.`,
      declared: items.length,
      documented: lines.length,
      evidence: evidenceOf(shown?.description),
      ...(missing[0] === undefined ? {} : { item: missing[0] }),
    },
  ];
}

/** Units that name the same count (UN/ECE codes and invoice spellings). */
const unitNames: Record<string, string> = {
  PCS: 'NAR',
  PC: 'NAR',
  PCE: 'NAR',
  EA: 'NAR',
  U: 'NAR',
  UNIT: 'NAR',
  UNITS: 'NAR',
  NAR: 'NAR',
  PR: 'PR',
  PRS: 'PR',
  PAIR: 'PR',
  PAIRS: 'PR',
  NPR: 'PR',
  KG: 'KGM',
  KGS: 'KGM',
  KGM: 'KGM',
  L: 'LTR',
  LTR: 'LTR',
  M: 'MTR',
  MTR: 'MTR',
  M2: 'MTK',
  MTK: 'MTK',
};
const sameUnit = (a: string | undefined, b: string | undefined) =>
  a === undefined ||
  b === undefined ||
  (unitNames[a.toUpperCase()] ?? a.toUpperCase()) === (unitNames[b.toUpperCase()] ?? b.toUpperCase());

function quantities(
  items: readonly GoodsItem[],
  lines: readonly InvoiceLine[],
  m: LineMatching,
): DocumentDiscrepancy[] {
  const found: DocumentDiscrepancy[] = [];
  items.forEach((item, j) => {
    const declared = item.supplementaryQuantity;
    const mine = lines.filter((_, i) => m.itemOf[i] === j);
    if (declared === undefined || mine.length === 0) return;
    if (mine.some((l) => !l.quantity || !sameUnit(l.unit?.value, item.supplementaryUnit))) return;
    const documented = Math.round(mine.reduce((s, l) => s + (l.quantity?.value ?? 0), 0) * 1000) / 1000;
    if (Math.abs(documented - declared) <= quantityTolerance * Math.abs(declared)) return;
    const unit = item.supplementaryUnit ? ` ${item.supplementaryUnit}` : '';
    found.push({
      code: 'quantity',
      message: `Item ${item.sequence} declares ${declared}${unit}; the invoice ${mine.length > 1 ? `lines for it add up to` : 'line shows'} ${documented}${unit}.`,
      declared,
      documented,
      evidence: evidenceOf(mine[0]?.quantity),
      item: item.sequence,
    });
  });
  return found;
}

function descriptions(
  items: readonly GoodsItem[],
  lines: readonly InvoiceLine[],
  m: LineMatching,
  classify: NonNullable<ReviewOptions['classify']>,
): DocumentDiscrepancy[] {
  const found: DocumentDiscrepancy[] = [];
  lines.forEach((line, i) => {
    const item = items[m.itemOf[i] ?? -1];
    const top = classify(line.description.value)[0];
    if (!item || !top || top.confidence < classificationConfidence) return;
    if (top.hs6.slice(0, 4) === item.hsCode.slice(0, 4)) return;
    found.push({
      code: 'description_hs',
      message: `Invoice line ${i + 1} reads "${line.description.value}", which suggests HS ${dotted(top.hs6)}; item ${item.sequence} is declared under ${dotted(item.hsCode)}.`,
      declared: item.hsCode,
      documented: top.hs6,
      evidence: evidenceOf(line.description),
      item: item.sequence,
    });
  });
  return found;
}
