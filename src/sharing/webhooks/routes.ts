/**
 * Pushed deliveries over HTTP: an agency's webhook messages (and every agency's for
 * administrators, supervisors and auditors), one message with its exact body, replays by the
 * agency, and the agreement's signing secret, read and rotated by the agency (on the ledger).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.ts';
import { ErrorBody } from '../../declarations/schema.ts';
import { SubjectKind } from '../../governance/ledger/entry.ts';
import { recordChange } from '../../governance/ledger/record.ts';
import { Role, type Actor } from '../../governance/roles.ts';
import { actorOf } from '../../http/auth.ts';
import { HttpError } from '../../http/errors.ts';
import { findMessage, listMessages, replayMessages } from './messages.ts';
import { AgreementId, Cursor, MessageId, MessageSummary, SecretBody, State } from './schema.ts';
import { newSecret } from './signature.ts';
import { webhookSignal } from './signal.ts';

const readers = [Role.PartnerAgency, Role.Administrator, Role.Supervisor, Role.Auditor];
const replayers = [Role.PartnerAgency, Role.Administrator];

/**
 * The agency whose messages the caller sees: its own for an agency user (an account of no agency
 * sees none: '' is no agency's code), any (null) for officials.
 */
function agencyScope(actor: Actor): string | null {
  return actor.role === Role.PartnerAgency ? (actor.partyId ?? '') : null;
}

/** The agreement, when the caller's agency holds it (an agency user) or for an administrator. */
async function webhookAgreement(db: Database, id: number, actor: Actor) {
  const agency = agencyScope(actor);
  const [row] = await db.query<{ id: number; agency: string; delivery: string; status: string }>(
    'SELECT id, agency, delivery, status FROM sharing_agreements WHERE id = $1 AND ($2::text IS NULL OR agency = $2)',
    [id, agency],
  );
  if (!row) throw new HttpError('not_found', `no agreement ${id} of yours`);
  if (row.delivery === 'feed')
    throw new HttpError(
      'action_not_allowed',
      `agreement ${id} is delivered by the feed only, not by webhook`,
    );
  return row;
}

export async function webhookRoutes(app: FastifyInstance, opts: { db: Database }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  r.get(
    '/api/sharing/webhooks/messages',
    {
      config: { roles: readers },
      schema: {
        tags: ['sharing'],
        summary: 'Pushed deliveries: webhook messages, newest first',
        description:
          "A partner agency sees its own agency's messages; administrators, supervisors and auditors every agency's, or one's with `agency`. Keyset pages: `before` is the previous page's `nextCursor`.",
        querystring: Type.Object(
          {
            agreement: Type.Optional(AgreementId),
            agency: Type.Optional(Type.String({ pattern: '^[A-Z0-9][A-Z0-9_-]{1,19}$' })),
            state: Type.Optional(State),
            before: Type.Optional(Cursor),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            messages: Type.Array(MessageSummary),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          400: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const own = agencyScope(actorOf(request));
      if (own && q.agency && q.agency !== own)
        throw new HttpError('forbidden', `you see the messages of agency ${own} only`);
      let before: { createdAt: string; id: string } | undefined;
      if (q.before) {
        const [createdAt = '', id = ''] = q.before.split(',');
        if (Number.isNaN(Date.parse(createdAt)))
          throw new HttpError('invalid_request', `before is not a cursor: ${q.before}`);
        before = { createdAt: new Date(createdAt).toISOString(), id };
      }
      const agency = own ?? q.agency;
      if (agency === '') return { messages: [], nextCursor: null };
      const page = await listMessages(db, {
        ...(agency ? { agency } : {}),
        ...(q.agreement ? { agreementId: q.agreement } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(before ? { before } : {}),
        limit: q.limit ?? 50,
      });
      return {
        messages: page.messages.map((m) => ({
          ...m,
          nextAttemptAt: new Date(m.nextAttemptAt).toISOString(),
          createdAt: new Date(m.createdAt).toISOString(),
          deliveredAt: m.deliveredAt ? new Date(m.deliveredAt).toISOString() : null,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  r.get(
    '/api/sharing/webhooks/messages/:id',
    {
      config: { roles: [Role.PartnerAgency, Role.Administrator] },
      schema: {
        tags: ['sharing'],
        summary: 'One webhook message with the exact body that is signed and sent',
        params: Type.Object({ id: MessageId }),
        response: {
          200: Type.Intersect([MessageSummary, Type.Object({ body: Type.String() })]),
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const own = agencyScope(actorOf(request));
      const m = await findMessage(db, request.params.id);
      if (!m || (own !== null && m.agency !== own))
        throw new HttpError('not_found', `no message ${request.params.id} of yours`);
      return {
        ...m,
        nextAttemptAt: new Date(m.nextAttemptAt).toISOString(),
        createdAt: new Date(m.createdAt).toISOString(),
        deliveredAt: m.deliveredAt ? new Date(m.deliveredAt).toISOString() : null,
      };
    },
  );

  r.post(
    '/api/sharing/webhooks/messages/:id/replay',
    {
      config: { roles: replayers },
      schema: {
        tags: ['sharing'],
        summary: 'Send a delivered or failed message again, with the same id',
        params: Type.Object({ id: MessageId }),
        response: {
          200: Type.Object({ replayed: Type.Array(Type.String()) }),
          404: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const own = agencyScope(actor);
      const result = await db.transaction((tx) =>
        replayMessages(tx, { id: request.params.id }, own, actor.username),
      );
      if (!result.ok)
        throw new HttpError(
          result.error.code === 'not_found' ? 'not_found' : 'action_not_allowed',
          result.error.message,
        );
      webhookSignal.wake();
      return result.value;
    },
  );

  r.post(
    '/api/sharing/webhooks/replay',
    {
      config: { roles: replayers },
      schema: {
        tags: ['sharing'],
        summary: 'Send again every delivered or failed message of an agreement created since a moment',
        body: Type.Object(
          {
            agreement: AgreementId,
            since: Type.String({ format: 'date-time', maxLength: 40, description: 'ISO 8601 moment' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ replayed: Type.Array(Type.String()) }),
          404: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { agreement, since } = request.body;
      if (Number.isNaN(Date.parse(since)))
        throw new HttpError('invalid_request', `since is not a moment: ${since}`);
      const held = await webhookAgreement(db, agreement, actor);
      const result = await db.transaction((tx) =>
        replayMessages(
          tx,
          { agreementId: held.id, since: new Date(since).toISOString() },
          agencyScope(actor),
          actor.username,
        ),
      );
      if (!result.ok) throw new HttpError('not_found', result.error.message);
      webhookSignal.wake();
      return result.value;
    },
  );

  r.get(
    '/api/sharing/agreements/:id/webhook-secret',
    {
      config: { roles: [Role.PartnerAgency] },
      schema: {
        tags: ['sharing'],
        summary:
          "The agreement's webhook signing secret, for its agency's receiver (created when first read)",
        params: Type.Object({ id: AgreementId }),
        response: { 200: SecretBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const agreement = await webhookAgreement(db, request.params.id, actor);
      return db.transaction(async (tx) => {
        await tx.query(
          'INSERT INTO sharing_webhooks (agreement_id, secret) VALUES ($1, $2) ON CONFLICT (agreement_id) DO NOTHING',
          [agreement.id, newSecret()],
        );
        const [row] = await tx.query<{ secret: string; rotatedAt: Date }>(
          'SELECT secret, rotated_at AS "rotatedAt" FROM sharing_webhooks WHERE agreement_id = $1',
          [agreement.id],
        );
        await recordChange(tx, {
          actor: actor.username,
          action: 'sharing_webhook.secret_read',
          subjectKind: SubjectKind.Agreement,
          subjectId: String(agreement.id),
          data: { agency: agreement.agency },
        });
        return {
          agreementId: Number(agreement.id),
          secret: row?.secret ?? '',
          rotatedAt: new Date(row?.rotatedAt ?? 0).toISOString(),
        };
      });
    },
  );

  r.post(
    '/api/sharing/agreements/:id/webhook-secret/rotate',
    {
      config: { roles: [Role.PartnerAgency] },
      schema: {
        tags: ['sharing'],
        summary: 'A new signing secret; messages from now on are signed with it',
        params: Type.Object({ id: AgreementId }),
        response: { 200: SecretBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const agreement = await webhookAgreement(db, request.params.id, actor);
      const secret = newSecret();
      return db.transaction(async (tx) => {
        const [row] = await tx.query<{ rotatedAt: Date }>(
          `INSERT INTO sharing_webhooks (agreement_id, secret) VALUES ($1, $2)
           ON CONFLICT (agreement_id) DO UPDATE SET secret = EXCLUDED.secret, rotated_at = now()
           RETURNING rotated_at AS "rotatedAt"`,
          [agreement.id, secret],
        );
        await recordChange(tx, {
          actor: actor.username,
          action: 'sharing_webhook.secret_rotated',
          subjectKind: SubjectKind.Agreement,
          subjectId: String(agreement.id),
          data: { agency: agreement.agency },
        });
        return {
          agreementId: Number(agreement.id),
          secret,
          rotatedAt: new Date(row?.rotatedAt ?? 0).toISOString(),
        };
      });
    },
  );
}
