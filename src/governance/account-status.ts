/**
 * Disabling and enabling a user (administrators only). Disabling ends the user's sessions and
 * revokes its API tokens in the same transaction, so nothing it holds works a moment later;
 * enabling lets it sign in again but brings no token back.
 */
import type { Database, Sql } from '../db/database.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { SubjectKind } from './ledger/entry.ts';
import { recordChange, withinTransaction } from './ledger/record.ts';

export type AccountError =
  { code: 'user_not_found'; message: string } | { code: 'action_not_allowed'; message: string };

export interface AccountStatus {
  username: string;
  disabled: boolean;
  /** Sessions ended and tokens revoked by this change (0 when enabling). */
  sessionsEnded: number;
  tokensRevoked: number;
}

export async function setUserDisabled(
  sql: Sql | Database,
  username: string,
  disabled: boolean,
  by: string,
): Promise<Result<AccountStatus, AccountError>> {
  if (disabled && username === by)
    return err({ code: 'action_not_allowed', message: 'you cannot disable your own account' });
  return withinTransaction(sql, async (tx) => {
    const [user] = await tx.query<{ id: number; was: boolean }>(
      // the row lock orders this change with a concurrent sign-in or token creation for the user
      `SELECT id, disabled AS was FROM users WHERE username = $1 FOR UPDATE`,
      [username],
    );
    if (!user) return err({ code: 'user_not_found', message: `no user named ${username}` });
    if (user.was === disabled)
      return err({
        code: 'action_not_allowed',
        message: `${username} is ${disabled ? 'disabled' : 'enabled'} already`,
      });
    await tx.query('UPDATE users SET disabled = $1 WHERE id = $2', [disabled, user.id]);
    let sessionsEnded = 0;
    let tokensRevoked = 0;
    if (disabled) {
      sessionsEnded = (await tx.query('DELETE FROM sessions WHERE user_id = $1 RETURNING user_id', [user.id]))
        .length;
      tokensRevoked = (
        await tx.query(
          'UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id',
          [user.id],
        )
      ).length;
    }
    await recordChange(tx, {
      actor: by,
      action: disabled ? 'user.disabled' : 'user.enabled',
      subjectKind: SubjectKind.User,
      subjectId: username,
      data: disabled ? { sessionsEnded, tokensRevoked } : null,
    });
    return ok({ username, disabled, sessionsEnded, tokensRevoked });
  });
}
