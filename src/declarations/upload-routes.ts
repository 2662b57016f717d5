/**
 * HTTP routes of uploaded declaration files: a trader or declarant sends a CSV file as the request
 * body and gets 202 with the import's id; the import runs in the background and its progress,
 * summary and rejected rows are read while it runs and afterwards.
 */
import { Readable } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import type { StoredHook } from './bulk-store.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { errorHandler, HttpError, sendError } from '../http/errors.ts';
import { findingsKeptPerImport, ImportStatus, type ImportScope, type RejectFinding } from './import-jobs.ts';
import { importFormats, rejectsHeader, type ImportFormat } from './importer.ts';
import { int4Max, parseInteger, wholeNumberFrom } from '../shared/integer.ts';
import { csvLine } from '../shared/csv-cell.ts';
import { ErrorBody, IdParams } from './schema.ts';
import { createUploads, importScopeFor, type UploadsDeps } from './uploads.ts';
import type { ValidationContext } from './validate/index.ts';

const uploaders = [Role.Trader, Role.Declarant] as const;
const formatNames = Object.keys(importFormats).filter((f): f is ImportFormat => f in importFormats);
/** Uploaders read their own imports; supervisors and auditors review everyone's. */
const readers = [Role.Trader, Role.Declarant, Role.Supervisor, Role.Auditor] as const;

const Count = (description: string) => Type.Integer({ description });
const ImportView = Type.Object({
  id: Type.Integer(),
  owner: Type.String({ description: 'The user who uploaded the file' }),
  party: Type.String({ description: 'The trader or declarant the file was uploaded as' }),
  role: Type.String(),
  format: Type.String(),
  fileName: Type.Union([Type.String(), Type.Null()]),
  bytes: Count('Bytes received'),
  status: Type.Enum(Object.values(ImportStatus), {
    description: 'receiving the file, importing it, assessing its declarations, done, or failed',
  }),
  rowsRead: Count('Data rows read from the file so far'),
  accepted: Count('Declarations stored'),
  rejected: Count('Declarations rejected, each with its findings'),
  duplicates: Count('Declarations already stored with the same content (resubmissions)'),
  assessed: Count('Stored declarations given a lane by risk assessment'),
  lanes: Type.Union([
    Type.Object({ red: Type.Integer(), yellow: Type.Integer(), blue: Type.Integer(), green: Type.Integer() }),
    Type.Null(),
  ]),
  findings: Count('Findings of the rejected declarations'),
  findingsKept: Count(`Findings listed under /rejects (the first ${findingsKeptPerImport})`),
  startedAt: Type.String(),
  updatedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the import failed' }),
});
const RejectView = Type.Object({
  line: Type.Integer({ description: 'The line of the file where the declaration starts' }),
  reference: Type.Optional(Type.String({ description: 'Its functional reference' })),
  path: Type.String(),
  code: Type.String(),
  message: Type.String(),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

function scopeOf(actor: Actor): ImportScope {
  const scope = importScopeFor(actor);
  if (!scope) throw new HttpError('forbidden', `the ${actor.role} role does not read imports`);
  return scope;
}

/** An error handler for these routes only: a body that is not CSV is refused naming CSV. */
function uploadErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return notCsv(reply);
  return errorHandler(error, request, reply);
}

const notCsv = (reply: FastifyReply) =>
  sendError(reply, {
    code: 'unsupported_media_type',
    message: 'send the file itself as the request body, with Content-Type: text/csv',
  });

/** What the routes need of the application context. */
export interface UploadContext {
  db: Database;
  config: {
    referenceDir: string;
    uploadLimitBytes: number;
    uploadDir: string;
    uploadTestHold?: 'importing' | 'assessing' | undefined;
  };
  validation(): ValidationContext;
  risk: { assessPending: UploadsDeps['assessPending'] };
  /** Exchange with partners: told of each stored batch (exchange/bulk.ts). */
  exchange?: { bulk: StoredHook };
}

export async function uploadRoutes(app: FastifyInstance, opts: { ctx: UploadContext }) {
  const { ctx } = opts;
  const uploads = createUploads({
    db: ctx.db,
    validation: () => ctx.validation(),
    referenceDir: ctx.config.referenceDir,
    assessPending: (actor, options) => ctx.risk.assessPending(actor, options),
    ...(ctx.exchange ? { hook: ctx.exchange.bulk } : {}),
    uploadLimitBytes: ctx.config.uploadLimitBytes,
    folder: ctx.config.uploadDir,
    holdAt: ctx.config.uploadTestHold,
    log: app.log,
  });
  // only CSV bodies here, handed over as a stream: a file of hundreds of MB is never held in memory
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
  app.setErrorHandler(uploadErrors);
  // interrupted uploads of a stopped server are finished or failed as the server starts
  app.addHook('onReady', () => uploads.start());
  app.addHook('onClose', () => uploads.close());
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/imports',
    {
      config: { roles: uploaders },
      schema: {
        tags: ['imports'],
        summary:
          'Upload a CSV file of declarations (Content-Type: text/csv); it is imported in the background',
        description:
          'Answers 202 with the import once the file is received; follow it at /api/imports/{id}. Rows for a trader the caller may not lodge for are rejected. One import per user runs at a time.',
        querystring: Type.Object(
          {
            format: Type.Enum(formatNames, {
              description:
                'clearway: one row per goods item, the columns of the clearway format; kcs: the Korea Customs Service format (docs/kcs-mapping.md)',
            }),
            name: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 255,
                description: 'The file name, to recognise the import',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          202: ImportView,
          ...errors,
          409: ErrorBody,
          413: ErrorBody,
          415: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      if (!(body instanceof Readable)) return notCsv(reply);
      const declared = Number(request.headers['content-length']);
      const result = await uploads.upload(actor, {
        format: request.query.format,
        fileName: request.query.name ?? null,
        body,
        ...(Number.isFinite(declared) ? { declaredBytes: declared } : {}),
      });
      if (!result.ok) {
        // the client may still be sending the body: it is not read, so the connection cannot be reused
        reply.header('connection', 'close');
        return sendError(reply, result.error);
      }
      reply.header('location', `/api/imports/${result.value.id}`);
      return reply.status(202).send(result.value);
    },
  );

  r.get(
    '/api/imports',
    {
      config: { roles: readers },
      schema: {
        tags: ['imports'],
        summary: 'Uploaded files, newest first: your own (everyone’s for supervisors and auditors)',
        querystring: Type.Object(
          {
            before: Type.Optional(
              Type.Integer({ minimum: 1, description: 'Cursor: the nextCursor of the previous page' }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(ImportView),
            nextCursor: Type.Union([Type.Integer(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const { before, limit = 20 } = request.query;
      const items = await uploads.list(scopeOf(actorOf(request)), { before, limit });
      const last = items.at(-1);
      return { items, nextCursor: items.length === limit && last ? last.id : null };
    },
  );

  r.get(
    '/api/imports/:id',
    {
      config: { roles: readers },
      schema: {
        tags: ['imports'],
        summary: 'An import: its status, progress and summary',
        params: IdParams,
        response: { 200: ImportView, ...errors },
      },
    },
    async (request, reply) => {
      const job = await uploads.get(scopeOf(actorOf(request)), request.params.id);
      return job ?? sendError(reply, { code: 'import_not_found', message: 'no such import' });
    },
  );

  r.get(
    '/api/imports/:id/rejects',
    {
      config: { roles: readers },
      schema: {
        tags: ['imports'],
        summary:
          'The findings of the rejected rows in file order: JSON pages, or CSV (Accept: text/csv or as=csv)',
        params: IdParams,
        querystring: Type.Object(
          {
            after: Type.Optional(
              Type.String({
                pattern: '^\\d{1,10}_\\d{1,10}$',
                description: 'Cursor: the nextCursor of the previous page',
                errorMessage: "must be the nextCursor of the previous page, two numbers joined by '_'",
              }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
            as: Type.Optional(
              Type.Enum(['json', 'csv'], { description: 'csv: every kept finding as a CSV file' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Union([
            Type.Object({
              items: Type.Array(RejectView),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
            Type.String({ description: `CSV: ${rejectsHeader.trim()}` }),
          ]),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { after, limit = 100, as } = request.query;
      const csv = as === 'csv' || (as === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
      const page = csv
        ? { limit: findingsKeptPerImport }
        : { limit, ...(after === undefined ? {} : { after: rejectsCursor(after) }) };
      const found = await uploads.rejects(scopeOf(actorOf(request)), request.params.id, page);
      if (!found) return sendError(reply, { code: 'import_not_found', message: 'no such import' });
      if (csv) {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="import-${found.job.id}-rejects.csv"`)
          .send(rejectsHeader + found.rejects.map(rejectLine).join(''));
      }
      const last = found.rejects.at(-1);
      return {
        items: found.rejects.map(({ seq: _seq, ...f }) => f),
        nextCursor: found.rejects.length === limit && last ? `${last.line}_${last.seq}` : null,
      };
    },
  );
}

/** A rejects cursor, `line_seq`: a line and a finding's number, each within its int4 column. */
function rejectsCursor(text: string): { line: number; seq: number } {
  const [lineText = '', seqText = ''] = text.split('_');
  const line = parseInteger(lineText, 0, int4Max);
  const seq = parseInteger(seqText, 0, int4Max);
  if (line === null || seq === null)
    throw new HttpError(
      'invalid_request',
      `after must be a nextCursor from a previous page: line_seq, each ${wholeNumberFrom(0, int4Max)}`,
      [{ in: 'querystring', path: 'after', message: 'must be a nextCursor from a previous page' }],
    );
  return { line, seq };
}

/** One finding as a CSV line; a cell a spreadsheet would run as a formula is neutralised. */
function rejectLine(f: RejectFinding): string {
  return csvLine([f.line, f.reference ?? '', f.path, f.code, f.message]);
}
