/**
 * Transparency of sharing: GET /api/sharing/access-log (an agency's deliveries for its own users;
 * every agency's for administrators, supervisors and auditors) and which agencies received
 * declarations: GET /api/sharing/recipients for traders and declarants, and
 * GET /api/declarations/:id/recipients for the parties of a declaration and for officials.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from '../db/database.ts';
import { IdParams } from '../declarations/schema.ts';
import { declarationReaders, scopeFor } from '../declarations/scope.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import { AccessLogQuery, AccessLogResponse, RecipientsQuery, RecipientsResponse } from './feed-schema.ts';
import { accessLog, isVisible, recipients, type RecipientsPosition } from './transparency.ts';

const logReaders = [Role.PartnerAgency, Role.Administrator, Role.Supervisor, Role.Auditor];

function position(text: string | undefined): RecipientsPosition | undefined {
  if (text === undefined) return undefined;
  const [delivery = '', declaration = ''] = text.split('-');
  return { deliveryId: Number(delivery), declarationId: Number(declaration) };
}

const presentRecipients = (page: Awaited<ReturnType<typeof recipients>>) => ({
  items: page.items,
  next: page.next ? `${page.next.deliveryId}-${page.next.declarationId}` : null,
});

export async function transparencyRoutes(app: FastifyInstance, opts: { db: Database }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  r.get(
    '/api/sharing/access-log',
    {
      config: { roles: logReaders },
      schema: {
        tags: ['sharing'],
        summary:
          "Deliveries to partner agencies, newest first: an agency's users see their own agency's, administrators, supervisors and auditors every agency's",
        querystring: AccessLogQuery,
        response: { 200: AccessLogResponse },
      },
    },
    async (request) => {
      const { agency, before, limit = 100 } = request.query;
      const actor = actorOf(request);
      if (actor.role === Role.PartnerAgency) {
        if (agency !== undefined && agency !== actor.partyId)
          throw new HttpError('forbidden', "an agency's users read their own agency's access log only");
        if (actor.partyId === null) return { items: [], nextBefore: null };
        return accessLog(db, { agency: actor.partyId, limit, ...(before !== undefined ? { before } : {}) });
      }
      return accessLog(db, {
        limit,
        ...(agency !== undefined ? { agency } : {}),
        ...(before !== undefined ? { before } : {}),
      });
    },
  );

  r.get(
    '/api/sharing/recipients',
    {
      config: { roles: [Role.Trader, Role.Declarant] },
      schema: {
        tags: ['sharing'],
        summary: 'Which partner agencies received the declarations the caller may read, newest first',
        querystring: RecipientsQuery,
        response: { 200: RecipientsResponse },
      },
    },
    async (request) => {
      const { before, limit = 100 } = request.query;
      const scope = scopeFor(actorOf(request));
      if (scope === null) return { items: [], next: null };
      const at = position(before);
      return presentRecipients(await recipients(db, { scope, limit, ...(at ? { before: at } : {}) }));
    },
  );

  r.get(
    '/api/declarations/:id/recipients',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['sharing'],
        summary: 'Which partner agencies received this declaration, under which agreement, when',
        params: IdParams,
        querystring: RecipientsQuery,
        response: { 200: RecipientsResponse },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { before, limit = 100 } = request.query;
      const scope = scopeFor(actorOf(request));
      if (scope === null || !(await isVisible(db, id, scope)))
        throw new HttpError('declaration_not_found', `declaration ${id} not found`);
      const at = position(before);
      return presentRecipients(
        await recipients(db, { scope, declarationId: id, limit, ...(at ? { before: at } : {}) }),
      );
    },
  );
}
