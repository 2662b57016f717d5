/**
 * The kinds of commercial document a declaration may carry, the types read from their content and
 * the limits of attaching them. Imports nothing, so that the web application takes its types.
 */

export const DocumentKind = {
  Invoice: 'invoice',
  PackingList: 'packing_list',
  CertificateOfOrigin: 'certificate_of_origin',
  TransportDocument: 'transport_document',
  Other: 'other',
} as const;
export type DocumentKind = (typeof DocumentKind)[keyof typeof DocumentKind];

export const documentKinds: readonly DocumentKind[] = Object.values(DocumentKind);

export const DocumentMediaType = {
  Pdf: 'application/pdf',
  Png: 'image/png',
  Jpeg: 'image/jpeg',
  Text: 'text/plain',
} as const;
export type DocumentMediaType = (typeof DocumentMediaType)[keyof typeof DocumentMediaType];

export const documentMediaTypes: readonly DocumentMediaType[] = Object.values(DocumentMediaType);

/** The largest document accepted: 10 MiB. */
export const maxDocumentBytes = 10 * 1024 * 1024;

/** The limit in words, for refusals: "10 MiB (10485760 bytes)". */
export const maxDocumentWords = `${maxDocumentBytes / (1024 * 1024)} MiB (${maxDocumentBytes} bytes)`;

/** The most documents one declaration carries. */
export const maxDocumentsPerDeclaration = 20;

/** The longest file name kept (longer ones are refused). */
export const maxFilenameLength = 200;
