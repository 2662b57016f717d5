/** The OpenAPI shape of a profile version as the routes answer it. */
import { Type } from 'typebox';

const Definition = Type.Object({
  code: Type.String(),
  name: Type.String(),
  lane: Type.String({ description: 'red, yellow, blue or green' }),
  weight: Type.Integer({ minimum: 1, maximum: 100 }),
  reason: Type.String({ description: 'what the officer reads when the profile selects a declaration' }),
  validFrom: Type.String({ description: 'YYYY-MM-DD' }),
  validTo: Type.Optional(Type.String({ description: 'YYYY-MM-DD' })),
  conditions: Type.Array(
    Type.Object({
      field: Type.String(),
      op: Type.String(),
      value: Type.Unknown({ description: 'a value, a list of values or [min, max], by operator' }),
    }),
  ),
});

const Version = {
  id: Type.Integer(),
  code: Type.String(),
  version: Type.Integer(),
  definition: Definition,
  status: Type.String({ description: 'draft, pending, active, rejected or retired' }),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  decisionNote: Type.Union([Type.String(), Type.Null()]),
};

/** The version in force of the same code, beside another version: what an approver compares. */
const InForce = Type.Union(
  [
    Type.Object({
      id: Type.Integer(),
      version: Type.Integer(),
      definition: Definition,
      decidedBy: Type.Union([Type.String(), Type.Null()]),
      decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
    Type.Null(),
  ],
  {
    description:
      'the active version of the same code when it is another version than this one; null when no version is in force or this one is',
  },
);

export const ProfileDetailResponse = Type.Object({
  ...Version,
  stats: Type.Object({
    selections: Type.Integer(),
    controls: Type.Integer(),
    positives: Type.Integer(),
    hitRate: Type.Union([Type.Number(), Type.Null()]),
  }),
  allowed: Type.Array(Type.String(), { description: 'submit, approve, reject or retire' }),
  inForce: InForce,
});
