/**
 * HTTP routes for control work: the worklist and queues of an office; officers record what they
 * found; readers see the results.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import { IdParams } from '../declarations/schema.ts';
import { declarationReaders, scopeFor } from '../declarations/scope.ts';
import type { Declaration } from '../declarations/model.ts';
import { present } from '../declarations/routes.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { idMax, parseInteger } from '../shared/integer.ts';
import type { Result } from '../shared/result.ts';
import { noteListRead } from '../governance/ledger/read-log.ts';
import { assign, officersOf, reroute, take, type AssignmentError } from './assignment.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError, sendError } from '../http/errors.ts';
import {
  controlResultsOf,
  correctControlResult,
  irregularities,
  recordControlResult,
} from './control-results.ts';
import { queues, worklist } from './worklist.ts';

const controllers = [Role.Officer, Role.Supervisor] as const;
const readers = declarationReaders;

const workers = [Role.Officer, Role.Supervisor, Role.RiskAnalyst] as const;
const WorkLane = Type.Union([
  Type.Literal('red'),
  Type.Literal('yellow'),
  Type.Literal('blue'),
  Type.Literal('green'),
]);
const WorkItem = Type.Object({
  id: Type.Integer(),
  functionalReference: Type.String(),
  trader: Type.String(),
  office: Type.String(),
  date: Type.String(),
  lane: Type.String(),
  riskScore: Type.Number(),
  status: Type.String(),
  lodgedAt: Type.String(),
  invoiceTotal: Type.Union([Type.Number(), Type.Null()]),
  currency: Type.String(),
  items: Type.Integer(),
  assignedTo: Type.Union([Type.String(), Type.Null()]),
});

export async function controlRoutes(app: FastifyInstance, opts: { db: Database }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  r.get(
    '/api/worklist',
    {
      config: { roles: workers },
      schema: {
        tags: ['controls'],
        summary:
          'The open declarations routed to an office (by default every office you work at) and lanes (red and yellow by default), highest risk first',
        querystring: Type.Object(
          {
            office: Type.Optional(Type.String({ minLength: 1, maxLength: 17 })),
            lane: Type.Optional(Type.Array(WorkLane, { maxItems: 4 })),
            after: Type.Optional(
              Type.String({ maxLength: 60, description: 'Cursor: the nextCursor of the previous page' }),
            ),
            assigned: Type.Optional(
              Type.Union([Type.Literal('mine'), Type.Literal('unassigned'), Type.Literal('all')], {
                description: 'Only your work, only work nobody holds, or all of it (the default)',
              }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(WorkItem),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { limit = 50 } = request.query;
      const offices = request.query.office === undefined ? actor.offices : [request.query.office];
      if (offices.length === 0)
        throw new HttpError('invalid_request', 'name the office whose worklist you want (office=...)');
      const after = request.query.after === undefined ? undefined : worklistCursor(request.query.after);
      const items = await worklist(db, {
        offices,
        lanes: request.query.lane ?? ['red', 'yellow'],
        after,
        ...(request.query.assigned === 'mine'
          ? { assignee: actor.username }
          : request.query.assigned === 'unassigned'
            ? { assignee: null }
            : {}),
        limit,
      });
      const last = items.at(-1);
      // an official's read of an office's work goes into the ledger, as a list of declarations does
      noteListRead(
        request,
        items.map((item) => item.id),
        'worklist',
      );
      return { items, nextCursor: items.length === limit && last ? `${last.riskScore}_${last.id}` : null };
    },
  );

  r.get(
    '/api/worklist/queues',
    {
      config: { roles: [Role.Supervisor, Role.RiskAnalyst] },
      schema: {
        tags: ['controls'],
        summary: 'Open red and yellow work per office and lane, and how old it is',
        querystring: Type.Object(
          { office: Type.Optional(Type.String({ minLength: 1, maxLength: 17 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            queues: Type.Array(
              Type.Object({
                office: Type.String(),
                lane: Type.String(),
                open: Type.Integer(),
                oldestLodgedAt: Type.String(),
                olderThanADay: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ queues: await queues(db, request.query.office) }),
  );

  r.get(
    '/api/worklist/officers',
    {
      config: { roles: [Role.Supervisor] },
      schema: {
        tags: ['controls'],
        summary:
          'The officers who can be given work at an office (yours by default, if you work at one), with their open work',
        querystring: Type.Object(
          { office: Type.Optional(Type.String({ minLength: 1, maxLength: 17 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const mine = actorOf(request).offices;
      const office = request.query.office ?? (mine.length === 1 ? mine[0] : undefined);
      if (!office) throw new HttpError('invalid_request', 'name the office (office=...)');
      return { officers: await officersOf(db, office) };
    },
  );

  const changed = (reply: FastifyReply, actor: Actor, result: Result<Declaration, AssignmentError>) =>
    result.ok ? present(result.value, actor) : sendError(reply, result.error);

  r.post(
    '/api/declarations/:id/take',
    {
      config: { roles: controllers },
      schema: {
        tags: ['controls'],
        summary: 'Take open work nobody holds: it becomes yours on the worklist',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return changed(reply, actor, await take(db, request.params.id, actor));
    },
  );

  r.post(
    '/api/declarations/:id/assign',
    {
      config: { roles: [Role.Supervisor] },
      schema: {
        tags: ['controls'],
        summary: 'Give open work to an officer of its office, or release it (officer null)',
        params: IdParams,
        body: Type.Object(
          { officer: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return changed(reply, actor, await assign(db, request.params.id, request.body.officer, actor));
    },
  );

  r.post(
    '/api/declarations/:id/reroute',
    {
      config: { roles: [Role.Supervisor] },
      schema: {
        tags: ['controls'],
        summary: 'Move open work to another lane, giving the reason',
        params: IdParams,
        body: Type.Object(
          { lane: WorkLane, reason: Type.String({ minLength: 3, maxLength: 500 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const reason = request.body.reason.trim();
      if (reason.length < 3) throw new HttpError('invalid_request', 'give the reason for the new lane');
      return changed(reply, actor, await reroute(db, request.params.id, request.body.lane, reason, actor));
    },
  );

  const ResultFields = {
    outcome: Type.Union([Type.Literal('compliant'), Type.Literal('non_compliant')]),
    irregularity: Type.Optional(Type.Union(irregularities.map((i) => Type.Literal(i)))),
    severity: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 2, description: '1 irregularity, 2 critical' }),
    ),
    revenueRecovered: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1e13, description: 'In revenueCurrency' }),
    ),
    revenueCurrency: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{3}$',
        description: "ISO 4217 currency of the revenue recovered; the declaration's currency if not given",
        errorMessage: "must be an ISO 4217 currency code: three capital letters, such as 'USD'",
      }),
    ),
    seizure: Type.Optional(Type.Boolean()),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
  };

  r.post(
    '/api/declarations/:id/control-results',
    {
      config: { roles: controllers },
      schema: {
        tags: ['controls'],
        summary:
          'Record the result of a documentary or physical control; a declaration has one (409 naming it when it has one already)',
        params: IdParams,
        body: Type.Object(ResultFields, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await recordControlResult(db, request.params.id, request.body, actor);
      if (!result.ok) return sendError(reply, result.error);
      return reply.status(201).send(result.value);
    },
  );

  r.post(
    '/api/declarations/:id/control-results/correct',
    {
      config: { roles: [Role.Supervisor] },
      schema: {
        tags: ['controls'],
        summary:
          "Correct a declaration's control result, giving the reason (a supervisor of its office): the result corrected is kept, superseded",
        params: IdParams,
        body: Type.Object(
          { ...ResultFields, reason: Type.String({ minLength: 3, maxLength: 500 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { reason, ...fields } = request.body;
      const result = await correctControlResult(db, request.params.id, fields, reason, actor);
      if (!result.ok) return sendError(reply, result.error);
      return reply.status(201).send(result.value);
    },
  );

  r.get(
    '/api/declarations/:id/control-results',
    {
      config: { roles: readers },
      schema: {
        tags: ['controls'],
        summary:
          'The control results of a declaration, oldest first: the one in force, and those corrections superseded',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const scope = scopeFor(actorOf(request));
      if (!scope) throw new HttpError('forbidden', 'this role does not read declarations');
      const found = await declarationsRepository.findById(db, request.params.id, scope);
      if (!found) return sendError(reply, { code: 'declaration_not_found' });
      return { results: await controlResultsOf(db, found.id) };
    },
  );
}

/**
 * A worklist cursor, `score_id` as nextCursor writes it: a risk score in [0, 1] (as JavaScript
 * prints it, so `1e-7` too) and a declaration id in digits.
 */
function worklistCursor(text: string): { score: number; id: number } {
  const m = /^(\d(?:\.\d{1,20})?(?:e-\d{1,3})?)_(\d+)$/.exec(text);
  const score = m?.[1] === undefined ? NaN : Number(m[1]);
  const id = m?.[2] === undefined ? null : parseInteger(m[2], 1, idMax);
  if (!(score >= 0 && score <= 1) || id === null)
    throw new HttpError('invalid_request', 'after must be a nextCursor from a previous page (score_id)', [
      { in: 'querystring', path: 'after', message: 'must be a nextCursor from a previous page' },
    ]);
  return { score, id };
}
