/**
 * The customs offices an officer or supervisor belongs to (one or several): they act on the work of
 * these offices only. Set when the user is created and changed by administrators, on the ledger.
 */
import type { Database, Sql } from '../db/database.ts';
import { officeCodePattern, officeCodeText } from '../reference/offices.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { SubjectKind } from './ledger/entry.ts';
import { recordChange } from './ledger/record.ts';
import { isOfficeBound, type Role } from './roles.ts';

/** A user's offices, sorted, in a query on `users u`. */
const officesOfUser = `ARRAY(SELECT o.office FROM user_offices o WHERE o.user_id = u.id ORDER BY o.office COLLATE "C")`;
export const officesColumn = `${officesOfUser} AS offices`;

export const maxOffices = 100;

export type UserOfficesError =
  { code: 'invalid_user'; message: string } | { code: 'user_not_found'; message: string };

/** What is wrong with giving `offices` to a user of `role`, apart from whether they exist. */
export function officesProblem(role: Role, offices: readonly string[]): string | null {
  if (offices.length === 0) return null;
  if (!isOfficeBound(role)) return `only officers and supervisors belong to customs offices, not a ${role}`;
  if (offices.length > maxOffices) return `a user belongs to at most ${maxOffices} offices`;
  const bad = offices.find((o) => !officeCodePattern.test(o));
  return bad === undefined ? null : `office "${bad.slice(0, 20)}" is not an office code (${officeCodeText})`;
}

/** Why the offices cannot be given to anyone: the codes that are not customs offices, or null. */
export async function unknownOffices(sql: Sql, offices: readonly string[]): Promise<string | null> {
  if (offices.length === 0) return null;
  const known = await sql.query<{ code: string }>(
    'SELECT code FROM customs_offices WHERE code = ANY($1::text[])',
    [offices],
  );
  const missing = [...new Set(offices)].filter((o) => !known.some((k) => k.code === o));
  return missing.length ? `not a customs office: ${missing.join(', ')}` : null;
}

/** Makes `offices` (checked to exist) the user's offices; returns them sorted, once each. */
export async function writeUserOffices(
  sql: Sql,
  userId: number,
  offices: readonly string[],
): Promise<string[]> {
  const wanted = [...new Set(offices)].sort();
  await sql.query('DELETE FROM user_offices WHERE user_id = $1 AND NOT (office = ANY($2::text[]))', [
    userId,
    wanted,
  ]);
  await sql.query(
    `INSERT INTO user_offices (user_id, office) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
    [userId, wanted],
  );
  return wanted;
}

/** An administrator sets the offices of an officer or supervisor (replacing the ones it had). */
export function setUserOffices(
  db: Database,
  username: string,
  offices: readonly string[],
  by: string,
): Promise<Result<{ username: string; offices: string[] }, UserOfficesError>> {
  return db.transaction(async (tx) => {
    const [user] = await tx.query<{ id: number; role: Role; before: string[] }>(
      `SELECT u.id, u.role, ${officesOfUser} AS before FROM users u WHERE u.username = $1 FOR UPDATE`,
      [username],
    );
    if (!user) return err({ code: 'user_not_found', message: `no user named ${username}` });
    const problem = officesProblem(user.role, offices) ?? (await unknownOffices(tx, offices));
    if (problem) return err({ code: 'invalid_user', message: problem });
    const after = await writeUserOffices(tx, user.id, offices);
    await recordChange(tx, {
      actor: by,
      action: 'user.offices_set',
      subjectKind: SubjectKind.User,
      subjectId: username,
      data: { before: user.before, after },
    });
    return ok({ username, offices: after });
  });
}
