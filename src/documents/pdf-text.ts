/**
 * The text layer of a PDF, page by page, as positioned lines (points from the page's top-left
 * corner). unpdf bundles pdf.js for Node; nothing is rendered, so a scanned PDF without a text
 * layer gives pages without lines.
 */
import { getDocumentProxy } from 'unpdf';
import { DocumentError, DocumentProblem } from './document-error.ts';
import { linesFromFragments, type Fragment, type TextLine } from './text-lines.ts';

export interface PdfText {
  pages: number;
  pageSizes: { width: number; height: number }[];
  lines: TextLine[];
}

interface TextItem {
  str: string;
  width: number;
  height: number;
  transform: number[];
}
/** Pieces of text read from one page at most. */
const fragmentsPerPage = 5_000;

const isTextItem = (item: object): item is TextItem => 'str' in item && 'transform' in item;

/** Reads the first `maxPages` pages' text; a DocumentError if the bytes are not a readable PDF. */
export async function readPdfText(bytes: Uint8Array, maxPages: number): Promise<PdfText> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes), {
    isEvalSupported: false,
    stopAtErrors: true,
  }).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DocumentError(DocumentProblem.UnreadablePdf, `the PDF could not be read: ${reason}`);
  });
  try {
    const pageSizes: { width: number; height: number }[] = [];
    const lines: TextLine[] = [];
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
    }
    return { pages: pdf.numPages, pageSizes, lines };
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DocumentError(DocumentProblem.UnreadablePdf, `the PDF could not be read: ${reason}`);
  } finally {
    await pdf.destroy();
  }
}
