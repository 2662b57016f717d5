/**
 * Documents over HTTP: the trader or declarant of record attaches a file to a declaration (the file
 * itself as the body); whoever may read the declaration lists its documents, reads one and
 * downloads its bytes. A declaration or document the caller may not see is not found.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from '../db/database.ts';
import { ErrorBody } from '../declarations/schema.ts';
import { declarationReaders } from '../declarations/scope.ts';
import { noteReadDetails } from '../governance/ledger/read-log.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { sendError } from '../http/errors.ts';
import { registerDocumentBody } from './body.ts';
import { attachmentDisposition } from './filename.ts';
import { maxDocumentBytes, maxDocumentsPerDeclaration } from './kinds.ts';
import {
  AttachQuery,
  binaryContent,
  DeclarationDocuments,
  DeclarationIdParams,
  DocumentView,
} from './schema.ts';
import { attachDocument, listDocuments, presentDocument, readContent, readDocument } from './service.ts';

const attachers = [Role.Trader, Role.Declarant];

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export async function documentRoutes(app: FastifyInstance, opts: { db: Database }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;
  registerDocumentBody(app);

  r.post(
    '/api/declarations/:id/documents',
    {
      config: { roles: attachers },
      schema: {
        tags: ['documents'],
        summary: 'Attach a commercial document (the file itself as the body) to a declaration',
        description: `The trader or the declarant of record attaches, while the declaration is not cancelled. PDF, PNG, JPEG or plain UTF-8 text, recognised by content: the Content-Type must be the content's type or application/octet-stream (else 415). At most ${maxDocumentBytes} bytes (413) and ${maxDocumentsPerDeclaration} documents per declaration (409); an empty body is 400. The same content is stored once.`,
        params: DeclarationIdParams,
        querystring: AttachQuery,
        body: { content: binaryContent },
        response: { 201: DocumentView, ...errors, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body: unknown = request.body;
      const result = await attachDocument(db, actor, {
        declarationId: request.params.id,
        kind: request.query.kind,
        filename: request.query.filename,
        declaredType: request.headers['content-type'],
        content: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
      });
      if (!result.ok) return sendError(reply, result.error);
      reply.header('location', `/api/documents/${result.value.id}`);
      return reply.status(201).send(result.value);
    },
  );

  r.get(
    '/api/declarations/:id/documents',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['documents'],
        summary: "A declaration's documents in the order attached, and whether you may attach more",
        description:
          "Whoever may read the declaration reads its documents. What reading a document found (extraction, review) is shown to officials only. An official's read is recorded in the ledger.",
        params: DeclarationIdParams,
        response: { 200: DeclarationDocuments, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await listDocuments(db, actor, request.params.id);
      if (!result.ok) return sendError(reply, result.error);
      return { declarationId: request.params.id, ...result.value };
    },
  );

  r.get(
    '/api/documents/:id',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['documents'],
        summary: 'One document: what it is, its file name, type, size and hash, and when it was read',
        description:
          "A document of a declaration you may not read is not found. An official's read is recorded in the ledger.",
        params: DeclarationIdParams,
        response: { 200: DocumentView, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await readDocument(db, actor, request.params.id);
      if (!result.ok) return sendError(reply, result.error);
      noteReadDetails(request, { declaration: result.value.declarationId });
      return presentDocument(result.value, actor);
    },
  );

  r.get(
    '/api/documents/:id/content',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['documents'],
        summary: "A document's bytes, with its type, as a download",
        description:
          "Served as an attachment with nosniff and a sandboxing Content-Security-Policy, so a document never runs in the application's origin. An official's read is recorded in the ledger.",
        params: DeclarationIdParams,
        response: { 200: { content: binaryContent }, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await readContent(db, actor, request.params.id);
      if (!result.ok) return sendError(reply, result.error);
      const { document, content } = result.value;
      noteReadDetails(request, { declaration: document.declarationId });
      return reply
        .type(document.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : document.mediaType)
        .header('content-disposition', attachmentDisposition(document.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', 'sandbox')
        .header('content-length', content.length)
        .send(content);
    },
  );
}
