/** Writes a laid-out invoice page as a one-page PDF with a real text layer (Helvetica). */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { PageLayout } from './layout.ts';

export async function invoicePdf(layout: PageLayout): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Commercial invoice');
  doc.setCreationDate(new Date(Date.UTC(2026, 0, 1)));
  doc.setModificationDate(new Date(Date.UTC(2026, 0, 1)));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([layout.width, layout.height]);
  for (const t of layout.texts) {
    const font = t.bold ? bold : regular;
    const x = t.align === 'right' ? t.x - font.widthOfTextAtSize(t.text, t.size) : t.x;
    page.drawText(t.text, { x, y: layout.height - t.y, size: t.size, font });
  }
  for (const r of layout.rules)
    page.drawLine({
      start: { x: r.x0, y: layout.height - r.y0 },
      end: { x: r.x1, y: layout.height - r.y1 },
      thickness: 0.6,
      color: rgb(0.2, 0.2, 0.2),
    });
  return doc.save();
}

/** A scan of a laid-out invoice page (a PNG or JPEG) saved as a one-page PDF without a text layer. */
export async function scannedPdf(
  layout: PageLayout,
  image: Uint8Array,
  format: 'png' | 'jpeg',
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const scan = format === 'png' ? await doc.embedPng(image) : await doc.embedJpg(image);
  doc
    .addPage([layout.width, layout.height])
    .drawImage(scan, { x: 0, y: 0, width: layout.width, height: layout.height });
  return doc.save();
}
