/** HTTP route of risk performance: hit rates, lift, the random-sample estimate, profile precision, drift. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { Role } from '../governance/roles.ts';
import { HttpError } from '../http/errors.ts';
import { performanceWindow, riskPerformance } from './performance.ts';

const day = Type.String({ format: 'date' });
const nullableNumber = Type.Union([Type.Number(), Type.Null()]);
const count = Type.Integer({ minimum: 0 });
const periodUnit = (options: { default?: string; description?: string } = {}) =>
  Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], options);

const GroupStats = Type.Object({
  assessed: count,
  controlled: Type.Integer({ minimum: 0, description: 'Declarations with at least one control result' }),
  positives: Type.Integer({
    minimum: 0,
    description: 'Controlled declarations whose latest result is non-compliant',
  }),
  hitRate: Type.Union([Type.Number(), Type.Null()], { description: 'positives / controlled' }),
  revenueRecovered: Type.Array(Type.Object({ currency: Type.String(), amount: Type.Number() }), {
    description:
      'Revenue recovered by the control results in force, one sum per currency (amounts in different currencies are never added)',
  }),
  controlledDuty: Type.Array(Type.Object({ currency: Type.String(), amount: Type.Number() }), {
    description:
      "Import duty of the controlled declarations (each item's value × its duty rate, to cents), one sum per declaration currency that owes any",
  }),
});

const Interval = Type.Object({ rate: Type.Number(), low: Type.Number(), high: Type.Number(), n: count });

const outcomes = {
  targeted: GroupStats,
  random: GroupStats,
  other: GroupStats,
  lift: Type.Union([Type.Number(), Type.Null()], { description: 'targeted hit rate / random hit rate' }),
  nonCompliance: Type.Union([Interval, Type.Null()], {
    description: 'Non-compliance of all declarations estimated from the random controls, 95% Wilson interval',
  }),
};

const Drift = Type.Object({
  n: count,
  mean: Type.Number(),
  histogram: Type.Array(Type.Number(), { description: 'Shares of the scores in 10 equal bins on [0, 1]' }),
  psiVsBaseline: nullableNumber,
  psiVsPrevious: nullableNumber,
  modelIds: Type.Array(Type.Integer()),
});

const PerformanceReport = Type.Object({
  from: day,
  to: day,
  period: periodUnit(),
  office: Type.Union([Type.String(), Type.Null()]),
  overall: Type.Object(outcomes),
  periods: Type.Array(Type.Object({ period: day, ...outcomes, drift: Drift })),
  profiles: Type.Array(
    Type.Object({
      id: Type.Integer(),
      code: Type.String(),
      version: Type.Integer(),
      status: Type.String(),
      selections: count,
      controls: count,
      positives: count,
      precision: nullableNumber,
    }),
  ),
});

export async function performanceRoutes(app: FastifyInstance, opts: { db: Database }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/risk/performance',
    {
      config: { roles: [Role.RiskAnalyst, Role.Supervisor, Role.Auditor] },
      schema: {
        tags: ['risk'],
        summary:
          'Hit rates of targeted and random controls, revenue recovered and duty of the controlled declarations, profile precision and score drift per period',
        description:
          'Each declaration counts once, by its latest assessment and its control result in force (a correction replaces the result it corrects). The window defaults to the 12 calendar months up to today; it may span at most 5 years. Periods without assessments are left out; drift is measured against the first period of the report.',
        querystring: Type.Object(
          {
            from: Type.Optional(
              Type.String({ format: 'date', description: 'First assessment day, inclusive' }),
            ),
            to: Type.Optional(
              Type.String({ format: 'date', description: 'Last assessment day, inclusive; default today' }),
            ),
            period: Type.Optional(
              periodUnit({ default: 'month', description: 'Length of a period; a week starts on Monday' }),
            ),
            office: Type.Optional(Type.String({ minLength: 1, maxLength: 17 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: PerformanceReport },
      },
    },
    async (request) => {
      const window = performanceWindow(request.query, new Date().toISOString().slice(0, 10));
      if (!window.ok) throw new HttpError('invalid_request', window.error.message);
      return riskPerformance(opts.db, window.value);
    },
  );
}
