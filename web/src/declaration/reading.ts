/**
 * What reading a document found, as the server stores it (src/documents/reader.ts): its fields
 * with their evidence, and its review; only the types cross over. Officials get the review's
 * discrepancies; the trader and declarant only the checks made.
 */
import type { Box, DocumentExtraction, Located } from '../../../src/documents/extraction.ts';
import type { DocumentDiscrepancy, ReviewCheck } from '../../../src/documents/review.ts';

export type { Box, DocumentDiscrepancy, DocumentExtraction, Located };

export interface Review {
  checks: ReviewCheck[];
  /** Officials only. */
  discrepancies?: DocumentDiscrepancy[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The extraction, when the document was read and it has the stored shape. */
export function extractionOf(v: unknown): DocumentExtraction | null {
  return isObject(v) && isObject(v.fields) && Array.isArray(v.fields.lines) && typeof v.text === 'string'
    ? (v as unknown as DocumentExtraction)
    : null;
}

export function reviewOf(v: unknown): Review | null {
  return isObject(v) && Array.isArray(v.checks) ? (v as unknown as Review) : null;
}

/** The invoice's header fields in the order an officer reads them. */
export const headerFields = [
  ['number', 'Invoice number'],
  ['date', 'Date'],
  ['seller', 'Seller'],
  ['buyer', 'Buyer'],
  ['currency', 'Currency'],
  ['incoterm', 'Incoterm'],
  ['total', 'Total'],
] as const;

/** What each discrepancy is about, in words. */
export const discrepancyWords: Record<DocumentDiscrepancy['code'], string> = {
  invoice_total: 'Invoice total',
  currency: 'Currency',
  seller: 'Seller',
  line_count: 'Number of lines',
  quantity: 'Quantity',
  description_hs: 'Description against the tariff heading',
};

/** A box as shares of its page, for a picture shown at any size. */
export function boxStyle(box: Box, page: { width: number; height: number }) {
  const pct = (n: number, of: number) => `${((n / of) * 100).toFixed(3)}%`;
  return {
    left: pct(box.x, page.width),
    top: pct(box.y, page.height),
    width: pct(box.width, page.width),
    height: pct(box.height, page.height),
  };
}
