/**
 * GET /api/clearance/times: the Time Release Study. Customs roles read every declaration's times;
 * traders and declarants only those of the declarations they may read (declarations/scope.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.ts';
import { ErrorBody } from '../declarations/schema.ts';
import { declarationReaders, scopeFor } from '../declarations/scope.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError, sendError } from '../http/errors.ts';
import { loadTransportModes } from '../reference/procedures.ts';
import { statsLabels } from '../stats/labels.ts';
import { timesRequest, timesView, type TimesLabels } from './times-report.ts';
import { TimesQueryParams, TimesView } from './times-schema.ts';

/** Names of the groups: offices as the server lists them now, sections and transport modes from the reference data. */
export async function timesLabels(ctx: AppContext): Promise<TimesLabels> {
  const stats = statsLabels(ctx.reference, ctx.catalog);
  const modes = new Map(
    (await loadTransportModes(ctx.config.referenceDir)).map((m) => [m.code, `${m.code} ${m.description}`]),
  );
  return {
    office: (code) => {
      const office = ctx.offices().get(code);
      return office ? `${code} ${office.name}` : code;
    },
    mode: (code) => modes.get(code) ?? code,
    section: stats.section,
    chapterSections: stats.chapterSections,
  };
}

export async function timesRoutes(app: FastifyInstance, opts: { ctx: AppContext; today: () => string }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const labels = await timesLabels(opts.ctx);

  r.get(
    '/api/clearance/times',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['clearance'],
        summary:
          'Time Release Study: minutes between the stages of released declarations, by office, lane, transport mode, HS section, trader or period; traders and declarants see only the declarations they may read',
        description:
          'Declarations count in the window of their release day (UTC). Stages: arrival (arrived.data.arrivedAt) to lodging (negative when lodged before arrival), lodging to acceptance, acceptance to assessment (the first), assessment to release, the total from arrival (or lodging without one) to release; documents requested, provided, checked; inspection scheduled, started, completed; duties assessed to paid or guaranteed (the first of each). Mean, median and 90th percentile (interpolated) in minutes, a histogram, and the share within each target. HS section: of the principal item (highest value, first of equals). `biggest`: the stage of arrival, lodging, acceptance, assessment and release adding the most minutes. With compareFrom and compareTo, the same study of a second period and the change per stage. The window may span at most 5 years.',
        querystring: TimesQueryParams,
        response: { 200: TimesView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const scope = scopeFor(actorOf(request));
      if (!scope) throw new HttpError('forbidden', 'this role does not read declarations');
      const req = timesRequest(request.query, opts.today());
      if (!req.ok)
        return sendError(reply, {
          code: 'invalid_request',
          message: req.problems.map((p) => p.message).join('; '),
          problems: req.problems,
        });
      return timesView(opts.ctx.db, req.value, scope, labels);
    },
  );
}
