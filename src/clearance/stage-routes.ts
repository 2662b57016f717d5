/**
 * HTTP routes for clearance: a declaration's stages, duty and payments; one POST per action (each
 * appends its event, refused with the reason lifecycle.ts gives); what waits at each stage for the
 * supervisors of an office.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { Database } from '../db/database.ts';
import type { ClearanceAction } from '../declarations/lifecycle.ts';
import { ErrorBody, IdParams } from '../declarations/schema.ts';
import { declarationReaders } from '../declarations/scope.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError, sendError, statusOf } from '../http/errors.ts';
import { idempotent, type Outcome } from '../http/idempotency.ts';
import { ActionBodies, ClearanceView, WaitingView } from './stage-schema.ts';
import { act, clearanceOf, type ActionInput, type ClearanceError } from './stages.ts';
import { waiting } from './waiting.ts';

const parties = [Role.Trader, Role.Declarant] as const;
const officials = [Role.Officer, Role.Supervisor] as const;

/** Each action's path under /api/declarations/:id, who may call it and what it does. */
const routes: { action: ClearanceAction; path: string; roles: readonly Role[]; summary: string }[] = [
  {
    action: 'report_arrival',
    path: 'arrival',
    roles: [...parties, ...officials],
    summary:
      'Report the arrival of the goods (the trader or declarant of record, or an officer of the office)',
  },
  { action: 'request_documents', path: 'documents/request', roles: officials, summary: 'Request documents' },
  {
    action: 'provide_documents',
    path: 'documents/provide',
    roles: parties,
    summary: 'Provide the documents requested (the trader or declarant of record)',
  },
  {
    action: 'check_documents',
    path: 'documents/check',
    roles: officials,
    summary: 'Record the check of the documents provided',
  },
  {
    action: 'schedule_inspection',
    path: 'inspection/schedule',
    roles: officials,
    summary: 'Schedule an inspection',
  },
  {
    action: 'start_inspection',
    path: 'inspection/start',
    roles: officials,
    summary: 'Start the inspection scheduled (at its place unless another is given)',
  },
  {
    action: 'complete_inspection',
    path: 'inspection/complete',
    roles: officials,
    summary: 'Complete the inspection under way',
  },
  {
    action: 'record_payment',
    path: 'payments',
    roles: officials,
    summary: "Record a payment of duty, in the declaration's currency, up to what is due",
  },
  {
    action: 'record_guarantee',
    path: 'guarantees',
    roles: officials,
    summary: "Record a guarantee for duty, in the declaration's currency, up to what is due",
  },
  {
    action: 'release',
    path: 'release',
    roles: officials,
    summary: 'Release the goods: checks done, control result recorded (yellow, red), duty paid or guaranteed',
  },
  { action: 'detain', path: 'detain', roles: officials, summary: 'Detain the goods, giving the reason' },
  { action: 'seize', path: 'seize', roles: officials, summary: 'Seize the goods, giving the reason (final)' },
  {
    action: 'refuse',
    path: 'refuse',
    roles: officials,
    summary: 'Refuse the release, giving the reason (final)',
  },
];

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** A refusal as an outcome: a value refused names its field, as a schema refusal does. */
function failure(error: ClearanceError): Outcome {
  const message = 'message' in error ? error.message : 'no such declaration';
  const details =
    error.code === 'invalid_request' ? error.fields.map((f) => ({ in: 'body', ...f })) : undefined;
  return {
    status: statusOf(error.code),
    body: { error: error.code, message, ...(details ? { details } : {}) },
  };
}

export async function clearanceRoutes(app: FastifyInstance, opts: { db: Database }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  r.get(
    '/api/declarations/:id/clearance',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['clearance'],
        summary:
          "A declaration's stages from arrival to release with their time and actor, its duty per item and in total, what was paid, guaranteed and is due, the revenue its controls recovered, and the actions you may take",
        params: IdParams,
        response: { 200: ClearanceView, ...errors },
      },
    },
    async (request, reply) => {
      const found = await clearanceOf(db, request.params.id, actorOf(request));
      if (!found) return sendError(reply, { code: 'declaration_not_found' });
      return found;
    },
  );

  for (const route of routes) {
    const body: TSchema = ActionBodies[route.action];
    r.post(
      `/api/declarations/:id/${route.path}`,
      {
        config: { roles: route.roles },
        schema: {
          tags: ['clearance'],
          summary: route.summary,
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
          params: IdParams,
          body,
          response: { 200: ClearanceView, ...errors },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        return idempotent(db, request, reply, actor.userId, async () => {
          const input = (request.body ?? {}) as ActionInput[typeof route.action];
          const result = await act(db, request.params.id, actor, route.action, input);
          return result.ok ? { status: 200, body: result.value } : failure(result.error);
        });
      },
    );
  }

  r.get(
    '/api/clearance/waiting',
    {
      config: { roles: [Role.Supervisor] },
      schema: {
        tags: ['clearance'],
        summary:
          'What waits at each stage of clearance at your offices (or one of them): how many declarations and since when the oldest',
        querystring: Type.Object(
          { office: Type.Optional(Type.String({ minLength: 1, maxLength: 17 })) },
          { additionalProperties: false },
        ),
        response: { 200: WaitingView, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { office } = request.query;
      if (office !== undefined && !actor.offices.includes(office))
        throw new HttpError(
          'forbidden',
          `you work at ${actor.offices.length ? actor.offices.join(', ') : 'no customs office'}, not at office ${office}`,
        );
      const offices = office === undefined ? [...actor.offices] : [office];
      return { offices, waiting: await waiting(db, offices) };
    },
  );
}
