/** The HTTP shapes of the classification aid: a strict request and the suggestions with their texts. */
import { Type, type Static } from 'typebox';
import { suggestionLimit } from './aid.ts';

/** The longest description the aid reads, as a goods item's description may be (declarations/schema.ts). */
export const descriptionMax = 512;

export const SuggestBody = Type.Object(
  {
    description: Type.String({
      minLength: 1,
      maxLength: descriptionMax,
      pattern: '\\S',
      description: 'The goods as a trader describes them, in any words (English best)',
      examples: ['frozen shrimp 500g bag'],
      errorMessage: `must describe the goods, in 1 to ${descriptionMax} characters`,
    }),
    date: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        description:
          "The declaration's date: suggestions come from the HS edition in force on it (today when left out)",
        errorMessage: 'must be a date YYYY-MM-DD',
      }),
    ),
    origin: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{2}$',
        description:
          "The goods' country of origin (ISO 3166-1 alpha-2): codes declared from it more often rank higher",
        errorMessage: 'must be a two-letter country code such as CN',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: suggestionLimit.max,
        description: `How many subheadings (default ${suggestionLimit.default})`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type SuggestBody = Static<typeof SuggestBody>;

const CodeText = Type.Object({ code: Type.String(), description: Type.String() });

export const SuggestionView = Type.Object({
  hs6: Type.String({ description: 'The subheading, six digits' }),
  code: Type.String({ description: 'The subheading as people write it, e.g. 0306.17' }),
  confidence: Type.Number({ description: 'How likely, 0 to 1; the answers add up to at most 1' }),
  words: Type.Array(Type.String(), {
    description: 'The words of the description that led to it, the strongest first',
  }),
  originShare: Type.Optional(
    Type.Number({
      description: 'With an origin: the share of the goods declared from it that fall in this heading',
    }),
  ),
  chapter: CodeText,
  heading: CodeText,
  subheading: CodeText,
});

export const SuggestAnswer = Type.Object({
  model: Type.Integer({ description: 'The version of the classification model that answered' }),
  edition: Type.String({ description: 'The HS edition in force on the date' }),
  date: Type.String(),
  suggestions: Type.Array(SuggestionView),
});

export const ModelVersionView = Type.Object({
  id: Type.Integer(),
  createdAt: Type.String(),
  createdBy: Type.String(),
  source: Type.String({
    description:
      "'reference' (nomenclature and tariff texts) or 'database' (with the declarations' descriptions)",
  }),
  texts: Type.Object({ reference: Type.Integer(), declarations: Type.Integer() }),
  codes: Type.Integer({ description: 'How many subheadings it can suggest' }),
  metrics: Type.Union([
    Type.Object({
      n: Type.Integer(),
      top1: Type.Object({ hs2: Type.Number(), hs4: Type.Number(), hs6: Type.Number() }),
      top3: Type.Object({ hs2: Type.Number(), hs4: Type.Number(), hs6: Type.Number() }),
      top5: Type.Object({ hs2: Type.Number(), hs4: Type.Number(), hs6: Type.Number() }),
    }),
    Type.Null(),
  ]),
  size: Type.Integer({ description: 'Bytes of the stored model' }),
  active: Type.Boolean(),
  activatedBy: Type.Union([Type.String(), Type.Null()]),
  activatedAt: Type.Union([Type.String(), Type.Null()]),
  allowed: Type.Array(Type.String(), { description: 'What the caller may do with it: activate' }),
});
