/**
 * An image of a PDF page without a text layer (a scan saved as PDF), for OCR: rendered by pdf.js
 * onto a canvas of `@napi-rs/canvas`, at the resolution OCR reads well and never larger than a
 * bounded number of pixels, whatever size the page claims.
 */
import { renderPageAsImage, type getDocumentProxy } from 'unpdf';

/** A page rendered as a PNG, and its pixels per PDF point (to bring OCR's boxes back to points). */
export interface PageScan {
  page: number;
  png: Uint8Array<ArrayBuffer>;
  scale: number;
}

/** Dots per inch of a rendered page: as a scanner set for OCR would give. */
const dpi = 200;
/** Pixels of a rendered page at most (an A4 page at 200 dpi has 3.9 million). */
const maxPixels = 6_000_000;

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;
type Canvas = typeof import('@napi-rs/canvas');
/** The module as unpdf's types name it: a CommonJS module with itself as its default export. */
type CanvasImport = Canvas & { default: Canvas };

let canvas: Promise<CanvasImport | null> | undefined;
/** The canvas module, or null where it is not installed: scanned pages are then left unread. */
const canvasModule = () =>
  (canvas ??= import('@napi-rs/canvas').then(
    (m) => ({ ...m, default: m }),
    () => null,
  ));

/** The scale for a page of `width` × `height` points: `dpi`, or less to stay within `maxPixels`. */
export function scanScale(width: number, height: number): number {
  const area = Math.max(1, width * height);
  return Math.min(dpi / 72, Math.sqrt(maxPixels / area));
}

/** Page `number` of `pdf` as a PNG, or undefined when no canvas is installed. */
export async function renderScan(
  pdf: PdfDocument,
  number: number,
  viewport: { width: number; height: number },
): Promise<PageScan | undefined> {
  const module = await canvasModule();
  if (!module) return undefined;
  const scale = scanScale(viewport.width, viewport.height);
  const png = await renderPageAsImage(pdf, number, { canvasImport: async () => module, scale });
  return { page: number, png: new Uint8Array(png), scale };
}
