/**
 * Retention's HTTP edge: administrators set how long each class of data is kept and run the
 * archival job; supervisors (for the offices they work at) and administrators place and release legal holds;
 * officials see whether a declaration is held. Traders never learn of a hold.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.ts';
import { IdParams } from '../../declarations/schema.ts';
import { actorOf } from '../../http/auth.ts';
import { HttpError, sendError } from '../../http/errors.ts';
import { Role, worksAt, type Actor } from '../roles.ts';
import { archiveExpired, ArchiveBusyError, HoldRaceError } from './archive.ts';
import {
  listHolds,
  maxReasonLength,
  placeHold,
  releaseHold,
  standingHolds,
  type HoldPermission,
} from './holds.ts';
import { isDataClass, listPolicies, setPolicy } from './policies.ts';

const policyReaders = [Role.Administrator, Role.Auditor, Role.Supervisor];
const holders = [Role.Supervisor, Role.Administrator];
const holdReaders = [Role.Officer, Role.Supervisor, Role.RiskAnalyst, Role.Auditor, Role.Administrator];

const ClassParams = Type.Object({ dataClass: Type.String({ maxLength: 40 }) });
const Reason = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: maxReasonLength,
      description: 'A case or order reference',
    }),
  },
  { additionalProperties: false },
);
const HoldsQuery = Type.Object(
  {
    all: Type.Optional(Type.Boolean({ description: 'Released holds too (newest first)' })),
    before: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Cursor: the id of the last hold already read' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export async function retentionRoutes(app: FastifyInstance, opts: { db: Database; archiveDir: string }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  /** Supervisors hold the declarations of the offices they work at; administrators any. */
  const mayChangeHolds = (actor: Actor, office: string) =>
    actor.role === Role.Administrator || (actor.role === Role.Supervisor && worksAt(actor, office));

  /** The permission, checked under the declaration's lock, with the refusal in words. */
  const holdPermission =
    (actor: Actor, id: number): HoldPermission =>
    (office) => {
      if (mayChangeHolds(actor, office)) return null;
      const yours = actor.offices.length
        ? `you work at ${actor.offices.join(', ')}`
        : 'you belong to no office';
      return `declaration ${id} is lodged at office ${office}; a supervisor holds the declarations of the offices they work at, and ${yours}`;
    };

  r.get(
    '/api/retention/policies',
    {
      config: { roles: policyReaders },
      schema: { tags: ['retention'], summary: 'How long each class of data is kept, and from when' },
    },
    async (request) => ({
      policies: await listPolicies(db),
      allowed: actorOf(request).role === Role.Administrator ? ['set'] : [],
    }),
  );

  r.put(
    '/api/retention/policies/:dataClass',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['retention'],
        summary: 'Set how long a class of data is kept (refused if it would purge data under legal hold)',
        params: ClassParams,
        body: Type.Object(
          {
            keep: Type.String({
              maxLength: 16,
              description: "A period such as '10y', '6m', '30d', or 'forever'",
            }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { dataClass } = request.params;
      if (!isDataClass(dataClass)) throw new HttpError('not_found', `there is no data class "${dataClass}"`);
      const result = await db.transaction((tx) =>
        setPolicy(tx, dataClass, request.body.keep, actorOf(request).username),
      );
      return result.ok ? result.value : sendError(reply, result.error);
    },
  );

  r.get(
    '/api/retention/holds',
    {
      config: { roles: holdReaders },
      schema: {
        tags: ['retention'],
        summary: 'Legal holds, newest first (standing ones unless all=true)',
        querystring: HoldsQuery,
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const items = await listHolds(db, {
        all: request.query.all ?? false,
        before: request.query.before,
        limit,
      });
      return { items, nextCursor: items.length === limit ? (items.at(-1)?.id ?? null) : null };
    },
  );

  r.get(
    '/api/declarations/:id/legal-hold',
    {
      config: { roles: holdReaders },
      schema: {
        tags: ['retention'],
        summary: "A declaration's standing legal hold, or null, and what the caller may do (place, release)",
        params: IdParams,
      },
    },
    async (request, reply) => {
      const [found] = await db.query<{ office: string }>('SELECT office FROM declarations WHERE id = $1', [
        request.params.id,
      ]);
      if (!found) return sendError(reply, { code: 'declaration_not_found' });
      const [hold] = await standingHolds(db, [request.params.id]);
      const allowed = mayChangeHolds(actorOf(request), found.office) ? [hold ? 'release' : 'place'] : [];
      return { hold: hold ?? null, allowed };
    },
  );

  r.post(
    '/api/declarations/:id/legal-hold',
    {
      config: { roles: holders },
      schema: {
        tags: ['retention'],
        summary: 'Put a declaration under legal hold: it is kept whatever its retention period',
        params: IdParams,
        body: Reason,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { id } = request.params;
      const result = await placeHold(db, id, request.body.reason, actor.username, holdPermission(actor, id));
      return result.ok ? reply.status(201).send(result.value) : sendError(reply, result.error);
    },
  );

  r.post(
    '/api/declarations/:id/legal-hold/release',
    {
      config: { roles: holders },
      schema: {
        tags: ['retention'],
        summary: "Release a declaration's legal hold",
        params: IdParams,
        body: Reason,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { id } = request.params;
      const result = await releaseHold(
        db,
        id,
        request.body.reason,
        actor.username,
        holdPermission(actor, id),
      );
      return result.ok ? result.value : sendError(reply, result.error);
    },
  );

  r.get(
    '/api/retention/runs',
    {
      config: { roles: [Role.Administrator, Role.Auditor] },
      schema: {
        tags: ['retention'],
        summary: 'The archival runs that committed, newest first',
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({
      allowed: actorOf(request).role === Role.Administrator ? ['run'] : [],
      items: await db.query(
        `SELECT id, started_at AS "startedAt", finished_at AS "finishedAt", actor, folder,
           ledger_seq AS "ledgerSeq", counts, held
         FROM archive_runs ORDER BY finished_at DESC, id LIMIT $1`,
        [request.query.limit ?? 100],
      ),
    }),
  );

  r.post(
    '/api/retention/archive',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['retention'],
        summary: "Run the archival job now, into the server's archive folder",
      },
    },
    async (request, reply) => {
      try {
        const report = await archiveExpired(db, { dir: opts.archiveDir, actor: actorOf(request).username });
        return { ...report, runs: report.runs.map((run) => ({ ...run, folder: path.basename(run.folder) })) };
      } catch (error) {
        if (error instanceof ArchiveBusyError || error instanceof HoldRaceError)
          return sendError(reply, { code: 'archive_busy', message: error.message });
        throw error;
      }
    },
  );
}
