/**
 * HTTP routes of trade monitoring: the series with their forecasts, the alerts ranked by size, an
 * analyst's acknowledgement, dismissal or draft profile, and a run started by an analyst. Risk
 * analysts act; supervisors and auditors read.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from '../db/database.ts';
import { IdParams } from '../declarations/schema.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError, sendError } from '../http/errors.ts';
import type { StatsLabels } from '../stats/labels.ts';
import { alertActions, decideAlert, findAlert, listAlerts, type StoredAlert } from './alerts.ts';
import { findRun, latestRun, listSeries, seriesDetail } from './forecasts.ts';
import { draftProfile } from './profile-draft.ts';
import { runMonitoring, RunTrigger } from './run.ts';
import {
  AlertList,
  AlertsQuery,
  Alert,
  DraftedProfile,
  Reason,
  Run,
  RunBody,
  SeriesDetail,
  SeriesDetailQuery,
  SeriesList,
  SeriesParams,
  SeriesQuery,
} from './schema.ts';
import { parseSeriesKey } from './series-key.ts';
import type { MonitoringSettings } from './settings.ts';

const readers = [Role.RiskAnalyst, Role.Supervisor, Role.Auditor];
const analysts = [Role.RiskAnalyst];
const today = () => new Date().toISOString().slice(0, 10);

export async function monitoringRoutes(
  app: FastifyInstance,
  opts: { db: Database; labels: StatsLabels; settings: MonitoringSettings },
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, labels } = opts;
  const labelOf = (key: string): string => {
    const [dimension, code = ''] = key.split(':');
    if (dimension === 'chapter') return labels.chapter(code);
    if (dimension === 'origin') return `${labels.country(code)} (${code})`;
    if (dimension === 'office') return `Office ${code}`;
    return 'All imports';
  };
  const present = (a: StoredAlert, role: Role) => ({
    ...a,
    allowed: alertActions(a, role === Role.RiskAnalyst),
  });

  r.get(
    '/api/monitoring/series',
    {
      config: { roles: readers },
      schema: {
        tags: ['monitoring'],
        summary:
          'The monitored series of the latest run of a period, with their method, latest value and next forecast',
        querystring: SeriesQuery,
        response: { 200: SeriesList },
      },
    },
    async (request) => {
      const { period = 'month', limit = 200, ...filter } = request.query;
      const allowed = actorOf(request).role === Role.RiskAnalyst ? ['run'] : [];
      const run = await latestRun(db, period);
      if (!run) return { run: null, allowed, series: [] };
      const series = await listSeries(db, run, { ...filter, limit });
      return { run, allowed, series: series.map((s) => ({ ...s, label: labelOf(s.key) })) };
    },
  );

  r.get(
    '/api/monitoring/series/:key',
    {
      config: { roles: readers },
      schema: {
        tags: ['monitoring'],
        summary:
          'One series: its history, the forecast of the next periods with 80% and 95% bands, and the backtest of its latest period',
        params: SeriesParams,
        querystring: SeriesDetailQuery,
        response: { 200: SeriesDetail },
      },
    },
    async (request, reply) => {
      const key = parseSeriesKey(request.params.key);
      if (!key.ok) throw new HttpError('invalid_request', key.error.message);
      const { period = 'month', measure = 'declarations' } = request.query;
      const run = await latestRun(db, period);
      const found = run && (await seriesDetail(db, run, request.params.key, measure));
      if (!run || !found)
        return sendError(reply, {
          code: 'series_not_found',
          message: `no ${measure} forecast for ${request.params.key} in the latest ${period} run (a series needs ${opts.settings.minPeriods} periods of history)`,
        });
      return { ...found, label: labelOf(found.key), run };
    },
  );

  r.get(
    '/api/monitoring/alerts',
    {
      config: { roles: readers },
      schema: {
        tags: ['monitoring'],
        summary: 'Alerts ranked by size (the value at stake), with what the caller may do with each',
        querystring: AlertsQuery,
        response: { 200: AlertList },
      },
    },
    async (request) => {
      const { limit = 100, ...filter } = request.query;
      const role = actorOf(request).role;
      return { alerts: (await listAlerts(db, { ...filter, limit })).map((a) => present(a, role)) };
    },
  );

  for (const action of ['acknowledge', 'dismiss'] as const) {
    r.post(
      `/api/monitoring/alerts/:id/${action}`,
      {
        config: { roles: analysts },
        schema: {
          tags: ['monitoring'],
          summary:
            action === 'acknowledge'
              ? 'Acknowledge an open alert, with a reason (on the ledger)'
              : 'Dismiss an open or acknowledged alert, with a reason kept as feedback (on the ledger)',
          params: IdParams,
          body: Reason,
          response: { 200: Alert },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const done = await decideAlert(
          db,
          request.params.id,
          action,
          actor.username,
          request.body.reason.trim(),
        );
        return done.ok ? present(done.value, actor.role) : sendError(reply, done.error);
      },
    );
  }

  r.post(
    '/api/monitoring/alerts/:id/profile',
    {
      config: { roles: analysts },
      schema: {
        tags: ['monitoring'],
        summary:
          'Turn an alert into a draft rule profile whose conditions match it; it then follows the four-eyes workflow',
        params: IdParams,
        response: { 201: DraftedProfile },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const made = await draftProfile(db, request.params.id, actor.username, today());
      if (!made.ok) return sendError(reply, made.error);
      const alert = await findAlert(db, request.params.id);
      if (!alert) throw new Error(`alert ${request.params.id} vanished`);
      const p = made.value;
      return reply.status(201).send({
        profile: {
          id: p.id,
          code: p.code,
          version: p.version,
          status: p.status,
          conditions: p.definition.conditions,
        },
        alert: present(alert, actor.role),
      });
    },
  );

  r.post(
    '/api/monitoring/runs',
    {
      config: { roles: analysts },
      schema: {
        tags: ['monitoring'],
        summary:
          'Run the monitoring now for a period (forecasts and alerts up to the latest complete period)',
        body: RunBody,
        response: { 201: Run },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const unit = request.body.period ?? 'month';
      const done = await runMonitoring(db, {
        unit,
        today: today(),
        trigger: RunTrigger.Analyst,
        actor: actor.username,
        settings: opts.settings,
      });
      if (!done.ok) return sendError(reply, done.error);
      const run = done.value && (await findRun(db, done.value.id));
      if (!run) throw new Error('the monitoring run was not stored');
      return reply.status(201).send(run);
    },
  );
}
