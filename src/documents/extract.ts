/**
 * Reads a document: its text (the PDF text layer, OCR of an image, or plain text) as positioned
 * lines, then the invoice fields in them. Pure of storage and HTTP: bytes in, an extraction out,
 * or a DocumentError for bytes that are no readable document.
 */
import { DocumentError, DocumentProblem } from './document-error.ts';
import type { DocumentExtraction, DocumentMediaType } from './extraction.ts';
import { readingLimits, readInvoiceFields } from './fields.ts';
import { imageSize } from './image-size.ts';
import { openOcr, type OcrEngine } from './ocr.ts';
import { readPdfText } from './pdf-text.ts';
import { cellsOf, lineOf, type TextLine } from './text-lines.ts';

export interface ExtractOptions {
  /** An open OCR engine to reuse; without one, an engine is opened for the image and closed after. */
  ocr?: OcrEngine;
  /** Pages of a PDF read at most (default 20); the count of pages is still reported. */
  maxPages?: number;
}

const textOf = (lines: readonly TextLine[]) =>
  lines
    .slice(0, readingLimits.lines)
    .map((l) => l.text)
    .join('\n');
/** Characters of a text document's row that are read. */
const longestRow = 1_000;

/** The extraction of one document of the given (content-checked) media type. */
export async function extractDocument(
  bytes: Uint8Array,
  mediaType: DocumentMediaType,
  options: ExtractOptions = {},
): Promise<DocumentExtraction> {
  if (bytes.length === 0) throw new DocumentError(DocumentProblem.Empty, 'the document is empty');
  if (mediaType === 'application/pdf') {
    const pdf = await readPdfText(bytes, options.maxPages ?? 20);
    return {
      mediaType,
      pages: pdf.pages,
      method: 'text-layer',
      text: textOf(pdf.lines),
      fields: readInvoiceFields(pdf.lines),
      pageSizes: pdf.pageSizes,
    };
  }
  if (mediaType === 'text/plain') return plainText(bytes);
  imageSize(bytes, mediaType);
  const ocr = options.ocr ?? (await openOcr());
  try {
    const page = await ocr.recognise(bytes);
    const lines = page.lines.map((l) => lineOf(1, cellsOf(l.words ?? [l]), l.confidence));
    const confidence =
      lines.length === 0 ? 0 : lines.reduce((s, l) => s + (l.confidence ?? 0), 0) / lines.length;
    return {
      mediaType,
      pages: 1,
      method: 'ocr',
      text: textOf(lines),
      fields: readInvoiceFields(lines),
      confidence: Math.round(confidence * 10) / 10,
      pageSizes: [{ width: page.width, height: page.height }],
    };
  } finally {
    if (!options.ocr) await ocr.close();
  }
}

/**
 * A text document as one page whose units are characters and lines: runs of two or more spaces
 * or a tab separate cells, as in a printed table.
 */
function plainText(bytes: Uint8Array): DocumentExtraction {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new DocumentError(DocumentProblem.UnknownType, 'the text document is not valid UTF-8');
  }
  // a text document is read as far as a long invoice goes, each row as far as a page is wide
  const rows = text
    .split(/\r?\n/, readingLimits.lines)
    .map((row) => (row.length > longestRow ? row.slice(0, longestRow) : row));
  text = rows.join('\n');
  const lines: TextLine[] = [];
  rows.forEach((row, y) => {
    const cells = [...row.replace(/\t/g, '    ').matchAll(/\S+(?: \S+)*/g)].map((m) => ({
      text: m[0],
      box: { x: m.index, y, width: m[0].length, height: 1 },
    }));
    if (cells.length > 0) lines.push(lineOf(1, cells));
  });
  let width = 0;
  for (const row of rows) width = Math.max(width, row.length);
  return {
    mediaType: 'text/plain',
    pages: 1,
    method: 'text',
    text,
    fields: readInvoiceFields(lines),
    pageSizes: [{ width, height: rows.length }],
  };
}
