/** Health, metrics, the data dictionary and code-list look-ups. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.ts';
import { Role } from '../governance/roles.ts';
import { isCalendarDate } from '../declarations/validate/format.ts';
import { HttpError } from './errors.ts';
import type { Metrics } from './metrics.ts';

export async function systemRoutes(app: FastifyInstance, opts: { ctx: AppContext; metrics: Metrics }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = opts;

  r.get(
    '/health',
    { config: { public: true }, schema: { tags: ['system'], summary: 'Liveness and database reachability' } },
    async (_request, reply) => {
      try {
        await ctx.db.query('SELECT 1');
        return { status: 'ok', database: ctx.db.kind };
      } catch {
        return reply.status(503).send({ status: 'unavailable', database: ctx.db.kind });
      }
    },
  );

  r.get(
    '/metrics',
    {
      config: { roles: [Role.Administrator] },
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics (text format); scrape with an administrator API token',
      },
    },
    async (_request, reply) => reply.type('text/plain; version=0.0.4').send(opts.metrics.render()),
  );

  r.get(
    '/api/catalog',
    {
      schema: {
        tags: ['reference'],
        summary: 'The data dictionary: every field with its WCO Data Model ID and definition',
      },
    },
    async () => ({
      fields: ctx.catalog.entries,
    }),
  );

  r.get(
    '/api/reference/hs/:code',
    {
      schema: {
        tags: ['reference'],
        summary: 'An HS heading or subheading as in force on a date',
        params: Type.Object({
          code: Type.String({
            pattern: '^(\\d{2}|\\d{4}|\\d{6})$',
            title: 'HS code',
            description: 'An HS chapter, heading or subheading: 2, 4 or 6 digits',
            examples: ['7013'],
          }),
        }),
        querystring: Type.Object(
          { date: Type.Optional(Type.String({ format: 'date' })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const date = request.query.date ?? new Date().toISOString().slice(0, 10);
      if (!isCalendarDate(date)) throw new HttpError('invalid_request', `date ${date} is not a real date`);
      const description = ctx.reference.hsDescription(request.params.code, date);
      if (!description)
        throw new HttpError(
          'not_found',
          `HS code ${request.params.code} is not in the edition in force on ${date}`,
        );
      return { code: request.params.code, edition: ctx.reference.hsEditionOn(date), description, date };
    },
  );
}
