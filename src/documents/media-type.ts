/**
 * A document's type read from its bytes, never from what the sender claims: PDF (`%PDF-`), PNG
 * (its eight-byte signature), JPEG (FF D8 FF) or plain text (valid UTF-8 without NUL or other
 * control characters but tab, line feed, form feed and carriage return). The declared Content-Type
 * must agree with it, or say nothing (application/octet-stream).
 */
import { err, ok, type Result } from '../shared/result.ts';
import { DocumentMediaType } from './kinds.ts';

const pdf = Buffer.from('%PDF-', 'latin1');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff]);

const startsWith = (bytes: Uint8Array, prefix: Uint8Array): boolean =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Control characters text may hold: tab, line feed, form feed, carriage return. */
const textControls = new Set([0x09, 0x0a, 0x0c, 0x0d]);

/** Whether the bytes are UTF-8 text: every sequence valid, no NUL, DEL or other control character. */
export function isPlainText(bytes: Uint8Array): boolean {
  for (const b of bytes) if ((b < 0x20 && !textControls.has(b)) || b === 0x7f) return false;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return false;
  }
  // C1 controls (U+0080 to U+009F) are valid UTF-8 but no text a person writes
  return !/[\u0080-\u009f]/.test(text);
}

/** The type of the document's content, or null when it is none of the accepted ones. */
export function sniffMediaType(bytes: Uint8Array): DocumentMediaType | null {
  if (startsWith(bytes, pdf)) return DocumentMediaType.Pdf;
  if (startsWith(bytes, png)) return DocumentMediaType.Png;
  if (startsWith(bytes, jpeg)) return DocumentMediaType.Jpeg;
  if (bytes.length > 0 && isPlainText(bytes)) return DocumentMediaType.Text;
  return null;
}

/** A declared Content-Type without its parameters, lower case: `Text/Plain; charset=utf-8` is `text/plain`. */
export const essenceOf = (contentType: string): string =>
  contentType.split(';')[0]?.trim().toLowerCase() ?? '';

/** The type that says nothing of the content: any sniffed type agrees with it. */
export const unspecifiedType = 'application/octet-stream';

export type MediaTypeRefusal = { code: 'unsupported_media_type'; message: string };

/**
 * The document's type, when its content is of an accepted type and the declared Content-Type
 * agrees with it; else why not, naming both.
 */
export function checkMediaType(
  bytes: Uint8Array,
  declared: string | undefined,
): Result<DocumentMediaType, MediaTypeRefusal> {
  const sniffed = sniffMediaType(bytes);
  const claimed = declared === undefined ? unspecifiedType : essenceOf(declared);
  if (sniffed === null)
    return err({
      code: 'unsupported_media_type',
      message: `the content is not a PDF, PNG, JPEG or plain UTF-8 text document (sent as ${claimed})`,
    });
  if (claimed !== unspecifiedType && claimed !== sniffed)
    return err({
      code: 'unsupported_media_type',
      message: `the document was sent as ${claimed}, but its content is ${sniffed}: send it as ${sniffed} or ${unspecifiedType}`,
    });
  return ok(sniffed);
}
