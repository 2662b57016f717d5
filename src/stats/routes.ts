/**
 * HTTP routes of the dashboards: declarations and their value over time, and data quality over
 * time. Staff see every office; traders and declarants see the statistics of the declarations they
 * may read (their own, or those of the traders they represent), never anyone else's.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import type { Catalog } from '../declarations/catalog.ts';
import { declarationReaders, scopeFor } from '../declarations/scope.ts';
import type { Actor } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import type { ReferenceData } from '../reference/reference-data.ts';
import { declarationDimensions, declarationStatistics } from './declaration-stats.ts';
import { statsLabels } from './labels.ts';
import { qualityDimensions, qualityStatistics } from './quality-stats.ts';
import { maxPeriods, maxYears, periodUnits, statsWindow } from './window.ts';

const count = Type.Integer({ minimum: 0 });
const counts = Type.Array(count);
const amounts = Type.Array(Type.Number());
const day = Type.String({ format: 'date' });
const share = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]);
const seriesKey = Type.Union([Type.String(), Type.Null()], {
  description: 'null for the series that adds up every key outside the top',
});

const windowParams = {
  period: Type.Optional(
    Type.Enum(periodUnits, { description: 'Length of a period (default month); a week starts on Monday' }),
  ),
  from: Type.Optional(
    Type.String({
      format: 'date',
      description: 'First declaration date, inclusive; default 30 days, 26 weeks or 12 months before to',
    }),
  ),
  to: Type.Optional(
    Type.String({ format: 'date', description: 'Last declaration date, inclusive; default today' }),
  ),
  top: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 20,
      default: 8,
      description: 'How many keys get a series of their own; the others share one',
    }),
  ),
};

const windowFields = {
  from: day,
  to: day,
  period: Type.Enum(periodUnits),
  periods: Type.Array(day, { description: 'The first day of each period, oldest first' }),
  otherKeys: Type.Integer({ minimum: 0, description: 'How many keys the last series adds up' }),
};

const DeclarationStats = Type.Object({
  ...windowFields,
  by: Type.Union([Type.Enum(declarationDimensions), Type.Null()]),
  currency: Type.Union([Type.String(), Type.Null()], {
    description: 'The currency of every value; null when there is no declaration in the window',
  }),
  currencies: Type.Array(Type.Object({ currency: Type.String(), declarations: count })),
  total: Type.Object({ declarations: count, value: Type.Number(), duty: Type.Number(), cancelled: count }),
  perPeriod: Type.Object({ declarations: counts, value: amounts, duty: amounts, cancelled: counts }),
  series: Type.Array(
    Type.Object({
      key: seriesKey,
      label: Type.String(),
      total: Type.Object({ declarations: count, value: Type.Number(), duty: Type.Number() }),
      declarations: counts,
      value: amounts,
      duty: amounts,
    }),
  ),
});

const QualityStats = Type.Object({
  ...windowFields,
  by: Type.Enum(qualityDimensions),
  total: Type.Object({ declarations: count, withFindings: count, findings: count, share }),
  perPeriod: Type.Object({
    declarations: counts,
    withFindings: counts,
    findings: counts,
    share: Type.Array(share),
  }),
  series: Type.Array(
    Type.Object({
      key: seriesKey,
      label: Type.String(),
      total: Type.Object({ findings: count, declarations: count }),
      findings: counts,
      declarations: counts,
    }),
  ),
});

const today = () => new Date().toISOString().slice(0, 10);
const limits = `The window may span at most ${maxYears} years and ${maxPeriods} periods.`;

export async function statsRoutes(
  app: FastifyInstance,
  opts: { db: Database; reference: ReferenceData; catalog: Catalog },
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;
  const labels = statsLabels(opts.reference, opts.catalog);

  /** The declarations the caller may read; the roles allowed on these routes always have a scope. */
  function scopeOf(actor: Actor) {
    const scope = scopeFor(actor);
    if (!scope) throw new HttpError('forbidden', 'this role does not read declarations');
    return scope;
  }

  function windowOf(query: { period?: 'day' | 'week' | 'month'; from?: string; to?: string }) {
    const window = statsWindow(query, today());
    if (!window.ok) throw new HttpError('invalid_request', window.error.message);
    return window.value;
  }

  r.get(
    '/api/stats/declarations',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['statistics'],
        summary:
          'Declarations, their value and their duty per period, by HS section or chapter, origin, office or lane; traders and declarants see only the declarations they may read',
        description:
          "Value is the sum of the item values in one currency (the most common in the window unless currency is given), duty the sum of the items' import duties (value × duty rate, to cents) in the same currency; declarations in other currencies count in the number of declarations but not in the value or duty. Section, chapter and origin are per goods item: a declaration with items under two keys counts under both. Cancelled declarations count only in cancelled. " +
          limits,
        querystring: Type.Object(
          {
            ...windowParams,
            by: Type.Optional(Type.Enum(declarationDimensions, { description: 'Leave out for totals only' })),
            currency: Type.Optional(
              Type.String({
                pattern: '^[A-Z]{3}$',
                description: 'An ISO 4217 currency code: three capital letters',
                examples: ['USD'],
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: DeclarationStats },
      },
    },
    async (request) => {
      const scope = scopeOf(actorOf(request));
      const window = windowOf(request.query);
      const { by, currency, top = 8 } = request.query;
      return declarationStatistics(
        db,
        { window, by: by ?? null, currency: currency ?? null, top, scope },
        labels,
      );
    },
  );

  r.get(
    '/api/stats/quality',
    {
      config: { roles: declarationReaders },
      schema: {
        tags: ['statistics'],
        summary:
          'Findings of accepted declarations per period, by field, finding code or trader, and the share of declarations with findings; traders and declarants see only the declarations they may read',
        description:
          'A field is its path with item numbers taken out (items[3].hsCode counts as items[].hsCode). Cancelled declarations are left out. ' +
          limits,
        querystring: Type.Object(
          {
            ...windowParams,
            by: Type.Optional(Type.Enum(qualityDimensions, { description: 'Default field' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: QualityStats },
      },
    },
    async (request) => {
      const scope = scopeOf(actorOf(request));
      const window = windowOf(request.query);
      const { by = 'field', top = 8 } = request.query;
      return qualityStatistics(db, { window, by, top, scope }, labels);
    },
  );
}
