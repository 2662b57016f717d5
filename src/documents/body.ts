/**
 * A document as a request body: the file itself, sent with its type (application/pdf, image/png,
 * image/jpeg, text/plain) or application/octet-stream, read into memory up to 10 MiB for the
 * documents' routes only (the server's body limit stays as it is for every other route). A
 * larger body is refused as soon as its length says so, or once it passes the limit.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorHandler, HttpError, sendError } from '../http/errors.ts';
import { documentMediaTypes, maxDocumentBytes, maxDocumentWords } from './kinds.ts';
import { unspecifiedType } from './media-type.ts';

export const documentBodyTypes: readonly string[] = [...documentMediaTypes, unspecifiedType];

/** The refusal of a body of `bytes` (null: sent without a length, and read past the limit). */
const tooLarge = (bytes: number | null) =>
  new HttpError(
    'document_too_large',
    bytes === null
      ? `the document is larger than a document may be: at most ${maxDocumentWords}`
      : `the document is ${bytes} bytes; a document may be at most ${maxDocumentWords}`,
  );

/** The body's bytes, refused past `limit`. */
async function readLimited(payload: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of payload) {
    length += chunk.length;
    if (length > limit) throw tooLarge(null);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

/** Refuses a body of another type naming those accepted; any other error as everywhere. */
function documentErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    reply.header('connection', 'close');
    return sendError(reply, {
      code: 'unsupported_media_type',
      message: `send the file itself as the request body, with Content-Type ${documentBodyTypes.join(', ')}`,
    });
  }
  if (error instanceof HttpError && error.code === 'document_too_large') reply.header('connection', 'close');
  return errorHandler(error, request, reply);
}

/** Registers the documents' body parser and error handler on the routes' own plugin. */
export function registerDocumentBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...documentBodyTypes], (request: FastifyRequest, payload: IncomingMessage) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxDocumentBytes) return Promise.reject(tooLarge(declared));
    return readLimited(payload, maxDocumentBytes);
  });
  app.setErrorHandler(documentErrors);
}
