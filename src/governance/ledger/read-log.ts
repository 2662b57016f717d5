/**
 * Official reads of sensitive data go into the ledger: a declaration, its history, its assessment
 * or its control results read by anyone but the trader or declarant it belongs to. The entry is
 * written before the response leaves, so no such read is served without its record.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { Role } from '../roles.ts';
import { SubjectKind } from './entry.ts';
import { recordChange, withinTransaction } from './record.ts';

/** The routes whose successful GET is recorded, and what they read. */
const sensitiveReads: Record<string, string> = {
  '/api/declarations/:id': 'declaration',
  '/api/declarations/:id/events': 'events',
  '/api/declarations/:id/assessment': 'assessment',
  '/api/declarations/:id/control-results': 'control_results',
};

/** Parties read their own declarations: that is their business, not surveillance to account for. */
const parties: readonly string[] = [Role.Trader, Role.Declarant];

/** Adds the hook to the root instance, so it applies to the routes registered after it. */
export function recordOfficialReads(app: FastifyInstance, db: Database): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const what = sensitiveReads[request.routeOptions.url ?? ''];
    const actor = request.actor;
    if (!what || request.method !== 'GET' || reply.statusCode !== 200 || !actor) return payload;
    if (parties.includes(actor.role)) return payload;
    const params: unknown = request.params;
    const id = typeof params === 'object' && params !== null && 'id' in params ? String(params.id) : null;
    await withinTransaction(db, (tx) =>
      recordChange(tx, {
        actor: actor.username,
        action: 'declaration.read',
        subjectKind: SubjectKind.Declaration,
        subjectId: id,
        data: { what, role: actor.role },
      }),
    );
    return payload;
  });
}
