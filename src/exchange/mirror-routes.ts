/**
 * Mirror analysis over HTTP (ADR 0024): a declaration's matched export records with their gaps, for
 * customs roles only (a partner administration's data is not shown to the importer), and the mirror
 * statistics for risk analysts and administrators, as JSON or CSV.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { administrationCode } from '../config.ts';
import type { Database } from '../db/database.ts';
import { ErrorBody, IdParams } from '../declarations/schema.ts';
import { noteReadDetails } from '../governance/ledger/read-log.ts';
import { Role } from '../governance/roles.ts';
import { sendError } from '../http/errors.ts';
import {
  mirrorOf,
  mirrorStatistics,
  monthPattern,
  monthWords,
  statisticsCsv,
  statisticsHeader,
  statisticsPeriod,
} from './mirror-read.ts';
import { MirrorView, StatisticsView } from './mirror-schema.ts';

/** Customs roles that read every declaration (declarations/scope.ts), and so its mirror. */
const mirrorReaders = [Role.Officer, Role.Supervisor, Role.RiskAnalyst, Role.Auditor];
const statisticsReaders = [Role.RiskAnalyst, Role.Administrator];

const StatisticsQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({
        pattern: monthPattern,
        description: 'First export month (default: 11 months before `to`)',
        errorMessage: `must be ${monthWords}`,
      }),
    ),
    to: Type.Optional(
      Type.String({
        pattern: monthPattern,
        description: 'Last export month (default: this month)',
        errorMessage: `must be ${monthWords}`,
      }),
    ),
    partner: Type.Optional(
      Type.String({
        pattern: administrationCode.source,
        description: 'A partner administration code',
        errorMessage:
          'must be an administration code: 2 to 12 upper-case letters and digits, starting with a letter',
      }),
    ),
    chapter: Type.Optional(
      Type.String({
        pattern: '^\\d{2}$',
        description: 'An HS chapter, two digits',
        errorMessage: 'must be an HS chapter of two digits',
      }),
    ),
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('csv')], {
        description: 'csv: the rows as CSV (as Accept: text/csv)',
      }),
    ),
  },
  { additionalProperties: false },
);

export async function mirrorRoutes(app: FastifyInstance, opts: { db: Database; today: () => string }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  r.get(
    '/api/declarations/:id/mirror',
    {
      config: { roles: mirrorReaders },
      schema: {
        tags: ['exchange'],
        summary: "Partners' export records matched to an import, with the gaps of mirror analysis",
        description:
          "For customs roles only: a partner administration's data is not shown to the importer. Values are compared only in one currency (no exchange rate): otherwise the value gap is not comparable and not a finding. An import with no match has `matches: []`.",
        params: IdParams,
        response: { 200: MirrorView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const [found] = await db.query('SELECT 1 FROM declarations WHERE id = $1', [id]);
      if (!found) return sendError(reply, { code: 'declaration_not_found' });
      const matches = await mirrorOf(db, id);
      noteReadDetails(request, {
        records: matches.map((m) => ({ partner: m.partner, messageId: m.messageId })),
      });
      return { declarationId: id, matches };
    },
  );

  r.get(
    '/api/exchange/mirror-statistics',
    {
      config: { roles: statisticsReaders },
      schema: {
        tags: ['exchange'],
        summary:
          'Mirror statistics per partner, HS chapter and export month: matched, unmatched, findings, value gap',
        description: `JSON, or CSV with Accept: text/csv or format=csv (${statisticsHeader.trim()}). Values are summed within one currency, over the matched pairs comparable in value.`,
        querystring: StatisticsQuery,
        response: {
          200: {
            content: {
              'application/json': {
                schema: StatisticsView,
              },
              'text/csv': { schema: Type.String() },
            },
          },
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const period = statisticsPeriod(q.from, q.to, opts.today());
      if (!period.ok) return sendError(reply, { code: 'invalid_request', message: period.message });
      const rows = await mirrorStatistics(db, {
        from: period.from,
        to: period.to,
        ...(q.partner ? { partner: q.partner } : {}),
        ...(q.chapter ? { chapter: q.chapter } : {}),
      });
      reply.header('vary', 'Accept');
      const csv =
        q.format === 'csv' || (q.format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
      if (csv)
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="mirror-statistics-${period.from}-${period.to}.csv"`,
          )
          .send(statisticsCsv(rows));
      return reply.type('application/json; charset=utf-8').send({ from: period.from, to: period.to, rows });
    },
  );
}
