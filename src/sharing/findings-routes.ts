/**
 * Agency findings over HTTP: a partner agency sends what it found on a declaration it received
 * (idempotent with an Idempotency-Key) and reads its own; customs officials read them all (officers
 * and supervisors those of their offices' declarations); a declaration's page reads its findings.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { ErrorBody, IdParams } from '../declarations/schema.ts';
import { declarationReaders, scopeCondition, scopeFor } from '../declarations/scope.ts';
import { isOfficeBound, Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError, sendError, statusOf } from '../http/errors.ts';
import { idempotent } from '../http/idempotency.ts';
import { agencyOf, findingsOfDeclaration, listFindings, recordFinding } from './findings.ts';
import {
  DeclarationFindings,
  FindingBody,
  FindingsPage,
  FindingsQuery,
  FindingView,
} from './findings-schema.ts';

/** Who reads findings: the agency its own, customs officials every agency's. */
const listReaders = [
  Role.PartnerAgency,
  Role.Officer,
  Role.Supervisor,
  Role.RiskAnalyst,
  Role.Auditor,
  Role.Administrator,
];

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export async function findingRoutes(app: FastifyInstance, opts: { db: Database }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  r.post(
    '/api/sharing/findings',
    {
      config: { roles: [Role.PartnerAgency] },
      schema: {
        tags: ['sharing'],
        summary: 'Send customs what your agency found on a declaration it received',
        description:
          'A declaration your agency was not delivered is not found, whether it exists or not. A user who belongs to no registered agency (its party) may not send findings. With an Idempotency-Key, a retry gets the first answer.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: FindingBody,
        response: { 201: FindingView, ...errors, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return idempotent(db, request, reply, actor.userId, async () => {
        const result = await recordFinding(db, actor, request.body);
        if (result.ok) return { status: 201, body: result.value };
        const { code, message } = result.error;
        return { status: statusOf(code), body: { error: code, message } };
      });
    },
  );

  r.get(
    '/api/sharing/findings',
    {
      config: { roles: listReaders },
      schema: {
        tags: ['sharing'],
        summary: 'Agency findings, newest first: your agency’s own, or for customs every agency’s',
        description:
          'Officers and supervisors read the findings on their offices’ declarations; risk analysts, auditors and administrators all of them. A partner agency user reads its agency’s findings (none when it belongs to no agency).',
        querystring: FindingsQuery,
        response: { 200: FindingsPage, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const q = request.query;
      const page = { limit: q.limit ?? 50, ...(q.after !== undefined ? { before: q.after } : {}) };
      const filter = {
        ...(q.declaration !== undefined ? { declarationId: q.declaration } : {}),
        ...(q.kind !== undefined ? { kind: q.kind } : {}),
        ...page,
      };
      if (actor.role === Role.PartnerAgency) {
        const agency = await agencyOf(db, actor);
        if (!agency.ok) return { findings: [], nextCursor: null };
        if (q.agency !== undefined && q.agency !== agency.value.code)
          throw new HttpError(
            'forbidden',
            `you read the findings of your agency ${agency.value.code}, not those of ${q.agency}`,
          );
        const { findings, next } = await listFindings(db, { ...filter, agency: agency.value.code });
        return { findings, nextCursor: next };
      }
      const { findings, next } = await listFindings(db, {
        ...filter,
        ...(q.agency !== undefined ? { agency: q.agency } : {}),
        ...(isOfficeBound(actor.role) ? { offices: actor.offices } : {}),
      });
      return { findings, nextCursor: next };
    },
  );

  r.get(
    '/api/declarations/:id/agency-findings',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['sharing'],
        summary: 'What partner agencies found on a declaration, oldest first',
        description:
          "Officers and supervisors of the declaration's office, risk analysts and auditors read each finding whole. The trader and its declarant read which agency found what and how severe, without the agency's words or user.",
        params: IdParams,
        response: { 200: DeclarationFindings, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const scope = scopeFor(actor);
      if (!scope) return sendError(reply, { code: 'declaration_not_found' });
      const params: unknown[] = [];
      const condition = scopeCondition(scope, params);
      const result = await findingsOfDeclaration(db, request.params.id, actor, { condition, params });
      if (!result.ok) return sendError(reply, result.error);
      return { declarationId: request.params.id, ...result.value };
    },
  );
}
