/**
 * API tokens: made with a lifetime (a default, and a maximum), listed without their secrets, and
 * revoked by their owner or an administrator. A token an administrator makes for another user is
 * impersonation: refused for officials, recorded as such for the others. Every change is on the ledger.
 */
import { randomBytes } from 'node:crypto';
import type { Database, Sql } from '../db/database.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { SubjectKind } from './ledger/entry.ts';
import { recordChange, withinTransaction } from './ledger/record.ts';
import { Role, type Actor } from './roles.ts';
import { secretHash } from './secret-hash.ts';
import { defaultTokenLifetime, type TokenLifetime } from './token-lifetime.ts';

export type { TokenLifetime } from './token-lifetime.ts';

/** Roles whose tokens only their holder may make: a token made by someone else would act as them. */
const ownTokensOnly: readonly Role[] = [
  Role.Officer,
  Role.Supervisor,
  Role.RiskAnalyst,
  Role.Auditor,
  Role.Administrator,
];

export interface TokenSummary {
  id: number;
  name: string;
  /** ISO 8601 times. */
  createdAt: string;
  /** Who made it: the user itself, an administrator (impersonation), or `system` (the command line). */
  createdBy: string | null;
  expiresAt: string;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

export type TokenError =
  | { code: 'impersonation_refused'; message: string }
  | { code: 'invalid_token_request'; message: string; field: string }
  | { code: 'token_not_found'; message: string }
  | { code: 'token_revoked'; message: string }
  | { code: 'user_disabled'; message: string };

export interface NewToken {
  /** The user the token acts as. */
  owner: Pick<Actor, 'userId' | 'username' | 'role'>;
  name: string;
  days?: number;
  /**
   * Who makes it: a signed-in user (the owner, or an administrator), or `system`, the operator at
   * the command line. A user named "system" is a user like any other.
   */
  by: Pick<Actor, 'username'> | 'system';
  /** The API token it is made with, if any: the new token ends when that one is revoked or expires. */
  parent?: number;
}

/** Makes a token (`cw_<random>`, only its hash kept); the token itself is returned once. */
export async function createApiToken(
  sql: Sql | Database,
  t: NewToken,
  lifetime: TokenLifetime = defaultTokenLifetime,
): Promise<Result<{ token: string; id: number; expiresAt: string }, TokenError>> {
  const days = t.days ?? lifetime.defaultDays;
  if (!Number.isInteger(days) || days < 1 || days > lifetime.maxDays)
    return err({
      code: 'invalid_token_request',
      field: 'days',
      message: `days: a token lives 1 to ${lifetime.maxDays} days (CLEARWAY_TOKEN_MAX_DAYS)`,
    });
  const by = t.by === 'system' ? 'system' : t.by.username;
  const impersonation = t.by !== 'system' && t.by.username !== t.owner.username;
  if (impersonation && ownTokensOnly.includes(t.owner.role))
    return err({
      code: 'impersonation_refused',
      message: `a token for ${t.owner.username} would act as an official (${t.owner.role}); only ${t.owner.username} may make one`,
    });
  const token = `cw_${randomBytes(32).toString('base64url')}`;
  return withinTransaction(sql, async (tx) => {
    // a disabled user gets no token: enabling it again must bring none back
    const [row] = await tx.query<{ id: number; expiresAt: string }>(
      `INSERT INTO api_tokens (user_id, name, token_hash, expires_at, created_by, parent_id)
       SELECT u.id, $2, $3, LEAST(now() + make_interval(days => $4::int), p.expires_at), $5, $6::bigint
       FROM users u LEFT JOIN api_tokens p ON p.id = $6::bigint
       WHERE u.id = $1 AND NOT u.disabled
       RETURNING id, expires_at AS "expiresAt"`,
      [t.owner.userId, t.name, secretHash(token), days, by, t.parent ?? null],
    );
    if (!row)
      return err({ code: 'user_disabled', message: `${t.owner.username} is disabled: it can have no token` });
    // the token itself is never recorded, only that one was made, for whom, by whom and for how long
    await recordChange(tx, {
      actor: by,
      action: impersonation ? 'user.impersonation_token_created' : 'user.token_created',
      subjectKind: SubjectKind.User,
      subjectId: t.owner.username,
      data: { tokenId: row.id, name: t.name, days },
    });
    return ok({ token, id: row.id, expiresAt: row.expiresAt });
  });
}

/** A user's tokens, newest first, without their secrets. */
export async function listApiTokens(sql: Sql, userId: number): Promise<TokenSummary[]> {
  return sql.query<TokenSummary>(
    `SELECT id, name, created_at AS "createdAt", created_by AS "createdBy", expires_at AS "expiresAt",
            revoked_at AS "revokedAt",
            CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN expires_at <= now() THEN 'expired'
                 ELSE 'active' END AS status
     FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`,
    [userId],
  );
}

/** Revokes one of a user's tokens: it stops working at once. */
export async function revokeApiToken(
  sql: Sql | Database,
  owner: Pick<Actor, 'userId' | 'username'>,
  tokenId: number,
  by: string,
): Promise<Result<TokenSummary, TokenError>> {
  return withinTransaction(sql, async (tx) => {
    // the token and every token made with it, or with one of those
    const revoked = await tx.query<{ id: number }>(
      `WITH RECURSIVE made AS (
         SELECT id FROM api_tokens WHERE id = $1 AND user_id = $2
         UNION ALL
         SELECT c.id FROM api_tokens c JOIN made ON c.parent_id = made.id
       )
       UPDATE api_tokens SET revoked_at = now()
       WHERE id IN (SELECT id FROM made) AND revoked_at IS NULL
       RETURNING id`,
      [tokenId, owner.userId],
    );
    const summary = (await listApiTokens(tx, owner.userId)).find((t) => t.id === tokenId);
    if (!summary)
      return err({ code: 'token_not_found', message: `${owner.username} has no token ${tokenId}` });
    if (!revoked.some((r) => Number(r.id) === tokenId))
      return err({ code: 'token_revoked', message: `token ${tokenId} was revoked already` });
    const alsoRevoked = revoked.map((r) => Number(r.id)).filter((id) => id !== tokenId);
    await recordChange(tx, {
      actor: by,
      action: 'user.token_revoked',
      subjectKind: SubjectKind.User,
      subjectId: owner.username,
      data: alsoRevoked.length
        ? { tokenId, name: summary.name, madeWithIt: alsoRevoked }
        : { tokenId, name: summary.name },
    });
    return ok(summary);
  });
}
