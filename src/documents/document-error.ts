/** A document that cannot be read, with a stable code and a message naming the problem. */
export const DocumentProblem = {
  UnknownType: 'document_type_unknown',
  UnreadablePdf: 'document_pdf_unreadable',
  UnreadableImage: 'document_image_unreadable',
  Empty: 'document_empty',
  TooLarge: 'document_too_large',
} as const;
export type DocumentProblem = (typeof DocumentProblem)[keyof typeof DocumentProblem];

/** Thrown by extraction for input that is not a readable document (an expected refusal, a 4xx). */
export class DocumentError extends Error {
  constructor(
    readonly code: DocumentProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentError';
  }
}
