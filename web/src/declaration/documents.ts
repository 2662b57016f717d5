/**
 * A declaration's documents: their shapes taken from the server's TypeBox schemas
 * (src/documents/schema.ts; only the types cross over), the kinds in words, sizes in words.
 */
import type { Static } from 'typebox';
import type { DocumentKind } from '../../../src/documents/kinds.ts';
import type {
  DeclarationDocuments as DeclarationDocumentsSchema,
  DocumentView,
} from '../../../src/documents/schema.ts';

export type AttachedDocument = Static<typeof DocumentView>;
export type DeclarationDocuments = Static<typeof DeclarationDocumentsSchema>;

/** Every kind of document, in the order the form offers them. */
export const kindWords: Record<DocumentKind, string> = {
  invoice: 'Commercial invoice',
  packing_list: 'Packing list',
  certificate_of_origin: 'Certificate of origin',
  transport_document: 'Transport document',
  other: 'Other document',
};

export const kindWord = (kind: string): string =>
  Object.entries(kindWords).find(([k]) => k === kind)?.[1] ?? kind;

/** The types the server reads from a document's content. */
const sentAsIs = ['application/pdf', 'image/png', 'image/jpeg', 'text/plain'];

/** The Content-Type a file is sent with: its own when the server knows it, else octet-stream. */
export const contentTypeOf = (file: File): string =>
  sentAsIs.includes(file.type) ? file.type : 'application/octet-stream';

/** "512 bytes", "84 KB", "2.4 MB". */
export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export const contentPath = (id: number) => `/api/documents/${id}/content`;
