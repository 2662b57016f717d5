/**
 * The exchange over HTTP: this administration's public key (public: partners fetch it), partner
 * registration with four-eyes and the outbox and inbox for administrators, and the inbox that
 * partner administrations post to, whose authentication is the message's signature.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { Role } from '../governance/roles.ts';
import { actorOf } from '../http/auth.ts';
import { sendError } from '../http/errors.ts';
import { ErrorBody } from '../declarations/schema.ts';
import type { EndpointPolicy } from './endpoint.ts';
import type { ExchangeIdentity } from './identity.ts';
import { listInbox, receiveMessage, type ReceiptMatching } from './inbox.ts';
import { parseCursor } from './list-cursor.ts';
import { listOutbox, requeueFailed } from './outbox.ts';
import { confirmPartner, loadPartners, loadProposals, proposePartner } from './partners.ts';
import {
  Acknowledgement,
  EnvelopeBody,
  InboxQuery,
  OutboxMessage,
  OutboxQuery,
  Page,
  Partner,
  PartnerTermsBody,
  Proposal,
  ReceivedMessage,
} from './schema.ts';

export interface ExchangeRouteOptions {
  db: Database;
  identity: ExchangeIdentity;
  clockSkewSeconds: number;
  policy: EndpointPolicy;
  /** Called after a partner's terms change, so that lodging sees them at once. */
  partnersChanged(): Promise<void>;
  /** Matching a received export to an import already lodged, and what follows a match (ADR 0024). */
  matching?: ReceiptMatching;
}

const administrators = [Role.Administrator];

/** A page of a list: its messages without their cursors, and the last one's when the page is full. */
function pageOf<T extends { cursor: string }>(rows: T[], limit: number) {
  const last = rows.at(-1);
  return {
    messages: rows.map(({ cursor: _, ...m }) => m),
    nextCursor: rows.length === limit && last ? last.cursor : null,
  };
}

export async function exchangeRoutes(app: FastifyInstance, opts: ExchangeRouteOptions) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, identity } = opts;

  r.get(
    '/api/exchange/public-key',
    {
      config: { public: true },
      schema: {
        tags: ['exchange'],
        summary: "This administration's exchange identity and Ed25519 public key",
        description:
          'Public, without authentication: partner administrations fetch it to register this one and to verify the messages it signs.',
        response: {
          200: Type.Object({
            administration: Type.Union([Type.String(), Type.Null()]),
            algorithm: Type.Literal('EdDSA'),
            keyId: Type.String(),
            publicKey: Type.String({ description: 'SPKI PEM' }),
          }),
        },
      },
    },
    async () => {
      const signer = await identity.signer();
      return {
        administration: identity.administration ?? null,
        algorithm: 'EdDSA' as const,
        keyId: signer.keyId,
        publicKey: signer.publicKeyPem,
      };
    },
  );

  r.get(
    '/api/exchange/partners',
    {
      config: { roles: administrators },
      schema: {
        tags: ['exchange'],
        summary: 'Partner administrations in force, and registrations and changes waiting for confirmation',
        response: {
          200: Type.Object({
            partners: Type.Array(Partner),
            proposals: Type.Array(Proposal),
            allowed: Type.Array(Type.String()),
          }),
        },
      },
    },
    async (request) => {
      const me = actorOf(request).username;
      return {
        partners: await loadPartners(db),
        // the digest only to its proposer, who passes it on (four-eyes, ADR 0023)
        proposals: (await loadProposals(db)).map((p) => ({
          ...p,
          digest: p.proposedBy === me ? p.digest : null,
          status: 'pending' as const,
        })),
        allowed: ['propose', 'confirm'],
      };
    },
  );

  r.post(
    '/api/exchange/partners',
    {
      config: { roles: administrators },
      schema: {
        tags: ['exchange'],
        summary:
          "Propose a partner's registration or a change of its terms (pending until a second administrator confirms; on the ledger)",
        body: PartnerTermsBody,
        response: { 202: Proposal, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const { validTo = null, ...rest } = request.body;
      const result = await proposePartner(
        db,
        { ...rest, validTo },
        actorOf(request).username,
        identity.administration,
        opts.policy,
      );
      if (!result.ok) return sendError(reply, result.error);
      return reply.status(202).send({ ...result.value, status: 'pending' as const });
    },
  );

  r.post(
    '/api/exchange/partners/:code/confirm',
    {
      config: { roles: administrators },
      schema: {
        tags: ['exchange'],
        summary:
          "Confirm another administrator's proposal: the partner's terms are then in force (on the ledger)",
        description:
          "The confirming administrator is not the proposer, was not created by the proposer and existed before the proposal was made; `digest` is the one the proposer was given (by the proposal's response or GET /api/exchange/partners, which shows it to the proposer only) and passed on; the confirmation is refused 409 if the proposal is not the one with that digest, without telling the current one.",
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 12 }) }),
        body: Type.Object(
          {
            digest: Type.String({
              pattern: '^[0-9a-f]{64}$',
              description: "The proposal's digest as reviewed",
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Partner, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const result = await confirmPartner(
        db,
        request.params.code,
        actorOf(request).username,
        request.body.digest,
      );
      if (!result.ok) return sendError(reply, result.error);
      await opts.partnersChanged();
      return result.value;
    },
  );

  r.get(
    '/api/exchange/outbox',
    {
      config: { roles: administrators },
      schema: {
        tags: ['exchange'],
        summary: "Messages to partners, newest first, with each one's state, attempts and last error",
        description:
          'At most `limit` (100 unless given); with `state`, only the messages in that state; keyset pages: `before` is the `nextCursor` of the previous page (a cursor that is not one is a 400).',
        querystring: OutboxQuery,
        response: { 200: Page(OutboxMessage), 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const { limit = 100, state, before } = request.query;
      let after: { at: string; id: string } | undefined;
      if (before !== undefined) {
        const cursor = parseCursor(before);
        if (!cursor.ok) return sendError(reply, cursor.error);
        const [at = '', id = ''] = cursor.value;
        after = { at, id };
      }
      return pageOf(await listOutbox(db, limit, state, after), limit);
    },
  );

  r.post(
    '/api/exchange/outbox/:id/retry',
    {
      config: { roles: administrators },
      schema: {
        tags: ['exchange'],
        summary: 'Send a failed message again (on the ledger)',
        description:
          'A message is `failed` after CLEARWAY_EXCHANGE_MAX_ATTEMPTS attempts, or when the partner refused it for good (401, 403, 409, 422); once the cause is mended, an administrator puts it back to `pending` with a fresh count of attempts, to be sent at once. 404 when there is no such message, 409 when it is not `failed`.',
        params: Type.Object({ id: Type.String({ format: 'uuid', description: "The message's id" }) }),
        response: { 200: OutboxMessage, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const result = await requeueFailed(db, request.params.id, actorOf(request).username);
      if (!result.ok) return sendError(reply, result.error);
      return result.value;
    },
  );

  r.get(
    '/api/exchange/inbox',
    {
      config: { roles: administrators },
      schema: {
        tags: ['exchange'],
        summary: 'Messages received from partners, newest first',
        description:
          'At most `limit` (100 unless given); with `matchState`, only the messages in that match state; keyset pages: `before` is the `nextCursor` of the previous page (a cursor that is not one is a 400). `findingCount` counts the schema findings of each payload; `importDeclaration` names the import a message was matched to.',
        querystring: InboxQuery,
        response: { 200: Page(ReceivedMessage), 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const { limit = 100, matchState, before } = request.query;
      let after: { at: string; sender: string; id: string } | undefined;
      if (before !== undefined) {
        const cursor = parseCursor(before);
        if (!cursor.ok) return sendError(reply, cursor.error);
        const [at = '', sender = '', id = ''] = cursor.value;
        after = { at, sender, id };
      }
      return pageOf(await listInbox(db, limit, matchState, after), limit);
    },
  );

  r.post(
    '/api/exchange/inbox',
    {
      config: { signedByPartner: true },
      schema: {
        tags: ['exchange'],
        summary: 'Receive a signed message from a partner administration',
        description:
          'Called by partner administrations, not by signed-in users: the authentication is the signature, verified with the public key registered for the sender; until it verifies every refusal is the same 401 message_not_authenticated. An export declaration is application/xml, a readable DEC-DMS 2 message (else 422 unreadable_message); its schema findings are stored with it. A repeated message id gets the same acknowledgement and stores nothing new.',
        body: EnvelopeBody,
        response: { 200: Acknowledgement, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const result = await receiveMessage(db, request.body, {
        administration: identity.administration,
        clockSkewSeconds: opts.clockSkewSeconds,
        ...(opts.matching ? { matching: opts.matching } : {}),
      });
      if (!result.ok) return sendError(reply, result.error);
      return result.value;
    },
  );
}
