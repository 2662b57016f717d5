/** The shapes of the pushed deliveries' routes (routes.ts), also the web pages' types. */
import { Type } from 'typebox';

export const MessageId = Type.String({
  pattern: '^msg_[a-z2-7]{26}$',
  description: 'msg_ and 26 base32 characters',
});
export const AgreementId = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
export const State = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sending'),
  Type.Literal('delivered'),
  Type.Literal('failed'),
]);
export const Cursor = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z,msg_[a-z2-7]{26}$',
  description: 'the nextCursor of the previous page',
});

export const MessageSummary = Type.Object({
  id: Type.String(),
  agreementId: Type.Integer(),
  agency: Type.String(),
  declarationIds: Type.Array(Type.Integer()),
  fields: Type.Array(Type.String()),
  state: State,
  attempts: Type.Integer(),
  nextAttemptAt: Type.String({ format: 'date-time' }),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  replays: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const SecretBody = Type.Object({
  agreementId: Type.Integer(),
  secret: Type.String({ description: 'whsec_ and the base64 of the key: verify webhook-signature with it' }),
  rotatedAt: Type.String({ format: 'date-time' }),
});
