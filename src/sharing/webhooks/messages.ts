/**
 * The outbox of pushed deliveries: a message holds the exact body signed and sent, the
 * declarations it carries and the fields granted; the sender claims due ones with a lease (a killed
 * sender's message is claimed again once the lease ends), marks each delivered or waiting for its
 * next attempt, or failed. An agency replays its own messages: a delivered or failed message is
 * sent again with the same id (receivers recognise a message they already have by its id).
 */
import { randomBytes } from 'node:crypto';
import type { Sql } from '../../db/database.ts';
import { SubjectKind } from '../../governance/ledger/entry.ts';
import { recordChange } from '../../governance/ledger/record.ts';
import { err, ok, type Result } from '../../shared/result.ts';

export const MessageState = {
  Pending: 'pending',
  Sending: 'sending',
  Delivered: 'delivered',
  Failed: 'failed',
} as const;
export type MessageState = (typeof MessageState)[keyof typeof MessageState];

export interface WebhookMessage {
  id: string;
  agreementId: number;
  agency: string;
  declarationIds: number[];
  fields: string[];
  body: string;
  state: MessageState;
  attempts: number;
  nextAttemptAt: string;
  lastStatus: number | null;
  lastError: string | null;
  replays: number;
  createdAt: string;
  deliveredAt: string | null;
}

const columns = `id, agreement_id AS "agreementId", agency, declaration_ids AS "declarationIds", fields, body,
  state, attempts, next_attempt_at AS "nextAttemptAt", last_status AS "lastStatus", last_error AS "lastError",
  replays, created_at AS "createdAt", delivered_at AS "deliveredAt"`;

const base32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** A message id: `msg_` and 26 base32 characters of 128 random bits. */
export function newMessageId(): string {
  const bytes = randomBytes(17);
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && text.length < 26) {
      text += base32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `msg_${text}`;
}

const toMessage = (row: WebhookMessage): WebhookMessage => ({
  ...row,
  agreementId: Number(row.agreementId),
  declarationIds: row.declarationIds.map(Number),
});

/** Queues a message in the caller's transaction. */
export async function queueMessage(
  tx: Sql,
  m: {
    id: string;
    agreementId: number;
    agency: string;
    declarationIds: number[];
    fields: string[];
    body: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO sharing_webhook_messages (id, agreement_id, agency, declaration_ids, fields, body, state)
     VALUES ($1, $2, $3, $4::int8[], $5::text[], $6, 'pending')`,
    [m.id, m.agreementId, m.agency, m.declarationIds, m.fields, m.body],
  );
}

/** Claims up to `limit` due messages for `leaseSeconds`, counting the attempt. */
export async function claimDue(tx: Sql, limit: number, leaseSeconds: number): Promise<WebhookMessage[]> {
  const rows = await tx.query<WebhookMessage>(
    `UPDATE sharing_webhook_messages m SET state = 'sending', attempts = m.attempts + 1,
       next_attempt_at = now() + make_interval(secs => $2)
     FROM (SELECT id FROM sharing_webhook_messages
           WHERE state IN ('pending', 'sending') AND next_attempt_at <= now()
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
     WHERE m.id = due.id
     RETURNING ${columns.replace(/(^|,\s*)(\w+)( AS|,|$)/g, '$1m.$2$3')}`,
    [limit, leaseSeconds],
  );
  return rows.map(toMessage);
}

/** Marks a claimed message delivered; false when it was no longer this claim's (another took it). */
export async function markDelivered(tx: Sql, id: string, attempts: number, status: number): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE sharing_webhook_messages SET state = 'delivered', delivered_at = now(), last_status = $3,
       last_error = NULL
     WHERE id = $1 AND state = 'sending' AND attempts = $2 RETURNING id`,
    [id, attempts, status],
  );
  return rows.length > 0;
}

/** A failed attempt: the message waits `delaySeconds`, or is `failed` when permanent or out of attempts. */
export async function markAttemptFailed(
  sql: Sql,
  id: string,
  failure: {
    error: string;
    status: number | null;
    delaySeconds: number;
    permanent: boolean;
    maxAttempts: number;
  },
): Promise<void> {
  await sql.query(
    `UPDATE sharing_webhook_messages SET last_error = $2, last_status = $3,
       state = CASE WHEN $5::boolean OR attempts >= $6::int THEN 'failed' ELSE 'pending' END,
       next_attempt_at = now() + make_interval(secs => $4)
     WHERE id = $1 AND state = 'sending'`,
    [
      id,
      failure.error.slice(0, 1000),
      failure.status,
      failure.delaySeconds,
      failure.permanent,
      failure.maxAttempts,
    ],
  );
}

/** A message held back (its agreement suspended): not an attempt; looked at again after the delay. */
export async function markHeld(sql: Sql, id: string, reason: string, delaySeconds: number): Promise<void> {
  await sql.query(
    `UPDATE sharing_webhook_messages SET state = 'pending', attempts = greatest(attempts - 1, 0),
       last_error = $2, next_attempt_at = now() + make_interval(secs => $3)
     WHERE id = $1 AND state = 'sending'`,
    [id, reason, delaySeconds],
  );
}

export interface ListOptions {
  agency?: string;
  agreementId?: number;
  state?: MessageState;
  /** The previous page's last message: `createdAt,id`. */
  before?: { createdAt: string; id: string };
  limit: number;
}

/** Messages newest first, without their bodies, in keyset pages. */
export async function listMessages(
  sql: Sql,
  o: ListOptions,
): Promise<{ messages: Omit<WebhookMessage, 'body'>[]; nextCursor: string | null }> {
  const rows = await sql.query<WebhookMessage>(
    `SELECT ${columns.replace(/,\s*body/, '')} FROM sharing_webhook_messages
     WHERE ($1::text IS NULL OR agency = $1) AND ($2::int8 IS NULL OR agreement_id = $2)
       AND ($3::text IS NULL OR state = $3)
       AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::text))
     ORDER BY created_at DESC, id DESC LIMIT $6`,
    [
      o.agency ?? null,
      o.agreementId ?? null,
      o.state ?? null,
      o.before?.createdAt ?? null,
      o.before?.id ?? null,
      o.limit + 1,
    ],
  );
  const page = rows.slice(0, o.limit).map(toMessage);
  const last = page.at(-1);
  return {
    messages: page,
    nextCursor: rows.length > o.limit && last ? `${new Date(last.createdAt).toISOString()},${last.id}` : null,
  };
}

/** One message with its body, or null. */
export async function findMessage(sql: Sql, id: string): Promise<WebhookMessage | null> {
  const [row] = await sql.query<WebhookMessage>(
    `SELECT ${columns} FROM sharing_webhook_messages WHERE id = $1`,
    [id],
  );
  return row ? toMessage(row) : null;
}

export type ReplayError = { code: 'not_found'; message: string } | { code: 'conflict'; message: string };

/**
 * Sends messages again: one by id, or every message of an agreement created since a moment; only
 * delivered or failed ones (a pending one is on its way). Only the agency's own (`agency`, or any
 * for an administrator: null). On the ledger.
 */
export async function replayMessages(
  tx: Sql,
  which: { id: string } | { agreementId: number; since: string },
  agency: string | null,
  actor: string,
): Promise<Result<{ replayed: string[] }, ReplayError>> {
  const byId = 'id' in which;
  const rows = await tx.query<{ id: string; agreementId: number; agency: string; state: string }>(
    `SELECT id, agreement_id AS "agreementId", agency, state FROM sharing_webhook_messages
     WHERE ${byId ? 'id = $1' : 'agreement_id = $1 AND created_at >= $2::timestamptz'}
       AND ($${byId ? 2 : 3}::text IS NULL OR agency = $${byId ? 2 : 3})
     ORDER BY created_at, id FOR UPDATE`,
    byId ? [which.id, agency] : [which.agreementId, which.since, agency],
  );
  if (byId && rows.length === 0) return err({ code: 'not_found', message: `no message ${which.id}` });
  if (byId && rows[0] && !['delivered', 'failed'].includes(rows[0].state))
    return err({
      code: 'conflict',
      message: `message ${which.id} is ${rows[0].state}: it is being sent already`,
    });
  const replayed = rows.filter((r) => r.state === 'delivered' || r.state === 'failed').map((r) => r.id);
  if (replayed.length === 0) return ok({ replayed });
  await tx.query(
    `UPDATE sharing_webhook_messages SET state = 'pending', attempts = 0, next_attempt_at = now(),
       replays = replays + 1, last_error = NULL
     WHERE id = ANY($1::text[])`,
    [replayed],
  );
  await recordChange(tx, {
    actor,
    action: 'sharing_webhook.replayed',
    subjectKind: SubjectKind.Agreement,
    subjectId: String(rows[0]?.agreementId),
    data: { agency: rows[0]?.agency, messages: replayed.length, first: replayed[0], last: replayed.at(-1) },
  });
  return ok({ replayed });
}
