/**
 * HTTP routes of risk assessment: a declaration's assessment with its reasons, for the officers who
 * control it and the analysts and auditors who review selectivity; and re-running assessment for
 * accepted declarations that have no lane yet (after an import).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import { IdParams } from '../declarations/schema.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { sendError } from '../http/errors.ts';
import type { RiskEngine, StoredAssessment } from './assessment.ts';
import { factorContext, type FactorContext } from './factor-context.ts';
import { rowExtrasOfIndicators } from './described.ts';
import { readMirror } from './mirror.ts';

const readers = [Role.Officer, Role.Supervisor, Role.RiskAnalyst, Role.Auditor] as const;

const Lane = Type.Union([
  Type.Literal('red'),
  Type.Literal('yellow'),
  Type.Literal('blue'),
  Type.Literal('green'),
]);
const Reference = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('price_median'),
        median: Type.Number({ description: 'The median unit value (per kg) of the price reference' }),
        hs6: Type.String(),
        origin: Type.Union([Type.String(), Type.Null()], {
          description: 'The origin whose statistics answered; null for those over every origin',
        }),
        currency: Type.String(),
        observations: Type.Integer({ description: 'How many unit values the median is of' }),
      },
      {
        description:
          "The published price reference for the main item's HS6 and origin, in the declaration's currency, " +
          'as it stands now (beside the plain unit value, which the model compared with nothing)',
      },
    ),
    Type.Object(
      {
        kind: Type.Literal('training_median'),
        median: Type.Number({
          description: "The median unit value (per kg) of the HS6's main items in the model's training data",
        }),
        hs6: Type.String(),
        currency: Type.Null({
          description:
            "Always null: the training data's unit values are each in its declaration's own currency, " +
            'not converted, so the median has no single currency',
        }),
      },
      { description: 'What the model compared the unit value with (unitValueVsHs6)' },
    ),
    Type.Object(
      {
        kind: Type.Literal('history'),
        declarations: Type.Integer({ description: 'Training declarations with the same value' }),
        irregular: Type.Number({ description: 'How many of them controls found irregular' }),
        overallRate: Type.Number({
          description: 'The share found irregular over every training declaration',
        }),
      },
      { description: 'What the model learned of the value' },
    ),
  ],
  { description: 'The reference the value stands against; null when the feature has none' },
);
const Factor = Type.Object({
  feature: Type.String({ description: 'The feature name (features.ts), e.g. logUnitValue, trader:rate' }),
  contribution: Type.Number({ description: 'In log-odds: positive raises the risk' }),
  value: Type.Optional(
    Type.Union([Type.Number(), Type.Null()], {
      description: "The declaration's value of what the feature measures (in `unit`), null when it has none",
    }),
  ),
  unit: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'e.g. USD, kg, USD/kg, %' })),
  subject: Type.Optional(
    Type.Union([Type.Array(Type.String()), Type.Null()], {
      description: 'For a categorical feature, the value(s) it is of: a trader, an HS6, an origin and an HS6',
    }),
  ),
  reference: Type.Optional(Type.Union([Reference, Type.Null()])),
});
const Explanation = Type.Object(
  {
    unit: Type.Literal('log-odds', { description: 'The unit of every number here' }),
    base: Type.Number({ description: "The model's score before any feature is looked at" }),
    factors: Type.Array(Factor, {
      description:
        'The largest contributions of features, the largest in size first; in the latest assessment, ' +
        "each with the declaration's value and the reference it stands against",
    }),
    others: Type.Number({ description: 'The sum of the contributions of every other feature' }),
    otherCount: Type.Integer({ description: 'How many other features contributed' }),
    total: Type.Number({
      description: 'base + the factors + others: the model score in log-odds (to floating-point rounding)',
    }),
    probability: Type.Number({ description: 'P(fraud) = 1 / (1 + e^-total)' }),
  },
  { description: "How the learned model's score adds up; null when no model was active" },
);

const AssessmentView = Type.Object({
  id: Type.Integer(),
  declarationId: Type.Integer(),
  assessedAt: Type.String(),
  office: Type.String(),
  day: Type.String({ description: 'The day whose control capacity the lane was counted against' }),
  score: Type.Number({ description: 'Combined risk in [0, 1]' }),
  critical: Type.Union([Type.Number(), Type.Null()], { description: 'P(critical fraud) from the model' }),
  lane: Lane,
  random: Type.Boolean({ description: 'Selected at random to measure compliance' }),
  reasons: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    description:
      'Rules hit (kind rule), model factors with their contributions in log-odds (factor) and how they add up ' +
      '(explanation: unit, base, others, otherCount, total, probability), anomalies, random selection and capacity notes',
  }),
  explanation: Type.Union([Explanation, Type.Null()]),
  versions: Type.Record(Type.String(), Type.String(), {
    description: 'Versions of the scorers: profiles (CODE@version), model id, anomaly detectors',
  }),
  modelId: Type.Union([Type.Integer(), Type.Null()]),
  thresholds: Type.Optional(
    Type.Object(
      { red: Type.Number(), yellow: Type.Number(), blue: Type.Number() },
      {
        description:
          'The lowest score of each lane under the policy the assessment was made with (below blue is ' +
          'green); absent for assessments stored before thresholds were kept with them',
      },
    ),
  ),
});

export async function assessmentRoutes(app: FastifyInstance, opts: { db: Database; risk: RiskEngine }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, risk } = opts;

  r.get(
    '/api/declarations/:id/assessment',
    {
      config: { roles: readers },
      schema: {
        tags: ['risk'],
        summary: 'The risk assessment of a declaration: score, lane, reasons, and the earlier assessments',
        params: IdParams,
        response: {
          200: Type.Object({ latest: AssessmentView, history: Type.Array(AssessmentView) }),
        },
      },
    },
    async (request, reply) => {
      const found = await declarationsRepository.findById(db, request.params.id, { kind: 'all' });
      if (!found) return sendError(reply, { code: 'declaration_not_found' });
      const history = await risk.history(db, found.id);
      const latest = history.at(-1);
      if (!latest)
        return sendError(reply, {
          code: 'not_assessed',
          message: `declaration ${found.id} has not been risk-assessed yet`,
        });
      let context = (_feature: string): Partial<FactorContext> => ({});
      try {
        const model = latest.modelId === null ? null : await risk.model(db, latest.modelId);
        if (model) {
          const prices = risk.prices();
          const extras = rowExtrasOfIndicators({
            mirror: (await readMirror(db, [{ id: found.id, input: found }])).get(found.id),
            described: risk.described(found),
          });
          const contexts = new Map<string, FactorContext>();
          for (const r of latest.reasons)
            if (r.kind === 'factor')
              contexts.set(r.feature, factorContext(r.feature, found, model, prices, extras));
          context = (feature) => contexts.get(feature) ?? {};
        }
      } catch (error) {
        // a model this code can no longer read (another feature set), or a feature it no longer
        // knows: the assessment is served as stored, without the context
        request.log.warn(
          { err: error, declaration: found.id, assessment: latest.id, model: latest.modelId },
          'factor context unavailable',
        );
      }
      return { latest: present(latest, context), history: history.map((a) => present(a)) };
    },
  );

  r.post(
    '/api/risk/assess-pending',
    {
      config: { roles: [Role.RiskAnalyst] },
      schema: {
        tags: ['risk'],
        summary: 'Assess every open declaration that has no lane yet (imports are assessed in batches)',
        response: {
          200: Type.Object({
            assessed: Type.Integer(),
            lanes: Type.Object({
              red: Type.Integer(),
              yellow: Type.Integer(),
              blue: Type.Integer(),
              green: Type.Integer(),
            }),
          }),
        },
      },
    },
    async (request) => risk.assessPending(actorOf(request).username),
  );
}

/**
 * An assessment as served: its reasons, and the model's explanation with the factors it adds up,
 * each with what `context` tells of it.
 */
function present(a: StoredAssessment, context: (feature: string) => Partial<FactorContext> = () => ({})) {
  const { thresholds, ...rest } = a;
  const stored = thresholds ? { ...rest, thresholds } : rest;
  const explanation = a.reasons.find((r) => r.kind === 'explanation');
  if (!explanation) return { ...stored, explanation: null };
  const { kind: _kind, ...numbers } = explanation;
  const factors = a.reasons.flatMap((r) =>
    r.kind === 'factor' ? [{ feature: r.feature, contribution: r.contribution, ...context(r.feature) }] : [],
  );
  return { ...stored, explanation: { ...numbers, factors } };
}
