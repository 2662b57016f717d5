/**
 * The partner agencies' feed over HTTP: GET /api/sharing/feed (a page of the declarations an
 * agreement in force covers, as JSON or JSON Lines, recorded as a delivery before it is sent) and
 * GET /api/sharing/aggregates (what an aggregated agreement shares instead). Partner agency users
 * only, each within its own agency's agreements.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { pseudonymKey } from '../governance/pseudonyms.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import { parseDay } from '../stats/window.ts';
import { minTradersPerCell, readAggregates } from './aggregates.ts';
import { readFeedPage } from './feed.ts';
import {
  AggregatesQuery,
  AggregatesResponse,
  AgreementsInForceResponse,
  FeedQuery,
  FeedResponse,
} from './feed-schema.ts';
import { agreementOf, agreementsInForce, SharingLevel, whyNotInForce } from './in-force.ts';

export const nextCursorHeader = 'clearway-next-cursor';
export const hasMoreHeader = 'clearway-has-more';
const jsonLines = 'application/x-ndjson';

/** from and to are calendar days, in order. */
function checkDays(from: string | undefined, to: string | undefined): void {
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (value !== undefined && !parseDay(value))
      throw new HttpError('invalid_request', `${name} is not a calendar day: ${value}`);
  if (from && to && from > to) throw new HttpError('invalid_request', `from ${from} is after to ${to}`);
}

const wantsJsonLines = (request: FastifyRequest, format: string | undefined): boolean =>
  format === 'jsonl' || (format === undefined && (request.headers.accept ?? '').includes(jsonLines));

export async function feedRoutes(
  app: FastifyInstance,
  opts: { db: Database; config: Config; today: () => string },
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = opts;

  r.get(
    '/api/sharing/feed/agreements',
    {
      config: { roles: [Role.PartnerAgency] },
      schema: {
        tags: ['sharing'],
        summary:
          "The agreements of the caller's agency in force today: what each grants and how it is delivered",
        response: { 200: AgreementsInForceResponse },
      },
    },
    async (request) => {
      const agency = actorOf(request).partyId;
      if (agency === null) return { agency: null, items: [] };
      const items = await agreementsInForce(db, agency, opts.today());
      return {
        agency,
        items: items.map((a) => ({
          id: a.id,
          purpose: a.purpose,
          fields: [...a.fields],
          level: a.level,
          delivery: a.delivery,
          validFrom: a.validFrom,
          validTo: a.validTo,
        })),
      };
    },
  );

  r.get(
    '/api/sharing/feed',
    {
      config: { roles: [Role.PartnerAgency] },
      schema: {
        tags: ['sharing'],
        summary:
          "A page of the declarations one of the agency's agreements in force covers, with the granted fields only (JSON, or JSON Lines with Accept: application/x-ndjson or format=jsonl); recorded as a delivery",
        description:
          'The cursor is opaque and belongs to its agreement and agency; nextCursor is where the next page starts (with hasMore false, poll with it later). In JSON Lines each line is one declaration and the cursor comes in the Clearway-Next-Cursor header (Clearway-Has-More beside it).',
        querystring: FeedQuery,
        response: {
          200: {
            content: {
              'application/json': { schema: FeedResponse },
              'application/x-ndjson': {
                schema: Type.String({ description: 'one shared declaration per line' }),
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { agreement, cursor, from, to, limit = 100, format } = request.query;
      checkDays(from, to);
      const page = await readFeedPage(db, {
        actor: actorOf(request),
        limit,
        today: opts.today(),
        pseudonymKey: () => pseudonymKey(config),
        ...(agreement !== undefined ? { agreementId: agreement } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      });
      if (!page.ok) throw new HttpError(page.error.code, page.error.message);
      const { items, nextCursor, hasMore } = page.value;
      reply.header('vary', 'Accept');
      if (wantsJsonLines(request, format)) {
        if (nextCursor !== null) reply.header(nextCursorHeader, nextCursor);
        reply.header(hasMoreHeader, String(hasMore));
        return reply
          .type(`${jsonLines}; charset=utf-8`)
          .send(items.map((item) => JSON.stringify(item) + '\n').join(''));
      }
      return {
        agreement: page.value.agreement?.id ?? null,
        fields: page.value.agreement ? [...page.value.agreement.fields] : [],
        level: page.value.agreement?.level ?? null,
        items,
        nextCursor,
        hasMore,
      };
    },
  );

  r.get(
    '/api/sharing/aggregates',
    {
      config: { roles: [Role.PartnerAgency] },
      schema: {
        tags: ['sharing'],
        summary:
          'What an aggregated agreement shares: declarations, value and net mass per month, HS chapter and currency, cells of fewer than 3 traders suppressed; whole months that have ended only (a day given in from or to stands for its month)',
        querystring: AggregatesQuery,
        response: { 200: AggregatesResponse },
      },
    },
    async (request) => {
      const { agreement: id, from, to } = request.query;
      checkDays(from, to);
      const actor = actorOf(request);
      const agreement = actor.partyId === null ? undefined : await agreementOf(db, actor.partyId, id);
      if (agreement === undefined)
        throw new HttpError(
          'not_found',
          actor.partyId === null
            ? `no agreement ${id}: your account belongs to no agency`
            : `agency ${actor.partyId} has no agreement ${id}`,
        );
      const why = whyNotInForce(agreement, opts.today());
      if (why !== null) throw new HttpError('agreement_not_in_force', why);
      if (agreement.level !== SharingLevel.Aggregated)
        throw new HttpError(
          'forbidden',
          `agreement ${id} is ${agreement.level}: it shares declarations, read them with GET /api/sharing/feed?agreement=${id}`,
        );
      const cells = await readAggregates(db, agreement, {
        actor: actor.username,
        today: opts.today(),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      });
      return { agreement: id, minTraders: minTradersPerCell, cells };
    },
  );
}
