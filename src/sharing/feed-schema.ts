/** The OpenAPI shapes of the sharing routes: the feed, aggregates, access log and recipients. */
import { Type, type Static } from 'typebox';
import { maxFeedLimit } from './feed.ts';

const Day = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  description: 'YYYY-MM-DD, inclusive',
  errorMessage: 'must be a date written YYYY-MM-DD',
});
const AgreementId = Type.Integer({
  minimum: 1,
  maximum: 9_007_199_254_740_991,
  description: 'an agreement id',
});
const AgencyCode = Type.String({
  pattern: '^[A-Z0-9][A-Z0-9_-]{1,19}$',
  description: 'an agency code, e.g. AGRI',
  errorMessage: 'must be an agency code: capitals, digits, _ or -, 2 to 20 characters',
});
const Limit = (max: number, dflt: number) =>
  Type.Optional(Type.Integer({ minimum: 1, maximum: max, default: dflt }));

export const FeedQuery = Type.Object(
  {
    agreement: Type.Optional(AgreementId),
    cursor: Type.Optional(
      Type.String({
        pattern: '^f1\\.[A-Za-z0-9_-]{1,200}$',
        description: 'the nextCursor of the previous page',
        errorMessage: 'must be a cursor the feed gave',
      }),
    ),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    limit: Limit(maxFeedLimit, 100),
    format: Type.Optional(
      Type.Enum(['json', 'jsonl'], { description: 'jsonl: JSON Lines, as Accept: application/x-ndjson' }),
    ),
  },
  { additionalProperties: false },
);

const Shared = Type.Object(
  { id: Type.Integer() },
  { additionalProperties: true, description: 'the declaration id and the granted fields only' },
);

export const FeedResponse = Type.Object({
  agreement: Type.Union([AgreementId, Type.Null()], {
    description: 'the agreement the page was read under; null for an agency with none in force',
  }),
  fields: Type.Array(Type.String(), { description: 'the granted field paths' }),
  level: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(Shared),
  nextCursor: Type.Union([Type.String(), Type.Null()], {
    description: 'where the next page starts; poll with it later for declarations stored since',
  }),
  hasMore: Type.Boolean(),
});

export const AggregatesQuery = Type.Object(
  { agreement: AgreementId, from: Type.Optional(Day), to: Type.Optional(Day) },
  { additionalProperties: false },
);

export const AggregatesResponse = Type.Object({
  agreement: AgreementId,
  minTraders: Type.Integer({ description: 'cells of fewer traders are suppressed' }),
  cells: Type.Array(
    Type.Object({
      month: Type.String(),
      chapter: Type.String(),
      currency: Type.String(),
      declarations: Type.Union([Type.Integer(), Type.Null()]),
      value: Type.Union([Type.Number(), Type.Null()]),
      netMass: Type.Union([Type.Number(), Type.Null()]),
      suppressed: Type.Boolean(),
    }),
  ),
});

export const AccessLogQuery = Type.Object(
  {
    agency: Type.Optional(AgencyCode),
    before: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 9_007_199_254_740_991,
        description: 'nextBefore of the previous page',
      }),
    ),
    limit: Limit(500, 100),
  },
  { additionalProperties: false },
);

export const Delivery = Type.Object({
  id: Type.Integer(),
  agreementId: Type.Integer(),
  agency: Type.String(),
  channel: Type.String({ description: 'feed or webhook' }),
  fields: Type.Array(Type.String()),
  declarations: Type.Integer(),
  actor: Type.String(),
  deliveredAt: Type.String({ format: 'date-time' }),
});

export const AccessLogResponse = Type.Object({
  items: Type.Array(Delivery),
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});
export type AccessLogResponse = Static<typeof AccessLogResponse>;

export const RecipientsQuery = Type.Object(
  {
    before: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,15}-[0-9]{1,15}$',
        description: 'the next of the previous page',
        errorMessage: 'must be the next of the previous page',
      }),
    ),
    limit: Limit(500, 100),
  },
  { additionalProperties: false },
);

export const Recipient = Type.Object({
  declarationId: Type.Integer(),
  functionalReference: Type.String(),
  agency: Type.String(),
  agencyName: Type.String(),
  agreementId: Type.Integer(),
  purpose: Type.String(),
  channel: Type.String(),
  deliveredAt: Type.String({ format: 'date-time' }),
});

export const RecipientsResponse = Type.Object({
  items: Type.Array(Recipient),
  next: Type.Union([Type.String(), Type.Null()]),
});
export type RecipientsResponse = Static<typeof RecipientsResponse>;
export type FeedResponse = Static<typeof FeedResponse>;

export const AgreementInForce = Type.Object({
  id: Type.Integer(),
  purpose: Type.String(),
  fields: Type.Array(Type.String(), { description: 'the granted field paths' }),
  level: Type.String({ description: 'identified, pseudonymised or aggregated' }),
  delivery: Type.String({ description: 'feed, webhook or both' }),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.String({ format: 'date' }),
});

export const AgreementsInForceResponse = Type.Object({
  agency: Type.Union([Type.String(), Type.Null()], {
    description: "the caller's agency; null when it has none",
  }),
  items: Type.Array(AgreementInForce),
});
export type AgreementsInForceResponse = Static<typeof AgreementsInForceResponse>;
export type AggregatesResponse = Static<typeof AggregatesResponse>;
