/**
 * The transactional outbox: an accepted export declaration bound for a partner becomes a message in
 * the transaction that stores it; the sender (sender.ts) delivers it. Each message's state:
 * `pending` (waiting for its next attempt), `sending` (an attempt under way, claimed until
 * `next_attempt_at`: a server killed mid-send leaves it to be claimed again then), `acknowledged`,
 * `failed` (refused for good by the partner, or not delivered in CLEARWAY_EXCHANGE_MAX_ATTEMPTS).
 */
import { randomUUID } from 'node:crypto';
import type { Database, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import type { Result } from '../shared/result.ts';
import { DeclarationType, type DeclarationInput } from '../declarations/model.ts';
import { MessageType } from './envelope.ts';
import { cursorSql } from './list-cursor.ts';
import { inForce, type Partner, type PartnerCache } from './partners.ts';
import { exportContentType, exportPayload } from './payload.ts';
import { noteQueued } from './sender-signal.ts';

/** The country of destination of a declaration (the header's destinationCountry), if it has one. */
export function destinationOf(d: DeclarationInput): string | undefined {
  return d.destinationCountry || undefined;
}

export interface OutboxMessage {
  id: string;
  receiver: string;
  type: string;
  declarationId: number | null;
  contentType: string;
  payload: Buffer;
  state: 'pending' | 'sending' | 'acknowledged' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  lastSentAt: string | null;
  acknowledgedAt: string | null;
}

/** The hook of lodging: called in the transaction that accepts a declaration. */
export interface ExportHook {
  accepted(tx: Sql, id: number, declaration: DeclarationInput, actor?: string): Promise<void>;
}

/** The partner an export bound for `destination` is sent to today: confirmed, in force, receiving exports. */
export function receivingExports(
  partners: readonly Partner[],
  destination: string | undefined,
  day: string,
): Partner | undefined {
  if (destination === undefined) return undefined;
  const partner = partners.find((p) => p.code === destination);
  return partner && partner.messageTypes.includes(MessageType.ExportDeclaration) && inForce(partner, day)
    ? partner
    : undefined;
}

/** Queues an export declaration for a partner: a `pending` message in the caller's transaction. */
export async function queueExport(
  tx: Sql,
  receiver: string,
  id: number,
  declaration: DeclarationInput,
): Promise<void> {
  await tx.query(
    `INSERT INTO exchange_outbox (id, receiver, type, declaration_id, content_type, payload, state)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending')`,
    [
      randomUUID(),
      receiver,
      MessageType.ExportDeclaration,
      id,
      exportContentType,
      exportPayload(declaration),
    ],
  );
  noteQueued();
}

/**
 * Queues an accepted export for the partner it is bound for, when that partner is confirmed, in
 * force and receives export declarations. Reads the cached partner list: no query when none match.
 */
export function exportHook(partners: PartnerCache, today: () => string): ExportHook {
  return {
    async accepted(tx, id, declaration) {
      if (declaration.type !== DeclarationType.Export) return;
      const partner = receivingExports(await partners.current(tx), destinationOf(declaration), today());
      if (partner) await queueExport(tx, partner.code, id, declaration);
    },
  };
}

const outboxColumns = `id, receiver, type, declaration_id AS "declarationId", content_type AS "contentType",
  payload, state, attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError",
  last_sent_at AS "lastSentAt", acknowledged_at AS "acknowledgedAt"`;

/**
 * Claims up to `limit` messages whose attempt is due: each is marked `sending`, its attempt counted
 * and its next attempt set `leaseSeconds` ahead, so a server killed mid-send leaves it to be
 * claimed again then (and other servers skip it meanwhile).
 */
export async function claimDue(tx: Sql, limit: number, leaseSeconds: number): Promise<OutboxMessage[]> {
  const rows = await tx.query<OutboxMessage>(
    `UPDATE exchange_outbox o SET state = 'sending', attempts = o.attempts + 1, last_sent_at = now(),
       next_attempt_at = now() + make_interval(secs => $2)
     FROM (SELECT id FROM exchange_outbox WHERE state IN ('pending', 'sending') AND next_attempt_at <= now()
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
     WHERE o.id = due.id
     RETURNING ${outboxColumns.replace(/(^|,\s*)(\w+)/g, '$1o.$2')}`,
    [limit, leaseSeconds],
  );
  // bytea arrives as a Uint8Array from PGlite, a Buffer from node-postgres
  return rows.map((m) => ({ ...m, payload: Buffer.from(m.payload) }));
}

/**
 * Records the acknowledgement of the attempt the caller claimed (state `sending`, `attempts`):
 * whether it was still that attempt's. A claim run out and taken again, or already acknowledged,
 * records nothing, so the ledger gets one `sent` entry per message.
 */
export async function markAcknowledged(
  sql: Sql,
  id: string,
  attempt: number,
  acknowledgement: unknown,
): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE exchange_outbox SET state = 'acknowledged', acknowledged_at = now(), last_error = NULL,
       acknowledgement = $3::jsonb WHERE id = $1 AND state = 'sending' AND attempts = $2 RETURNING id`,
    [id, attempt, JSON.stringify(acknowledgement)],
  );
  return rows.length > 0;
}

/**
 * A failed attempt: pending again, next attempt after `delaySeconds`; or `failed` for good when
 * `permanent` or when the attempt was the last allowed (`maxAttempts`).
 */
export async function markFailed(
  sql: Sql,
  id: string,
  error: string,
  delaySeconds: number,
  options: { permanent?: boolean; maxAttempts?: number } = {},
): Promise<void> {
  await sql.query(
    `UPDATE exchange_outbox SET last_error = $2,
       state = CASE WHEN $4::boolean OR attempts >= $5::int THEN 'failed' ELSE 'pending' END,
       next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1 AND state = 'sending'`,
    [id, error.slice(0, 1000), delaySeconds, options.permanent ?? false, options.maxAttempts ?? 2 ** 31 - 1],
  );
}

/**
 * An administrator's retry of a `failed` message: pending again at once, with a fresh count of
 * attempts, on the ledger in the same transaction. Not found, or in another state, is an error.
 */
export async function requeueFailed(
  db: Database,
  id: string,
  actor: string,
): Promise<Result<Omit<OutboxMessage, 'payload'>, RequeueError>> {
  const result = await db.transaction(
    async (tx): Promise<Result<Omit<OutboxMessage, 'payload'>, RequeueError>> => {
      const [row] = await tx.query<Omit<OutboxMessage, 'payload'> & { failedAttempts: number }>(
        `UPDATE exchange_outbox o SET state = 'pending', attempts = 0, next_attempt_at = now()
       FROM (SELECT id, attempts FROM exchange_outbox WHERE id = $1::uuid AND state = 'failed' FOR UPDATE) f
       WHERE o.id = f.id
       RETURNING ${outboxColumns.replace(/payload,\s*/, '').replace(/(^|,\s*)(\w+)/g, '$1o.$2')},
         f.attempts AS "failedAttempts"`,
        [id],
      );
      if (!row) {
        const [other] = await tx.query<{ state: string }>(
          'SELECT state FROM exchange_outbox WHERE id = $1::uuid',
          [id],
        );
        return other
          ? err(
              'outbox_message_not_failed',
              `message ${id} is ${other.state}: only a failed message is sent again`,
            )
          : err('outbox_message_not_found', `no message ${id} in the outbox`);
      }
      const { failedAttempts, ...message } = row;
      await recordChange(tx, {
        actor,
        action: 'exchange_message.requeued',
        subjectKind: SubjectKind.ExchangeMessage,
        subjectId: id,
        data: {
          receiver: message.receiver,
          type: message.type,
          failedAttempts,
          lastError: message.lastError,
        },
      });
      return { ok: true, value: message };
    },
  );
  // the sender is woken once the message is committed, so its claim finds it
  if (result.ok) noteQueued();
  return result;
}

export type RequeueError = {
  code: 'outbox_message_not_found' | 'outbox_message_not_failed';
  message: string;
};

const err = (code: RequeueError['code'], message: string) => ({
  ok: false as const,
  error: { code, message },
});

/**
 * Holds a message while the agreement is not in force: pending again after `delaySeconds`, the
 * attempt not counted.
 */
export async function markHeld(sql: Sql, id: string, reason: string, delaySeconds: number): Promise<void> {
  await sql.query(
    `UPDATE exchange_outbox SET state = 'pending', last_error = $2, attempts = greatest(attempts - 1, 0),
       next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1 AND state = 'sending'`,
    [id, reason.slice(0, 1000), delaySeconds],
  );
}

/**
 * The latest messages, newest first, for administrators; only those in `state` when given, and
 * only those before `before` (a cursor's creation time and id: list-cursor.ts). Each with its cursor.
 */
export function listOutbox(
  sql: Sql,
  limit: number,
  state?: OutboxMessage['state'],
  before?: { at: string; id: string },
): Promise<(Omit<OutboxMessage, 'payload'> & { cursor: string })[]> {
  return sql.query(
    `SELECT ${outboxColumns.replace(/payload,\s*/, '')}, ${cursorSql('created_at', ['id'])} AS cursor
     FROM exchange_outbox
     WHERE ($2::text IS NULL OR state = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $1`,
    [limit, state ?? null, before?.at ?? null, before?.id ?? null],
  );
}
