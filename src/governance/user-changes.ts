/**
 * An administrator changes what a user is: its role, the party it acts for, its customs offices and
 * the traders a declarant represents, by the rules of creation. A change of role or party ends the
 * user's sessions and revokes its API tokens in the same transaction, as disabling does: nothing
 * made for what the user was (a token an administrator made for a trader's system) acts with what
 * it becomes. Nobody changes their own role, and the last enabled administrator stays one. Every
 * change is on the ledger, with what it was before.
 */
import type { Database, Sql } from '../db/database.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { SubjectKind } from './ledger/entry.ts';
import { recordChange, withinTransaction } from './ledger/record.ts';
import { Role, isOfficeBound, type Role as RoleName } from './roles.ts';
import { unknownOffices, writeUserOffices } from './user-offices.ts';
import { accessProblem, agencyProblem, findUserSummary, type UserField, type UserSummary } from './users.ts';

export interface UserChange {
  role?: string;
  partyId?: string;
  /** For an officer or supervisor: its customs offices (replacing the ones it had). */
  offices?: string[];
  /** For a declarant: the traders its party represents (replacing the ones it had). */
  represents?: string[];
}

export type UserChangeError =
  | { code: 'user_not_found'; message: string }
  | { code: 'invalid_user'; message: string; field: UserField }
  | { code: 'action_not_allowed'; message: string; field: UserField };

export interface ChangedUser {
  user: UserSummary;
  /** Sessions ended and tokens revoked because the role or the party changed (0 otherwise). */
  sessionsEnded: number;
  tokensRevoked: number;
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const sorted = (list: readonly string[]) => [...new Set(list)].sort();

/** Changes the user named `username`; `by` is the administrator (or `system`), for the ledger. */
export async function changeUser(
  sql: Sql | Database,
  username: string,
  change: UserChange,
  by: string,
): Promise<Result<ChangedUser, UserChangeError>> {
  return withinTransaction(sql, async (tx) => {
    // the row lock orders this change with a concurrent sign-in, token creation or disabling
    const [locked] = await tx.query<{ id: number }>('SELECT id FROM users WHERE username = $1 FOR UPDATE', [
      username,
    ]);
    const before = locked && (await findUserSummary(tx, username));
    if (!locked || !before) return err({ code: 'user_not_found', message: `no user named ${username}` });
    const role = (change.role ?? before.role) as RoleName;
    const partyId = change.partyId ?? before.partyId;
    // a user that stops working at offices leaves them; one that still does keeps them unless given
    const offices = change.offices ?? (isOfficeBound(role) ? before.offices : []);
    const problem = accessProblem({
      role,
      partyId,
      offices,
      represents: change.represents,
    });
    if (problem) return err({ code: 'invalid_user', ...problem });
    const unknown = await unknownOffices(tx, change.offices ?? []);
    if (unknown) return err({ code: 'invalid_user', field: 'offices', message: unknown });
    const agency = await agencyProblem(tx, role, partyId);
    if (agency) return err({ code: 'invalid_user', field: 'partyId', message: agency });

    const roleChanged = role !== before.role;
    if (roleChanged && username === by)
      return err({ code: 'action_not_allowed', field: 'role', message: 'you cannot change your own role' });
    if (roleChanged && before.role === Role.Administrator && !before.disabled) {
      const others = await tx.query(
        `SELECT id FROM users WHERE role = 'administrator' AND NOT disabled AND id <> $1 FOR UPDATE`,
        [locked.id],
      );
      if (others.length === 0)
        return err({
          code: 'action_not_allowed',
          field: 'role',
          message: `${username} is the only enabled administrator: make another administrator first`,
        });
    }

    const partyChanged = partyId !== before.partyId;
    if (roleChanged || partyChanged)
      await tx.query('UPDATE users SET role = $1, party_id = $2 WHERE id = $3', [role, partyId, locked.id]);
    if (!same(sorted(offices), before.offices)) await writeUserOffices(tx, locked.id, offices);
    const representsAfter = sorted(change.represents ?? []);
    if (change.represents && partyId !== null) {
      await tx.query(
        'DELETE FROM representations WHERE declarant_id = $1 AND NOT (trader_id = ANY($2::text[]))',
        [partyId, representsAfter],
      );
      await tx.query(
        `INSERT INTO representations (declarant_id, trader_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
        [partyId, representsAfter],
      );
    }

    let sessionsEnded = 0;
    let tokensRevoked = 0;
    if (roleChanged || partyChanged) {
      sessionsEnded = (
        await tx.query('DELETE FROM sessions WHERE user_id = $1 RETURNING user_id', [locked.id])
      ).length;
      tokensRevoked = (
        await tx.query(
          'UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id',
          [locked.id],
        )
      ).length;
    }
    const after = await findUserSummary(tx, username);
    if (!after) throw new Error(`user ${username} vanished under its row lock`);

    const was: Record<string, unknown> = {};
    const now: Record<string, unknown> = {};
    const compare = (key: string, a: unknown, b: unknown, equal: boolean) => {
      if (equal) return;
      was[key] = a;
      now[key] = b;
    };
    compare('role', before.role, after.role, !roleChanged);
    compare('partyId', before.partyId, after.partyId, !partyChanged);
    compare('offices', before.offices, after.offices, same(before.offices, after.offices));
    compare('represents', before.represents, after.represents, same(before.represents, after.represents));
    if (Object.keys(now).length > 0)
      await recordChange(tx, {
        actor: by,
        action: 'user.changed',
        subjectKind: SubjectKind.User,
        subjectId: username,
        data: { before: was, after: now, sessionsEnded, tokensRevoked },
      });
    return ok({ user: after, sessionsEnded, tokensRevoked });
  });
}
