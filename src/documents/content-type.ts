/**
 * The kind of a document decided by its content alone (media-type.ts), or a DocumentError saying
 * what was found instead: what reading a file given on the command line, or an image to OCR, starts with.
 */
import { DocumentError, DocumentProblem } from './document-error.ts';
import type { DocumentMediaType } from './extraction.ts';
import { sniffMediaType } from './media-type.ts';

/** The media type of `bytes`, or a DocumentError saying what was found instead. */
export function documentTypeOf(bytes: Uint8Array): DocumentMediaType {
  if (bytes.length === 0) throw new DocumentError(DocumentProblem.Empty, 'the file is empty');
  const type = sniffMediaType(bytes);
  if (type) return type;
  throw new DocumentError(
    DocumentProblem.UnknownType,
    'the file is not a PDF, PNG, JPEG or UTF-8 text document (judged by its content)',
  );
}
