/**
 * The ledger's HTTP edge: the auditor reads entries, verifies the chain and lists checkpoints;
 * the public key is public, so that partners can check a checkpoint without an account.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.ts';
import { IdParams } from '../../declarations/schema.ts';
import { HttpError } from '../../http/errors.ts';
import { Role } from '../roles.ts';
import { exportCheckpoint, findCheckpoint, listCheckpoints } from './checkpoints.ts';
import { SubjectKind } from './entry.ts';
import { findEntries } from './read.ts';
import { sealBeforeReading } from './seal.ts';
import type { LedgerSigner } from './signing.ts';
import { verifyLedger } from './verify.ts';

const auditors = [Role.Auditor];
const maxSeq = 9_007_199_254_740_991;

const PageQuery = Type.Object(
  {
    after: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: maxSeq,
        description: 'Cursor: the seq of the last entry already read',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    actor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Only entries by this user (exact)' }),
    ),
    action: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Only entries of this action (exact), such as declaration.lodged',
      }),
    ),
    subjectKind: Type.Optional(
      Type.Union(
        Object.values(SubjectKind).map((kind) => Type.Literal(kind)),
        { description: 'Only entries about this kind of thing' },
      ),
    ),
    subjectId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Only entries about the thing of this id (exact), such as a declaration number',
      }),
    ),
    from: Type.Optional(
      Type.String({ format: 'date-time', description: 'Only entries written at or after this moment' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date-time', description: 'Only entries written before this moment' }),
    ),
  },
  { additionalProperties: false },
);

/** A moment of the query as ISO 8601 UTC, refused when no database could store it. */
function moment(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const at = new Date(text);
  const year = at.getUTCFullYear();
  if (Number.isNaN(at.getTime()) || year < 1 || year > 9999)
    throw new HttpError('invalid_request', `${name} is not a moment between the years 1 and 9999: ${text}`);
  return at.toISOString();
}

const VerifyQuery = Type.Object(
  { roots: Type.Optional(Type.Boolean({ description: "Recompute each checkpoint's Merkle root too" })) },
  { additionalProperties: false },
);

const ExportQuery = Type.Object(
  { leaves: Type.Optional(Type.Boolean({ description: 'Include the entry hashes of the range' })) },
  { additionalProperties: false },
);

export async function ledgerRoutes(
  app: FastifyInstance,
  opts: { db: Database; signer: () => Promise<LedgerSigner>; copyDir?: string },
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/ledger',
    {
      config: { roles: auditors },
      schema: {
        tags: ['ledger'],
        summary:
          'Ledger entries in order, a page at a time, optionally only those of an actor, an action, a subject or a time range',
        querystring: PageQuery,
      },
    },
    async (request) => {
      const { after, limit = 100, actor, action, subjectKind, subjectId } = request.query;
      const from = moment('from', request.query.from);
      const to = moment('to', request.query.to);
      if (from !== undefined && to !== undefined && from >= to)
        throw new HttpError('invalid_request', `from (${from}) must come before to (${to})`);
      const filter = { actor, action, subjectKind, subjectId, from, to };
      await sealBeforeReading(opts.db);
      const items = await findEntries(opts.db, filter, after ?? 0, limit);
      const last = items.at(-1);
      return {
        items: items.map((e) => ({ ...e, data: JSON.parse(e.data) as unknown })),
        nextCursor: items.length === limit && last ? last.seq : null,
      };
    },
  );

  r.get(
    '/api/ledger/verify',
    {
      config: { roles: auditors },
      schema: {
        tags: ['ledger'],
        summary:
          'Re-check the whole chain, every checkpoint and signed head, and their copies outside the database; names the first entry or checkpoint altered, removed or reordered',
        querystring: VerifyQuery,
      },
    },
    async (request) => {
      await sealBeforeReading(opts.db);
      return verifyLedger(opts.db, (await opts.signer()).publicKeyPem, {
        roots: request.query.roots ?? false,
        ...(opts.copyDir ? { copyDir: opts.copyDir } : {}),
      });
    },
  );

  r.get(
    '/api/ledger/checkpoints',
    {
      config: { roles: auditors },
      schema: { tags: ['ledger'], summary: 'The signed checkpoints, oldest first' },
    },
    async () => ({ checkpoints: await listCheckpoints(opts.db) }),
  );

  r.get(
    '/api/ledger/checkpoints/:id',
    {
      config: { roles: auditors },
      schema: {
        tags: ['ledger'],
        summary: 'A checkpoint as sent to partners (with the public key, and the entry hashes if asked)',
        params: IdParams,
        querystring: ExportQuery,
      },
    },
    async (request) => {
      const checkpoint = await findCheckpoint(opts.db, request.params.id);
      if (!checkpoint) throw new HttpError('not_found', `no checkpoint ${request.params.id}`);
      const { publicKeyPem } = await opts.signer();
      return exportCheckpoint(opts.db, checkpoint, publicKeyPem, request.query.leaves ?? false);
    },
  );

  r.get(
    '/api/ledger/public-key',
    {
      config: { public: true },
      schema: {
        tags: ['ledger'],
        summary: "The administration's Ed25519 public key (PEM) that checkpoints verify with",
      },
    },
    async () => {
      const { keyId, publicKeyPem } = await opts.signer();
      return { keyId, publicKey: publicKeyPem };
    },
  );
}
