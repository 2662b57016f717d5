/**
 * Reads a document: its text (the PDF text layer, OCR of an image or of a PDF page without text,
 * or plain text) as positioned lines, then the invoice fields in them. Pure of storage and HTTP:
 * bytes in, an extraction out, or a DocumentError for bytes that are no readable document. PDFs
 * are parsed in a worker thread under memory and time limits (pdf-worker-client.ts).
 */
import { DocumentError, DocumentProblem } from './document-error.ts';
import type { DocumentExtraction, DocumentMediaType } from './extraction.ts';
import { readingLimits, readInvoiceFields } from './fields.ts';
import { imageSize } from './image-size.ts';
import { openOcr, type OcrEngine, type OcrLine } from './ocr.ts';
import { readPdfInWorker, type PdfLimits } from './pdf-worker-client.ts';
import { cellsOf, lineOf, type TextLine } from './text-lines.ts';

export interface ExtractOptions {
  /**
   * An open OCR engine to reuse, or how to get one when a document needs it; without either, an
   * engine is opened for the document and closed after.
   */
  ocr?: OcrEngine | (() => Promise<OcrEngine>);
  /** Pages of a PDF read at most (default 20); the count of pages is still reported. */
  maxPages?: number;
  /** Limits of the PDF worker (default `defaultPdfLimits`). */
  pdfLimits?: PdfLimits;
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
  if (mediaType === 'application/pdf') return pdfDocument(bytes, options);
  if (mediaType === 'text/plain') return plainText(bytes);
  imageSize(bytes, mediaType);
  const page = await withOcr(options, (ocr) => ocr.recognise(bytes));
  const lines = ocrTextLines(1, page.lines, 1);
  return {
    mediaType,
    pages: 1,
    method: 'ocr',
    text: textOf(lines),
    fields: readInvoiceFields(lines),
    confidence: meanConfidence(lines),
    pageSizes: [{ width: page.width, height: page.height }],
  };
}

/** Runs `read` with the engine of `options`, or with one opened for it and closed after. */
async function withOcr<T>(options: ExtractOptions, read: (ocr: OcrEngine) => Promise<T>): Promise<T> {
  const given = options.ocr;
  if (given) return read(typeof given === 'function' ? await given() : given);
  const ocr = await openOcr();
  try {
    return await read(ocr);
  } finally {
    await ocr.close();
  }
}

/** OCR's lines of page `page`, in the page's units: pixels divided by `scale`. */
function ocrTextLines(page: number, lines: readonly OcrLine[], scale: number): TextLine[] {
  const inUnits = (box: OcrLine['box']) =>
    scale === 1
      ? box
      : { x: box.x / scale, y: box.y / scale, width: box.width / scale, height: box.height / scale };
  return lines.map((l) =>
    lineOf(page, cellsOf((l.words ?? [l]).map((w) => ({ text: w.text, box: inUnits(w.box) }))), l.confidence),
  );
}

/** The mean confidence of OCR's lines, to one decimal. */
function meanConfidence(lines: readonly TextLine[]): number {
  const mean = lines.length === 0 ? 0 : lines.reduce((s, l) => s + (l.confidence ?? 0), 0) / lines.length;
  return Math.round(mean * 10) / 10;
}

/**
 * A PDF: its text layer, and OCR of the images of its pages without text (a scan saved as PDF),
 * in points from the top-left corner either way. Method `ocr` when any page was OCR'd.
 */
async function pdfDocument(bytes: Uint8Array, options: ExtractOptions): Promise<DocumentExtraction> {
  const pdf = await readPdfInWorker(bytes, options.maxPages ?? 20, {
    renderScans: true,
    ...(options.pdfLimits ? { limits: options.pdfLimits } : {}),
  });
  const base = { mediaType: 'application/pdf' as const, pages: pdf.pages, pageSizes: pdf.pageSizes };
  if (pdf.scans.length === 0)
    return { ...base, method: 'text-layer', text: textOf(pdf.lines), fields: readInvoiceFields(pdf.lines) };
  const ocrScans = withOcr(options, async (ocr) => {
    const lines: TextLine[] = [];
    for (const scan of pdf.scans)
      lines.push(...ocrTextLines(scan.page, (await ocr.recognise(scan.png)).lines, scan.scale));
    return lines;
  });
  // with a text layer read, OCR that fails (a blank page timing out, the engine not opening) loses
  // only the scanned pages
  const scanned = pdf.lines.length > 0 ? await ocrScans.catch(() => []) : await ocrScans;
  if (scanned.length === 0)
    return { ...base, method: 'text-layer', text: textOf(pdf.lines), fields: readInvoiceFields(pdf.lines) };
  // pages in order, each page's lines as read (the sort is stable)
  const lines = [...pdf.lines, ...scanned].sort((a, b) => a.page - b.page);
  return {
    ...base,
    method: 'ocr',
    text: textOf(lines),
    fields: readInvoiceFields(lines),
    confidence: meanConfidence(scanned),
  };
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
