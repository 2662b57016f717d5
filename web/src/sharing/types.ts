/**
 * The sharing API's shapes, taken from the server's TypeBox schemas (src/sharing/agreement-schema.ts,
 * src/sharing/feed-schema.ts): one definition; only the types cross over, nothing of the server's code.
 */
import type { Static } from 'typebox';
import type {
  Agency as AgencySchema,
  Agreement as AgreementSchema,
  AgreementBody,
} from '../../../src/sharing/agreement-schema.ts';
import type {
  AccessLogResponse,
  AggregatesResponse,
  AgreementsInForceResponse,
  FeedResponse,
  RecipientsResponse,
} from '../../../src/sharing/feed-schema.ts';

export type Agency = Static<typeof AgencySchema>;
export type Agreement = Static<typeof AgreementSchema>;
export type AgreementTerms = Static<typeof AgreementBody>;

export interface Agencies {
  agencies: Agency[];
  allowed: string[];
}

/** GET /api/catalog: the data dictionary. */
export interface CatalogField {
  path: string;
  name: string;
  wcoId: string;
  type: string;
}

export const decisions = ['approve', 'reject', 'suspend', 'resume', 'revoke'] as const;
export type Decision = (typeof decisions)[number];

/** The decisions that need a reason. */
export const needsReason: ReadonlySet<string> = new Set(['reject', 'suspend', 'revoke']);

/** Codes typed as "01, 0201" (commas or spaces), once each. */
export const codes = (text: string) => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

export type AgreementsInForce = AgreementsInForceResponse;
export type AgreementInForce = AgreementsInForceResponse['items'][number];
export type FeedPage = FeedResponse;
export type SharedDeclaration = FeedResponse['items'][number] & Record<string, unknown>;
export type Aggregates = AggregatesResponse;
export type AccessLog = AccessLogResponse;
export type Delivery = AccessLogResponse['items'][number];
export type Recipients = RecipientsResponse;
export type Recipient = RecipientsResponse['items'][number];
