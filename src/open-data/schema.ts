/** The OpenAPI shapes of the release routes and the open data routes. */
import { Type, type Static } from 'typebox';

const month = Type.String({
  pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
  description: 'a month, YYYY-MM',
  examples: ['2026-10'],
});

export const Parameters = Type.Object(
  {
    minTraders: Type.Integer({
      minimum: 1,
      maximum: 100,
      description: 'fewer traders make a cell confidential (default 3)',
    }),
    dominance: Type.Array(
      Type.Object(
        {
          n: Type.Integer({ minimum: 1, maximum: 5, description: 'how many of the largest traders' }),
          k: Type.Number({
            exclusiveMinimum: 0,
            exclusiveMaximum: 100,
            description: 'their share of the value, percent',
          }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 5, description: 'dominance rules (n, k); default (1, 85) and (2, 95)' },
    ),
    protectionPercent: Type.Number({
      minimum: 0,
      maximum: 100,
      description: "how far an attacker's bounds must stay from a confidential value (default 20)",
    }),
  },
  { additionalProperties: false },
);

export const PrepareBody = Type.Object(
  {
    from: month,
    to: month,
    currency: Type.String({
      pattern: '^[A-Z]{3}$',
      description: 'ISO 4217: only declarations in it are counted',
    }),
    parameters: Type.Optional(Parameters),
    correctionNote: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: 'what a new version of a published release corrects',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PrepareBody = Static<typeof PrepareBody>;

export const DecisionBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const ReleaseIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });

export const CellsQuery = Type.Object(
  {
    table: Type.String({ minLength: 1, maxLength: 100, description: 'the table, e.g. imports-2026-10-4000' }),
  },
  { additionalProperties: false },
);

export const OpenReleaseParams = Type.Object({
  name: Type.String({ pattern: '^trade-[0-9a-z-]{7,30}$', description: 'the release, e.g. trade-2026-10' }),
  version: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
});

export const OpenFileParams = Type.Object({
  ...OpenReleaseParams.properties,
  file: Type.String({
    pattern: '^[0-9a-z.-]{1,100}$',
    description: 'a file of the release, e.g. datapackage.json',
  }),
});
