/**
 * The pixel size of a PNG or JPEG from its header, read before OCR so that an empty, truncated
 * or oversized image is refused with a clear message instead of reaching the OCR engine.
 */
import { DocumentError, DocumentProblem } from './document-error.ts';

/** The largest image OCR is given: 40 megapixels (an A4 page at 600 dpi is 35). */
export const maxImagePixels = 40_000_000;

export interface ImageSize {
  width: number;
  height: number;
}

/** Width and height of a PNG (IHDR) or JPEG (first SOF marker); a DocumentError otherwise. */
export function imageSize(bytes: Uint8Array, mediaType: 'image/png' | 'image/jpeg'): ImageSize {
  const size = mediaType === 'image/png' ? pngSize(bytes) : jpegSize(bytes);
  if (!size || size.width === 0 || size.height === 0)
    throw new DocumentError(
      DocumentProblem.UnreadableImage,
      `the ${imageName(mediaType)} has no readable size`,
    );
  if (size.width * size.height > maxImagePixels)
    throw new DocumentError(
      DocumentProblem.TooLarge,
      `the image is ${size.width}×${size.height} pixels; at most ${maxImagePixels / 1e6} megapixels are read`,
    );
  return size;
}

const imageName = (mediaType: string) => (mediaType === 'image/png' ? 'PNG image' : 'JPEG image');

function pngSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 24) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk !== 'IHDR') return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function jpegSize(bytes: Uint8Array): ImageSize | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = view.getUint16(at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
    at += 2 + length;
  }
  return undefined;
}
