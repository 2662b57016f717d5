/** The HTTP shapes of agency findings: strict bodies and queries, and the finding as it is read. */
import { Type, type Static } from 'typebox';
import { idMax } from '../shared/integer.ts';
import { findingKinds, findingTextMax, severities } from './findings-kinds.ts';

const Kind = Type.Enum(findingKinds, { description: `What the agency found: ${findingKinds.join(', ')}` });
const SeverityValue = Type.Enum(severities, { description: `How grave it is: ${severities.join(', ')}` });
const DeclarationId = Type.Integer({
  minimum: 1,
  maximum: idMax,
  description: 'The id of a declaration your agency received',
});

export const FindingBody = Type.Object(
  {
    declarationId: DeclarationId,
    kind: Kind,
    severity: SeverityValue,
    text: Type.String({
      minLength: 1,
      maxLength: findingTextMax,
      pattern: '\\S',
      description: `What was found and what it means for the goods, up to ${findingTextMax} characters`,
      errorMessage: `must say what was found, in 1 to ${findingTextMax} characters`,
    }),
  },
  { additionalProperties: false },
);
export type FindingBody = Static<typeof FindingBody>;

export const FindingView = Type.Object({
  id: Type.Integer(),
  declarationId: Type.Integer(),
  agency: Type.String(),
  agencyName: Type.String(),
  kind: Type.String(),
  severity: Type.String(),
  text: Type.Optional(Type.String({ description: "The agency's words; not shown to the trader" })),
  createdBy: Type.Optional(Type.String({ description: "The agency's user; not shown to the trader" })),
  createdAt: Type.String(),
});
export type FindingView = Static<typeof FindingView>;

export const FindingsQuery = Type.Object(
  {
    agency: Type.Optional(
      Type.String({
        pattern: '^[A-Z0-9][A-Z0-9_-]{1,19}$',
        description: "An agency's code (customs only: an agency reads its own findings)",
        errorMessage: 'must be an agency code: 2 to 20 upper-case letters, digits, _ or -',
      }),
    ),
    declaration: Type.Optional(DeclarationId),
    kind: Type.Optional(Kind),
    after: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: idMax,
        description: 'Cursor: the nextCursor of the previous page',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const FindingsPage = Type.Object({
  findings: Type.Array(FindingView),
  nextCursor: Type.Union([Type.Integer(), Type.Null()]),
});

export const DeclarationFindings = Type.Object({
  declarationId: Type.Integer(),
  office: Type.String(),
  findings: Type.Array(FindingView),
});
export type DeclarationFindings = Static<typeof DeclarationFindings>;
