/** Agencies' and agreements' shapes at the HTTP edge (TypeBox: validation, types and OpenAPI). */
import { Type, type Static } from 'typebox';
import { reasonMax } from './agreement-decisions.ts';
import { AgreementStatus } from './agreements.ts';
import { Delivery, SharingLevel } from './agreement-terms.ts';
import { termsDigestPattern } from './terms-digest.ts';

const Day = (description: string) =>
  Type.String({ maxLength: 10, description: `${description} (YYYY-MM-DD)`, examples: ['2027-01-01'] });
const Text = (description: string, maxLength = 2000) => Type.String({ maxLength, description });
const Codes = (description: string, maxLength: number, maxItems: number) =>
  Type.Array(Type.String({ maxLength }), { maxItems, description });

const agencyCodeDescription =
  "The agency's code: 2 to 20 capital letters, digits, _ or -; a partner agency user's partyId";

export const AgencyCode = Type.String({
  pattern: '^[A-Z0-9][A-Z0-9_-]{1,19}$',
  maxLength: 20,
  description: agencyCodeDescription,
  examples: ['AGRI'],
});

export const AgencyBody = Type.Object(
  {
    code: Type.String({ maxLength: 20, description: agencyCodeDescription, examples: ['AGRI'] }),
    name: Text('The agency, e.g. Ministry of Agriculture', 200),
    contact: Text('Who answers for the agency: a person, an address', 200),
  },
  { additionalProperties: false },
);

export const AgencyChange = Type.Object(
  { name: Type.Optional(Text('The agency', 200)), contact: Type.Optional(Text('Who answers for it', 200)) },
  { additionalProperties: false, minProperties: 1 },
);

export const Agency = Type.Object({
  code: Type.String(),
  name: Type.String(),
  contact: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
});

const Filters = Type.Object(
  {
    hsPrefixes: Type.Optional(
      Codes('HS chapters, headings or subheadings (2, 4 or 6 digits) of the declarations covered', 6, 500),
    ),
    procedures: Type.Optional(
      Codes(
        'Requested procedures (2 digits) or procedure codes (4 digits) of the declarations covered',
        4,
        200,
      ),
    ),
    offices: Type.Optional(Codes('Customs offices of the declarations covered', 17, 500)),
    declarationTypes: Type.Optional(Codes('IM, EX: the declaration types covered', 2, 2)),
  },
  {
    additionalProperties: false,
    description: 'Which declarations it covers; a list left empty restricts nothing',
  },
);

const termsProperties = {
  agency: Type.String({ maxLength: 20, description: "The receiving agency's code" }),
  purpose: Text('What the agency uses the data for'),
  legalBasis: Text('The law or instrument the sharing rests on'),
  fields: Type.Array(Type.String({ maxLength: 60 }), {
    minItems: 1,
    maxItems: 100,
    description:
      'The fields granted: data dictionary paths (items[].hsCode) or WCO IDs (145); stored as paths',
  }),
  filters: Filters,
  level: Type.Union(
    [
      Type.Literal(SharingLevel.Identified),
      Type.Literal(SharingLevel.Pseudonymised),
      Type.Literal(SharingLevel.Aggregated),
    ],
    { description: 'identified, pseudonymised (party identifiers as keyed pseudonyms) or aggregated' },
  ),
  delivery: Type.Union(
    [Type.Literal(Delivery.Feed), Type.Literal(Delivery.Webhook), Type.Literal(Delivery.Both)],
    { description: 'feed (the agency reads), webhook (sent to webhookUrl) or both' },
  ),
  webhookUrl: Type.Union([Type.String({ maxLength: 500 }), Type.Null()], {
    description: "The agency's https address, for a webhook delivery",
  }),
  validFrom: Day('First day it is in force'),
  validTo: Day('Last day it is in force'),
};

export const AgreementBody = Type.Object(
  {
    ...termsProperties,
    filters: Type.Optional(Filters),
    webhookUrl: Type.Optional(termsProperties.webhookUrl),
  },
  { additionalProperties: false },
);
export type AgreementBody = Static<typeof AgreementBody>;

export const AgreementPatch = Type.Partial(Type.Object(termsProperties, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});
export type AgreementPatch = Static<typeof AgreementPatch>;

export const ReasonBody = (required: boolean) =>
  Type.Object(
    {
      reason: required
        ? Type.String({ minLength: 1, maxLength: reasonMax, description: 'Why' })
        : Type.Optional(Type.String({ maxLength: reasonMax, description: 'Why (optional)' })),
    },
    { additionalProperties: false },
  );

const termsDigestDescription =
  'SHA-256 (hex) of the canonical JSON of the terms (agency, purpose, legalBasis, fields as paths, filters, level, delivery, webhookUrl, validFrom, validTo): names the version of the terms';

/** An approval: the digest of the terms the approver reviewed; refused 409 if the draft changed since. */
export const ApprovalBody = Type.Object(
  {
    termsDigest: Type.String({
      pattern: termsDigestPattern,
      maxLength: 64,
      description: `The termsDigest of the agreement as reviewed (${termsDigestDescription}); refused 409 agreement_changed when the draft changed since`,
    }),
    reason: Type.Optional(Type.String({ maxLength: reasonMax, description: 'Why (optional)' })),
  },
  { additionalProperties: false },
);

export const AgreementStatusSchema = Type.Union([
  Type.Literal(AgreementStatus.Draft),
  Type.Literal(AgreementStatus.Active),
  Type.Literal(AgreementStatus.Rejected),
  Type.Literal(AgreementStatus.Suspended),
  Type.Literal(AgreementStatus.Revoked),
]);

export const AgreementQuery = Type.Object(
  {
    agency: Type.Optional(AgencyCode),
    status: Type.Optional(AgreementStatusSchema),
  },
  { additionalProperties: false },
);

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const Agreement = Type.Object({
  id: Type.Integer(),
  agency: Type.String(),
  purpose: Type.String(),
  legalBasis: Type.String(),
  fields: Type.Array(Type.Object({ path: Type.String(), wcoId: Type.String(), name: Type.String() })),
  filters: Type.Object({
    hsPrefixes: Type.Array(Type.String()),
    procedures: Type.Array(Type.String()),
    offices: Type.Array(Type.String()),
    declarationTypes: Type.Array(Type.String()),
  }),
  level: Type.String(),
  delivery: Type.String(),
  webhookUrl: Nullable(Type.String()),
  validFrom: Type.String(),
  validTo: Type.String(),
  termsDigest: Type.String({ description: `${termsDigestDescription}; an approval sends it back` }),
  status: AgreementStatusSchema,
  inForce: Type.Boolean({ description: 'Active, and today within validFrom..validTo' }),
  releaseLabel: Type.String({ description: 'The release label of its pseudonyms: agreement-<id>' }),
  draftedBy: Type.String(),
  draftedAt: Type.String(),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  changedBy: Nullable(Type.String()),
  changedAt: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  allowed: Type.Array(Type.String(), { description: 'What the caller may do with it now' }),
});
export type Agreement = Static<typeof Agreement>;
