/**
 * The kind of a document decided by its first bytes, never by its name or a declared type:
 * `%PDF-`, the PNG signature, a JPEG start-of-image marker, else UTF-8 text without NUL bytes.
 */
import { DocumentError, DocumentProblem } from './document-error.ts';
import type { DocumentMediaType } from './extraction.ts';

const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);

/** The media type of `bytes`, or a DocumentError saying what was found instead. */
export function documentTypeOf(bytes: Uint8Array): DocumentMediaType {
  if (bytes.length === 0) throw new DocumentError(DocumentProblem.Empty, 'the file is empty');
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(bytes, png)) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (!bytes.includes(0) && isUtf8(bytes)) return 'text/plain';
  throw new DocumentError(
    DocumentProblem.UnknownType,
    'the file is not a PDF, PNG, JPEG or UTF-8 text document (judged by its content)',
  );
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
