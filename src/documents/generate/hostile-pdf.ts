/**
 * Small PDFs that cost a reader far more than their size, for the PDF worker's limits (tests
 * only): a page crowded with pieces of text, and a content stream that inflates to hundreds of MB.
 */
import { createDeflate } from 'node:zlib';

/** `chunk` written `times` through Flate compression, without holding the inflated whole. */
async function deflated(chunk: string, times: number): Promise<Buffer> {
  const deflate = createDeflate();
  const parts: Buffer[] = [];
  deflate.on('data', (c: Buffer) => parts.push(c));
  const block = Buffer.from(chunk, 'latin1');
  for (let i = 0; i < times; i++)
    if (!deflate.write(block)) await new Promise((resolve) => deflate.once('drain', resolve));
  await new Promise((resolve) => deflate.end(resolve));
  return Buffer.concat(parts);
}

/** A one-page A4 PDF with Helvetica as F1 and `stream` as its Flate-compressed content. */
function onePagePdf(stream: Buffer): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const out: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let at = out[0]?.length ?? 0;
  objects.forEach((object, i) => {
    offsets.push(at);
    const body = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n${object}`),
      ...(i === 3 ? [stream, Buffer.from('\nendstream')] : []),
      Buffer.from('\nendobj\n'),
    ]);
    out.push(body);
    at += body.length;
  });
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const trailer = `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`;
  out.push(Buffer.from(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}${trailer}`));
  return new Uint8Array(Buffer.concat(out));
}

/** A page holding `pieces` separately placed words (300,000 make a file of about 700 kB). */
export async function aCrowdedPdf(pieces: number): Promise<Uint8Array> {
  return onePagePdf(await deflated('BT /F1 1 Tf 1 0 0 1 10 10 Tm (word) Tj ET\n', pieces));
}

/** A page whose content stream is `mb` MB of spaces (a file of about 1 kB per MB). */
export async function aPdfBomb(mb: number): Promise<Uint8Array> {
  return onePagePdf(await deflated(' '.repeat(1 << 20), mb));
}
