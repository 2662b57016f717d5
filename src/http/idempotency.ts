/**
 * Idempotency-Key support: the first response to a key is remembered per user, and a retry with
 * the same key and the same body gets that response again instead of doing the work twice.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { HttpError } from './errors.ts';

export interface Outcome {
  status: number;
  body: unknown;
}

const keyPattern = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Runs `work` once per Idempotency-Key (when the header is present) and sends its outcome. */
export async function idempotent(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: number,
  work: () => Promise<Outcome>,
) {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return send(reply, await work());
  if (typeof header !== 'string' || !keyPattern.test(header)) {
    throw new HttpError('invalid_request', 'Idempotency-Key must be 1-128 letters, digits or . _ : -');
  }
  const requestHash = createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body)}`)
    .digest('base64url');
  const replay = await lookup(db, userId, header, requestHash);
  if (replay) return send(reply.header('idempotent-replayed', 'true'), replay);
  const outcome = await work();
  if (outcome.status >= 500) return send(reply, outcome);
  const stored = await db.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, body) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (user_id, key) DO NOTHING RETURNING key`,
    [userId, header, requestHash, outcome.status, JSON.stringify(outcome.body)],
  );
  if (stored.length === 0) {
    const first = await lookup(db, userId, header, requestHash); // a concurrent retry won the race
    if (first) return send(reply.header('idempotent-replayed', 'true'), first);
  }
  return send(reply, outcome);
}

async function lookup(
  db: Database,
  userId: number,
  key: string,
  requestHash: string,
): Promise<Outcome | null> {
  const rows = await db.query<{ request_hash: string; status_code: number; body: unknown }>(
    'SELECT request_hash, status_code, body FROM idempotency_keys WHERE user_id = $1 AND key = $2',
    [userId, key],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.request_hash !== requestHash) {
    throw new HttpError(
      'idempotency_key_reused',
      `Idempotency-Key ${key} was already used for a different request`,
    );
  }
  return { status: row.status_code, body: row.body };
}

const send = (reply: FastifyReply, outcome: Outcome) => reply.status(outcome.status).send(outcome.body);
