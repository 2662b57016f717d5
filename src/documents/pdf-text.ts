/**
 * The text layer of a PDF, page by page, as positioned lines (points from the page's top-left
 * corner), through unpdf's bundle of pdf.js. A page without a text layer (a scan saved as PDF) can
 * be rendered to an image for OCR (pdf-render.ts). Runs in the PDF worker thread (pdf-worker.ts),
 * never in the server's own, so that a hostile PDF meets that thread's memory and time limits.
 */
import { getDocumentProxy } from 'unpdf';
import { DocumentError, DocumentProblem } from './document-error.ts';
import { renderScan, type PageScan } from './pdf-render.ts';
import { linesFromFragments, type Fragment, type TextLine } from './text-lines.ts';

export interface PdfText {
  pages: number;
  pageSizes: { width: number; height: number }[];
  lines: TextLine[];
  /** Images of the pages read that have no text, when asked for and a canvas is installed. */
  scans: PageScan[];
}

interface TextItem {
  str: string;
  width: number;
  height: number;
  transform: number[];
}
/** Pieces of text read from one page at most. */
const fragmentsPerPage = 5_000;
/** Pages without text rendered for OCR at most: an invoice scanned has a page or two. */
const scansPerDocument = 3;
/** Pixels of one image inside a PDF that pdf.js decodes at most (as for an attached image). */
const maxImagePixels = 40_000_000;

const isTextItem = (item: object): item is TextItem => 'str' in item && 'transform' in item;

const unreadable = (error: unknown) =>
  new DocumentError(
    DocumentProblem.UnreadablePdf,
    `the PDF could not be read: ${error instanceof Error ? error.message : String(error)}`,
  );

/**
 * Reads the first `maxPages` pages' text, and with `renderScans` an image of each of the first 10
 * of those pages without text; a DocumentError if the bytes are not a readable PDF.
 */
export async function readPdfText(
  bytes: Uint8Array,
  maxPages: number,
  options: { renderScans?: boolean } = {},
): Promise<PdfText> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes), {
    isEvalSupported: false,
    stopAtErrors: true,
    maxImageSize: maxImagePixels,
  }).catch((error: unknown) => {
    throw unreadable(error);
  });
  try {
    const pageSizes: { width: number; height: number }[] = [];
    const lines: TextLine[] = [];
    const scans: PageScan[] = [];
    for (let number = 1; number <= Math.min(pdf.numPages, maxPages); number++) {
      const page = await pdf.getPage(number);
      const viewport = page.getViewport({ scale: 1 });
      pageSizes.push({ width: viewport.width, height: viewport.height });
      const content = await page.getTextContent();
      const fragments: Fragment[] = [];
      for (const item of content.items) {
        // a page with more text than any invoice holds is read as far as one would go
        if (fragments.length >= fragmentsPerPage) break;
        if (!isTextItem(item) || item.str.trim() === '') continue;
        const [, , c = 0, d = 0, e = 0, f = 0] = item.transform;
        const size = Math.hypot(c, d) || item.height;
        const [x, baseline] = viewport.convertToViewportPoint(e, f);
        fragments.push({
          text: item.str,
          box: { x: x ?? e, y: (baseline ?? f) - size * 0.8, width: item.width, height: size },
        });
      }
      lines.push(...linesFromFragments(number, fragments));
      if (fragments.length === 0 && options.renderScans && scans.length < scansPerDocument) {
        // a page that cannot be drawn (a broken image, an absurd size) costs only its own text
        const scan = await renderScan(pdf, number, viewport).catch(() => undefined);
        if (scan) scans.push(scan);
      }
    }
    return { pages: pdf.numPages, pageSizes, lines, scans };
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    throw unreadable(error);
  } finally {
    await pdf.destroy();
  }
}
