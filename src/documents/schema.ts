/** The HTTP shapes of documents: the attaching query, a document as it is read, a declaration's list. */
import { Type, type Static } from 'typebox';
import { idMax } from '../shared/integer.ts';
import {
  documentKinds,
  documentMediaTypes,
  maxDocumentBytes,
  maxDocumentsPerDeclaration,
  maxFilenameLength,
} from './kinds.ts';

const Kind = Type.Enum(documentKinds, {
  description: `What the document is: ${documentKinds.join(', ')}`,
});

export const AttachQuery = Type.Object(
  {
    kind: Kind,
    filename: Type.String({
      minLength: 1,
      maxLength: maxFilenameLength,
      pattern: '\\S',
      description: `The file's name, up to ${maxFilenameLength} characters (folders, control characters and characters file systems refuse are replaced)`,
      errorMessage: `must be the file's name, 1 to ${maxFilenameLength} characters`,
    }),
  },
  { additionalProperties: false },
);
export type AttachQuery = Static<typeof AttachQuery>;

export const DeclarationIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: idMax }) });

const Moment = Type.String({ description: 'ISO 8601, UTC' });

export const DocumentView = Type.Object({
  id: Type.Integer(),
  declarationId: Type.Integer(),
  kind: Type.String(),
  filename: Type.String(),
  mediaType: Type.Enum(documentMediaTypes, { description: 'The type read from the content' }),
  size: Type.Integer({ description: 'Bytes' }),
  sha256: Type.String({ description: 'SHA-256 of the content, hex; the content is stored once per hash' }),
  uploadedBy: Type.String(),
  uploadedAt: Moment,
  readAt: Type.Union([Moment, Type.Null()], {
    description: 'When the document was read (text extracted and reviewed), or null',
  }),
  readError: Type.Union([Type.String(), Type.Null()], { description: 'Why it could not be read' }),
  extraction: Type.Optional(
    Type.Unknown({ description: 'The fields read from its text (officials only); null until read' }),
  ),
  review: Type.Optional(
    Type.Unknown({ description: 'Its review against the declaration (officials only); null until read' }),
  ),
});
export type DocumentView = Static<typeof DocumentView>;

export const DeclarationDocuments = Type.Object({
  declarationId: Type.Integer(),
  documents: Type.Array(DocumentView),
  allowed: Type.Array(Type.Literal('attach'), {
    description: `What the caller may do: attach (the trader or declarant of record, the declaration not cancelled, fewer than ${maxDocumentsPerDeclaration} documents)`,
  }),
});

/** The file's bytes, as they are: any value passes (the body is read as bytes, not JSON). */
const Bytes = Type.Unsafe<Buffer>({ description: `The file itself, at most ${maxDocumentBytes} bytes` });

/** The document's bytes as a response or request body, by type. */
export const binaryContent: Record<string, { schema: typeof Bytes }> = Object.fromEntries(
  [...documentMediaTypes, 'application/octet-stream'].map((t) => [t, { schema: Bytes }]),
);
