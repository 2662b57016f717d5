/** The exchange's shapes at the HTTP edge (TypeBox: validation, types and OpenAPI from one schema). */
import { Type, type Static } from 'typebox';
import { inboxCursorPattern, outboxCursorPattern } from './list-cursor.ts';

const Day = (description: string) =>
  Type.String({ maxLength: 10, description: `${description} (YYYY-MM-DD)` });

export const PartnerTermsBody = Type.Object(
  {
    code: Type.String({
      maxLength: 12,
      description: "The partner's administration code (its CLEARWAY_ADMINISTRATION)",
    }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    endpoint: Type.String({
      maxLength: 500,
      description: "The partner's inbox URL: https://.../api/exchange/inbox",
    }),
    publicKey: Type.String({
      maxLength: 1000,
      description:
        "The partner's Ed25519 exchange public key (SPKI PEM), from its GET /api/exchange/public-key",
    }),
    messageTypes: Type.Array(Type.String({ maxLength: 40 }), {
      minItems: 1,
      maxItems: 10,
      description:
        'What is exchanged: export_declarations (export declarations whose destination is the partner)',
    }),
    agreementRef: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'The agreement or MoU the exchange rests on',
    }),
    validFrom: Day('First day the agreement is in force'),
    validTo: Type.Optional(Type.Union([Day('Last day the agreement is in force'), Type.Null()])),
  },
  { additionalProperties: false },
);
export type PartnerTermsBody = Static<typeof PartnerTermsBody>;

const Terms = Type.Object({
  code: Type.String(),
  name: Type.String(),
  endpoint: Type.String(),
  publicKey: Type.String(),
  messageTypes: Type.Array(Type.String()),
  agreementRef: Type.String(),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
});

export const Partner = Type.Intersect([
  Terms,
  Type.Object({ proposedBy: Type.String(), confirmedBy: Type.String(), confirmedAt: Type.String() }),
]);

export const Proposal = Type.Object({
  terms: Terms,
  proposedBy: Type.String(),
  proposedAt: Type.String(),
  digest: Type.Union([Type.String(), Type.Null()], {
    description:
      'Names this version of the proposal; a confirmation carries it and is refused (409) if the proposal changed. Shown to the proposer only (null to other administrators): the confirmer reviews the terms and enters the digest the proposer gives them',
  }),
  status: Type.Literal('pending', { description: 'In force only once a second administrator confirms it' }),
});

export const EnvelopeBody = Type.Object(
  {
    id: Type.String({ format: 'uuid', maxLength: 36, description: 'The message id, unique per sender' }),
    sender: Type.String({ maxLength: 12, description: "The sender's administration code" }),
    receiver: Type.String({ maxLength: 12, description: "The receiver's administration code" }),
    type: Type.String({ maxLength: 40, description: 'The message type, e.g. export_declarations' }),
    timestamp: Type.String({
      format: 'date-time',
      maxLength: 40,
      description: 'When the message was signed',
    }),
    contentType: Type.String({ maxLength: 100, description: "The payload's media type" }),
    payload: Type.String({
      maxLength: 4 * 1024 * 1024,
      pattern: '^[A-Za-z0-9+/]*={0,2}$',
      description: 'The payload bytes, base64',
    }),
    signature: Type.String({
      maxLength: 4000,
      description:
        'Detached JWS (compact, empty payload part) with alg EdDSA over the payload bytes (ADR 0023)',
    }),
  },
  { additionalProperties: false },
);

export const Acknowledgement = Type.Object({
  messageId: Type.String(),
  sender: Type.String(),
  receiver: Type.String(),
  receivedAt: Type.String(),
  status: Type.Literal('received'),
});

export const OutboxState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sending'),
  Type.Literal('acknowledged'),
  Type.Literal('failed'),
]);

export const OutboxMessage = Type.Object({
  id: Type.String(),
  receiver: Type.String(),
  type: Type.String(),
  declarationId: Type.Union([Type.Integer(), Type.Null()]),
  contentType: Type.String(),
  state: OutboxState,
  attempts: Type.Integer({ description: 'Attempts made, failed ones included' }),
  nextAttemptAt: Type.String(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastSentAt: Type.Union([Type.String(), Type.Null()]),
  acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
});

export const ReceivedMessage = Type.Object({
  sender: Type.String(),
  id: Type.String(),
  type: Type.String(),
  sentAt: Type.String(),
  receivedAt: Type.String(),
  contentType: Type.String(),
  payloadSha256: Type.String(),
  matchState: Type.String({ description: 'unmatched until matched to an import declaration' }),
  findingCount: Type.Integer({ description: "How many schema findings the message's payload had" }),
  importDeclaration: Type.Union(
    [
      Type.Object({
        id: Type.Integer(),
        reference: Type.Union([Type.String(), Type.Null()], {
          description: 'Its functional reference; null once the declaration is archived',
        }),
      }),
      Type.Null(),
    ],
    { description: 'The import declaration the message was matched to; null while unmatched' },
  ),
});

const limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 }));

const before = (pattern: string) =>
  Type.Optional(
    Type.String({
      pattern,
      maxLength: 100,
      description: 'Cursor: the nextCursor of the previous page (with the same filter)',
      errorMessage: 'must be the nextCursor of a previous page of this list',
    }),
  );

export const OutboxQuery = Type.Object(
  { limit, state: Type.Optional(OutboxState), before: before(outboxCursorPattern) },
  { additionalProperties: false },
);

/** A page of a list, newest first; `nextCursor` null on the last page. */
export const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({
    messages: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Give as `before` for the next page; null: no more',
    }),
  });

export const InboxQuery = Type.Object(
  {
    limit,
    before: before(inboxCursorPattern),
    matchState: Type.Optional(
      Type.String({
        pattern: '^[a-z_]{1,30}$',
        description: 'Only messages in this match state (e.g. unmatched)',
      }),
    ),
  },
  { additionalProperties: false },
);
