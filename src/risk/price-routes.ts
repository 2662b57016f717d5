/** HTTP routes of the price reference: browse, look up, recompute, and set analysts' bounds. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import {
  listPrices,
  recomputePriceReference,
  removePriceOverride,
  setPriceOverride,
  type PriceCursor,
} from './price-reference.ts';

const readers = [Role.Officer, Role.Supervisor, Role.RiskAnalyst, Role.Auditor] as const;
const hs6 = Type.String({
  pattern: '^\\d{6}$',
  description: 'An HS subheading: 6 digits',
  examples: ['701349'],
});
const origin = Type.String({
  pattern: '^[A-Z]{2}$',
  description: 'Country of origin; leave out for the statistics over every origin',
  errorMessage: "must be an ISO 3166 country code: two capital letters, such as 'CN'",
});
const currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'An ISO 4217 currency code: three capital letters',
  examples: ['USD'],
});

export async function priceRoutes(app: FastifyInstance, opts: { ctx: AppContext }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = opts;

  r.get(
    '/api/risk/prices',
    {
      config: { roles: readers },
      schema: {
        tags: ['risk'],
        summary: 'Browse the price reference by HS prefix, in HS6/origin/currency order',
        querystring: Type.Object(
          {
            hs: Type.Optional(
              Type.String({
                pattern: '^\\d{2,6}$',
                description: 'The start of an HS code: 2 to 6 digits',
                examples: ['7013'],
              }),
            ),
            currency: Type.Optional(currency),
            after: Type.Optional(
              Type.String({ maxLength: 40, description: 'Cursor: the nextCursor of the previous page' }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { hs, currency: cur, after, limit = 100 } = request.query;
      const cursor = after?.split('|');
      if (cursor && (cursor.length !== 3 || !/^\d{6}$/.test(cursor[0] ?? '')))
        throw new HttpError('invalid_request', 'after must be a nextCursor from a previous page');
      const entries = await listPrices(ctx.db, {
        hsPrefix: hs,
        currency: cur,
        after: cursor as PriceCursor | undefined,
        limit,
      });
      const last = entries.at(-1);
      return {
        items: entries.map((e) => ({ ...e, ...bandOf(e.hs6, e.origin, e.currency) })),
        nextCursor: entries.length === limit && last ? `${last.hs6}|${last.origin}|${last.currency}` : null,
      };
    },
  );

  r.get(
    '/api/risk/prices/:hs6',
    {
      config: { roles: readers },
      schema: {
        tags: ['risk'],
        summary: 'The reference for an HS6, origin and currency, falling back to the HS6 over every origin',
        params: Type.Object({ hs6 }),
        querystring: Type.Object(
          { origin: Type.Optional(origin), currency },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const found = ctx.prices().lookup(request.params.hs6, request.query.origin, request.query.currency);
      if (!found)
        throw new HttpError(
          'not_found',
          `no price reference for HS ${request.params.hs6} in ${request.query.currency}`,
        );
      return found;
    },
  );

  r.post(
    '/api/risk/prices/recompute',
    {
      config: { roles: [Role.RiskAnalyst] },
      schema: { tags: ['risk'], summary: 'Recompute the price reference from the accepted declarations' },
    },
    async (request) => {
      const entries = await recomputePriceReference(ctx.db, actorOf(request).username);
      await ctx.reloadPrices();
      return { entries };
    },
  );

  r.put(
    '/api/risk/prices/overrides',
    {
      config: { roles: [Role.RiskAnalyst] },
      schema: {
        tags: ['risk'],
        summary:
          "Set an analyst's bounds for a unit value (per kg); they take precedence over the computed band",
        body: Type.Object(
          {
            hs6,
            origin: Type.Optional(origin),
            currency,
            min: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
            max: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
            reason: Type.String({ minLength: 3, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const b = request.body;
      if (b.min === undefined && b.max === undefined)
        throw new HttpError('invalid_request', 'give min, max or both');
      if (b.min !== undefined && b.max !== undefined && b.min > b.max)
        throw new HttpError('invalid_request', `min ${b.min} is above max ${b.max}`);
      await setPriceOverride(ctx.db, {
        hs6: b.hs6,
        origin: b.origin ?? '',
        currency: b.currency,
        min: b.min ?? null,
        max: b.max ?? null,
        reason: b.reason,
        setBy: actorOf(request).username,
      });
      await ctx.reloadPrices();
      return {
        hs6: b.hs6,
        origin: b.origin ?? '',
        currency: b.currency,
        min: b.min ?? null,
        max: b.max ?? null,
        reason: b.reason,
      };
    },
  );

  r.delete(
    '/api/risk/prices/overrides/:hs6',
    {
      config: { roles: [Role.RiskAnalyst] },
      schema: {
        tags: ['risk'],
        summary: "Remove an analyst's bounds",
        params: Type.Object({ hs6 }),
        querystring: Type.Object(
          { origin: Type.Optional(origin), currency },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const removed = await removePriceOverride(
        ctx.db,
        request.params.hs6,
        request.query.origin ?? '',
        request.query.currency,
        actorOf(request).username,
      );
      if (!removed) throw new HttpError('not_found', 'no such override');
      await ctx.reloadPrices();
      return { removed: true };
    },
  );

  function bandOf(code: string, from: string, cur: string) {
    const found = ctx.prices().lookup(code, from || undefined, cur);
    return found ? { low: found.low, high: found.high } : {};
  }
}
