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

const readers = [Role.Officer, Role.Supervisor, Role.RiskAnalyst, Role.Auditor] as const;

const Lane = Type.Union([
  Type.Literal('red'),
  Type.Literal('yellow'),
  Type.Literal('blue'),
  Type.Literal('green'),
]);
const Explanation = Type.Object(
  {
    unit: Type.Literal('log-odds', { description: 'The unit of every number here' }),
    base: Type.Number({ description: "The model's score before any feature is looked at" }),
    factors: Type.Array(Type.Object({ feature: Type.String(), contribution: Type.Number() }), {
      description: 'The largest contributions of features, the largest in size first',
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
      return { latest: present(latest), history: history.map(present) };
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

/** An assessment as served: its reasons, and the model's explanation with the factors it adds up. */
function present(a: StoredAssessment) {
  const explanation = a.reasons.find((r) => r.kind === 'explanation');
  if (!explanation) return { ...a, explanation: null };
  const { kind: _kind, ...numbers } = explanation;
  const factors = a.reasons.flatMap((r) =>
    r.kind === 'factor' ? [{ feature: r.feature, contribution: r.contribution }] : [],
  );
  return { ...a, explanation: { ...numbers, factors } };
}
