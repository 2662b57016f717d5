/**
 * Datasets that leave the administration, over HTTP: the analytics export (analytics-export.ts)
 * streamed as JSON Lines to partner agencies and risk analysts, every party identifier replaced by
 * its keyed pseudonym. The export is recorded in the ledger before the first byte leaves.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import { parseDay } from '../stats/window.ts';
import { writeAnalyticsExport } from './analytics-export.ts';
import { SubjectKind } from './ledger/entry.ts';
import { recordChange, withinTransaction } from './ledger/record.ts';
import { defaultRelease, pseudonymiser, pseudonymKey } from './pseudonyms.ts';
import { Role } from './roles.ts';

const Day = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  description: 'YYYY-MM-DD, inclusive',
  errorMessage: 'must be a date written YYYY-MM-DD',
});

export async function exportRoutes(app: FastifyInstance, opts: { db: Database; config: Config }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = opts;

  r.get(
    '/api/exports/analytics',
    {
      config: { roles: [Role.PartnerAgency, Role.RiskAnalyst] },
      schema: {
        tags: ['exports'],
        summary:
          'Declarations with their items, lanes and control outcomes as JSON Lines, every party identifier pseudonymised',
        querystring: Type.Object(
          { from: Type.Optional(Day), to: Type.Optional(Day) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { from, to } = request.query;
      for (const [name, value] of [
        ['from', from],
        ['to', to],
      ] as const)
        if (value !== undefined && !parseDay(value))
          throw new HttpError('invalid_request', `${name} is not a calendar day: ${value}`);
      if (from && to && from > to) throw new HttpError('invalid_request', `from ${from} is after to ${to}`);
      const key = await pseudonymKey(config);
      if (!key.ok) throw new HttpError('service_unavailable', key.error.message);
      const release = config.exportRelease ?? defaultRelease;
      const actor = actorOf(request);
      await withinTransaction(db, (tx) =>
        recordChange(tx, {
          actor: actor.username,
          action: 'dataset.exported',
          subjectKind: SubjectKind.Declarations,
          subjectId: null,
          data: { dataset: 'analytics', release, from: from ?? null, to: to ?? null, role: actor.role },
        }),
      );
      const body = new PassThrough();
      writeAnalyticsExport(db, body, {
        release,
        pseudonymise: pseudonymiser(key.value, release),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      }).then(
        () => body.end(),
        (error: unknown) => {
          request.log.error({ err: error }, 'the analytics export failed part-way');
          body.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="clearway-analytics-${release}.jsonl"`)
        .send(body);
    },
  );
}
