/**
 * The sharing API's shapes, taken from the server's TypeBox schemas (src/sharing/feed-schema.ts):
 * only the types cross over, nothing of the server's code.
 */
import type {
  AccessLogResponse,
  AggregatesResponse,
  AgreementsInForceResponse,
  FeedResponse,
  RecipientsResponse,
} from '../../../src/sharing/feed-schema.ts';

export type AgreementsInForce = AgreementsInForceResponse;
export type AgreementInForce = AgreementsInForceResponse['items'][number];
export type FeedPage = FeedResponse;
export type SharedDeclaration = FeedResponse['items'][number] & Record<string, unknown>;
export type Aggregates = AggregatesResponse;
export type AccessLog = AccessLogResponse;
export type Delivery = AccessLogResponse['items'][number];
export type Recipients = RecipientsResponse;
export type Recipient = RecipientsResponse['items'][number];
