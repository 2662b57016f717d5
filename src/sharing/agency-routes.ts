/**
 * Partner agencies over HTTP (/api/sharing/agencies): administrators add and change them;
 * administrators and supervisors read the list (the agreements page shows it).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { ErrorBody } from '../declarations/schema.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import type { Result } from '../shared/result.ts';
import {
  createAgency,
  listAgencies,
  updateAgency,
  type Agency as AgencyRow,
  type AgencyError,
} from './agencies.ts';
import { Agency, AgencyBody, AgencyChange, AgencyCode } from './agreement-schema.ts';

function unwrap(result: Result<AgencyRow, AgencyError>): AgencyRow {
  if (result.ok) return result.value;
  const { code, message, ...details } = result.error;
  throw new HttpError(code, message, Object.keys(details).length > 0 ? details : undefined);
}

export async function agencyRoutes(app: FastifyInstance, opts: { db: Database }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  r.get(
    '/api/sharing/agencies',
    {
      config: { roles: [Role.Administrator, Role.Supervisor] },
      schema: {
        tags: ['sharing'],
        summary: 'The partner agencies that receive data under sharing agreements',
        response: { 200: Type.Object({ agencies: Type.Array(Agency), allowed: Type.Array(Type.String()) }) },
      },
    },
    async (request) => ({
      agencies: await listAgencies(db),
      allowed: actorOf(request).role === Role.Administrator ? ['add', 'edit'] : [],
    }),
  );

  r.post(
    '/api/sharing/agencies',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['sharing'],
        summary: 'Add a partner agency (on the ledger)',
        body: AgencyBody,
        response: { 201: Agency, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const agency = unwrap(await createAgency(db, request.body, actorOf(request).username));
      return reply.status(201).send(agency);
    },
  );

  r.patch(
    '/api/sharing/agencies/:code',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['sharing'],
        summary: "Change a partner agency's name or contact (on the ledger)",
        params: Type.Object({ code: AgencyCode }),
        body: AgencyChange,
        response: { 200: Agency, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) =>
      unwrap(await updateAgency(db, request.params.code, request.body, actorOf(request).username)),
  );
}
