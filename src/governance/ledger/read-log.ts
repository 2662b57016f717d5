/**
 * Official reads of sensitive data go into the ledger: a declaration, its history, its assessment,
 * its control results, the partners' export records matched to it (its mirror), what partner
 * agencies found on it, which agencies received it (its recipients), or its attached documents
 * (their list, one's description or its bytes), read by anyone but the trader or declarant it
 * belongs to; each page of a declaration list they read (one entry naming the declarations), and the
 * mirror statistics (one entry with the query). The entry is written before the response leaves, so
 * no such read is served without its record.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
  '/api/declarations/:id/mirror': 'mirror',
  '/api/declarations/:id/agency-findings': 'agency_findings',
  '/api/declarations/:id/documents': 'documents',
  '/api/declarations/:id/recipients': 'recipients',
};

/** The routes whose successful GET is recorded as a read of one attached document (the route notes its declaration). */
const documentReads: Record<string, string> = {
  '/api/documents/:id': 'document',
  '/api/documents/:id/content': 'document_content',
};

/** The routes whose successful GET is recorded as a read of partners' messages together, with the query. */
const exchangeReads: Record<string, string> = {
  '/api/exchange/mirror-statistics': 'mirror_statistics',
};

/** Parties read their own declarations: that is their business, not surveillance to account for. */
const parties: readonly string[] = [Role.Trader, Role.Declarant];

/** What a route adds to the record of its read (the partners' records a mirror showed), by request. */
const details = new WeakMap<FastifyRequest, Record<string, unknown>>();

/** Called by a recorded route with facts its entry should carry beyond what was read and by whom. */
export function noteReadDetails(request: FastifyRequest, data: Record<string, unknown>): void {
  details.set(request, data);
}

/** Up to this many declarations, a list read names each; above, their count, range and digest. */
export const namedIdsAtMost = 100;

/** The declarations a list route is about to send, by request, until the hook records them. */
const listed = new WeakMap<FastifyRequest, { ids: readonly number[]; what: string }>();

/**
 * Called by a list route with the ids of the declarations it sends (in the order sent), and what
 * the list is (`list` of declarations, an office's `worklist`).
 */
export function noteListRead(request: FastifyRequest, ids: readonly number[], what = 'list'): void {
  listed.set(request, { ids, what });
}

/**
 * What a list read records: the ids when there are few; else their count, lowest and highest, and
 * SHA-256 (hex) of the ids in the order sent, written in decimal and joined by commas, which checks
 * a list rebuilt from the query and a backup of that time.
 */
export function listReadData(ids: readonly number[]): Record<string, unknown> {
  if (ids.length <= namedIdsAtMost) return { count: ids.length, ids };
  return {
    count: ids.length,
    lowestId: Math.min(...ids),
    highestId: Math.max(...ids),
    idsSha256: createHash('sha256').update(ids.join(',')).digest('hex'),
  };
}

/** Adds the hook to the root instance, so it applies to the routes registered after it. */
export function recordOfficialReads(app: FastifyInstance, db: Database): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.routeOptions.url ?? '';
    const what = sensitiveReads[url];
    const exchange = exchangeReads[url];
    const document = documentReads[url];
    const actor = request.actor;
    const list = listed.get(request);
    if (
      (!what && !list && !exchange && !document) ||
      request.method !== 'GET' ||
      reply.statusCode !== 200 ||
      !actor
    )
      return payload;
    if (parties.includes(actor.role)) return payload;
    if (exchange) {
      await withinTransaction(db, (tx) =>
        recordChange(tx, {
          actor: actor.username,
          action: 'exchange_messages.read',
          subjectKind: SubjectKind.ExchangeMessages,
          subjectId: null,
          data: { what: exchange, role: actor.role, query: request.query },
        }),
      );
      return payload;
    }
    if (list) {
      await withinTransaction(db, (tx) =>
        recordChange(tx, {
          actor: actor.username,
          action: 'declarations.read',
          subjectKind: SubjectKind.Declarations,
          subjectId: null,
          data: { what: list.what, role: actor.role, query: request.query, ...listReadData(list.ids) },
        }),
      );
      return payload;
    }
    const params: unknown = request.params;
    const id = typeof params === 'object' && params !== null && 'id' in params ? String(params.id) : null;
    if (document) {
      await withinTransaction(db, (tx) =>
        recordChange(tx, {
          actor: actor.username,
          action: 'document.read',
          subjectKind: SubjectKind.Document,
          subjectId: id,
          data: { what: document, role: actor.role, ...details.get(request) },
        }),
      );
      return payload;
    }
    await withinTransaction(db, (tx) =>
      recordChange(tx, {
        actor: actor.username,
        action: 'declaration.read',
        subjectKind: SubjectKind.Declaration,
        subjectId: id,
        data: { what, role: actor.role, ...details.get(request) },
      }),
    );
    return payload;
  });
}
