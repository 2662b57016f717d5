/** TypeBox schemas of the clearance routes: each action's body, strict, and what they answer. */
import { Type } from 'typebox';
import type { ClearanceAction } from '../declarations/lifecycle.ts';
import { waitingStages } from './waiting.ts';

const note = Type.Optional(Type.String({ maxLength: 1000, description: 'Free text kept with the stage' }));
const place = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'Where: a shed, a quay, an inspection bay',
});
const reason = Type.String({
  minLength: 3,
  maxLength: 500,
  description: 'Why, in words kept with the decision',
});
const moment = (description: string) => Type.String({ format: 'date-time', description });
const money = Type.Object(
  {
    amount: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1e13,
      multipleOf: 0.01,
      description: 'In the currency, to cents; at most what is due',
    }),
    currency: Type.String({
      pattern: '^[A-Z]{3}$',
      description: "ISO 4217: the declaration's currency",
      errorMessage: "must be an ISO 4217 currency code: three capital letters, such as 'USD'",
    }),
    reference: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'The receipt or guarantee reference',
    }),
  },
  { additionalProperties: false },
);
const strict = { additionalProperties: false } as const;

export const ActionBodies: Record<ClearanceAction, ReturnType<typeof Type.Object>> = {
  report_arrival: Type.Object(
    {
      arrivedAt: Type.Optional(
        moment('When the goods arrived (now if not given); may be before lodging, never in the future'),
      ),
      place: Type.Optional(place),
    },
    strict,
  ),
  request_documents: Type.Object(
    {
      documents: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
          maxItems: 20,
          description: 'The documents asked for (invoice, certificate of origin, ...)',
        }),
      ),
      note,
    },
    strict,
  ),
  provide_documents: Type.Object({ note }, strict),
  check_documents: Type.Object(
    { outcome: Type.Union([Type.Literal('satisfactory'), Type.Literal('discrepancy')]), note },
    strict,
  ),
  schedule_inspection: Type.Object({ plannedAt: moment('When the inspection is planned'), place }, strict),
  start_inspection: Type.Object({ place: Type.Optional(place) }, strict),
  complete_inspection: Type.Object({ place: Type.Optional(place), note }, strict),
  record_payment: money,
  record_guarantee: money,
  release: Type.Object({ note }, strict),
  detain: Type.Object({ reason }, strict),
  seize: Type.Object({ reason }, strict),
  refuse: Type.Object({ reason }, strict),
};

const Money = Type.Number({ description: "In the declaration's currency" });

export const ClearanceView = Type.Object({
  id: Type.Integer(),
  status: Type.String(),
  lane: Type.Union([Type.String(), Type.Null()]),
  office: Type.String(),
  stages: Type.Array(
    Type.Object({
      kind: Type.String(),
      at: Type.String(),
      actor: Type.String(),
      data: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    }),
  ),
  progress: Type.Object({
    arrived: Type.Boolean(),
    documents: Type.String(),
    inspection: Type.String(),
    controlled: Type.Boolean(),
  }),
  duty: Type.Object({
    currency: Type.String(),
    items: Type.Array(
      Type.Object({
        sequence: Type.Integer(),
        hsCode: Type.String(),
        value: Type.Number(),
        dutyRate: Type.Union([Type.Number(), Type.Null()]),
        duty: Money,
      }),
    ),
    duty: Money,
    paid: Money,
    guaranteed: Money,
    due: Money,
    revenueRecovered: Type.Array(Type.Object({ amount: Type.Number(), currency: Type.String() })),
  }),
  allowed: Type.Array(Type.String(), { description: 'The clearance actions you may take now' }),
  releaseBlockedBy: Type.Union([Type.String(), Type.Null()], {
    description: 'Why it cannot be released now (null when it can, or no longer waits)',
  }),
});

export const WaitingView = Type.Object({
  offices: Type.Array(Type.String()),
  waiting: Type.Array(
    Type.Object({
      office: Type.String(),
      stage: Type.String({ description: `One of ${waitingStages.join(', ')}` }),
      count: Type.Integer(),
      oldestSince: Type.String(),
    }),
  ),
});
