/**
 * What reading a commercial document gives: its text, and the invoice fields found in it, each
 * with the page, the text it was read from and the region where it stands, so that an officer
 * can see the evidence beside the value.
 */

/** The kinds of file Clearway reads, decided by their content. */
export type DocumentMediaType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'text/plain';

/** A region in the page's own units: PDF points from the top-left corner, or image pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A value read from a document, with where it was found. */
export interface Located<T> {
  value: T;
  /** 1-based page number. */
  page: number;
  /** The source text the value was read from. */
  text: string;
  box?: Box;
}

/** One row of an invoice's line-item table. */
export interface InvoiceLine {
  description: Located<string>;
  quantity?: Located<number>;
  unit?: Located<string>;
  unitPrice?: Located<number>;
  amount?: Located<number>;
}

/** The fields of a commercial invoice; absent where they could not be read. */
export interface InvoiceFields {
  number?: Located<string>;
  /** YYYY-MM-DD. */
  date?: Located<string>;
  seller?: Located<string>;
  buyer?: Located<string>;
  /** ISO 4217 code. */
  currency?: Located<string>;
  /** Incoterms 2020 code; its place is in `text`. */
  incoterm?: Located<string>;
  lines: InvoiceLine[];
  total?: Located<number>;
}

/** A document as read: how, its text, its pages' sizes and its fields. */
export interface DocumentExtraction {
  mediaType: DocumentMediaType;
  pages: number;
  method: 'text-layer' | 'ocr' | 'text';
  text: string;
  fields: InvoiceFields;
  /** Mean OCR confidence of the lines read, 0 to 100 (OCR only). */
  confidence?: number;
  pageSizes: { width: number; height: number }[];
}
