/** Users, their sessions and API tokens. Secrets are stored only as hashes. */
import { randomBytes } from 'node:crypto';
import type { Database, PreparedStatement, Sql } from '../db/database.ts';
import { SubjectKind } from './ledger/entry.ts';
import { recordChange, withinTransaction } from './ledger/record.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { checkPasswordStrength, decoyHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { Role, isRole, roles, type Actor } from './roles.ts';
import { secretHash } from './secret-hash.ts';
import { officesColumn, officesProblem, unknownOffices, writeUserOffices } from './user-offices.ts';

export interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: string;
  partyId?: string;
  /** For an officer or supervisor: the customs offices it works at. */
  offices?: string[];
  /** For a declarant: the traders it represents. */
  represents?: string[];
}

/** A refusal of a user as given, naming the field (of the API's body) it is about. */
export type UserError =
  | { code: 'invalid_user'; message: string; field: UserField }
  | { code: 'username_taken'; message: string; field: 'username' };

export type UserField = 'username' | 'password' | 'role' | 'partyId' | 'offices' | 'represents';

export interface UserProblem {
  field: UserField;
  message: string;
}

const actorColumns = `u.id AS "userId", u.username, u.role, u.party_id AS "partyId", ${officesColumn}`;

const partyPattern = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,34}$/;

/**
 * What is wrong with a user's role, party, offices and represented traders together (apart from
 * whether the offices exist): the rules of creation, and of a change.
 */
export function accessProblem(u: {
  role: string;
  partyId?: string | null;
  offices?: readonly string[];
  represents?: readonly string[];
}): UserProblem | null {
  if (!isRole(u.role)) return { field: 'role', message: `role must be one of ${roles.join(', ')}` };
  if ((u.role === Role.Trader || u.role === Role.Declarant) && !u.partyId) {
    return {
      field: 'partyId',
      message: `a ${u.role} needs the ${u.role === Role.Trader ? 'trader' : 'declarant'} identifier it acts for (partyId; --trader or --party on the command line)`,
    };
  }
  if (u.partyId != null && !partyPattern.test(u.partyId))
    return { field: 'partyId', message: 'party identifier: up to 35 letters or digits' };
  if (u.represents?.length && u.role !== Role.Declarant)
    return { field: 'represents', message: 'only a declarant represents traders' };
  const badTrader = u.represents?.find((t) => !partyPattern.test(t));
  if (badTrader !== undefined)
    return {
      field: 'represents',
      message: `represented trader "${badTrader.slice(0, 35)}": up to 35 letters or digits`,
    };
  const offices = officesProblem(u.role, u.offices ?? []);
  return offices ? { field: 'offices', message: offices } : null;
}

/**
 * Why a partner agency user cannot belong to `partyId`: it is not the code of an agency (the
 * agencies of data sharing, ADR 0032). A partner agency user without an agency is allowed, and
 * receives nothing.
 */
export async function agencyProblem(
  sql: Sql,
  role: string,
  partyId: string | null | undefined,
): Promise<string | null> {
  if (role !== Role.PartnerAgency || partyId == null) return null;
  const [agency] = await sql.query('SELECT code FROM agencies WHERE code = $1', [partyId]);
  return agency
    ? null
    : `partyId "${partyId}" is not an agency's code: a partner agency user belongs to an existing agency`;
}

/** The first problem of a new user, at its field, or null. */
export function newUserProblem(u: NewUser): UserProblem | null {
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(u.username))
    return {
      field: 'username',
      message: 'username: 3-64 lowercase letters, digits, dots, dashes or underscores',
    };
  const access = accessProblem(u);
  if (access) return access;
  const password = checkPasswordStrength(u.password);
  return password ? { field: 'password', message: password } : null;
}

export function validateNewUser(u: NewUser): string | null {
  return newUserProblem(u)?.message ?? null;
}

/** Creates a user; `by` is who creates it, for the ledger. */
export async function createUser(
  sql: Sql | Database,
  u: NewUser,
  by = 'system',
): Promise<Result<Actor, UserError>> {
  const problem = newUserProblem(u);
  if (problem) return err({ code: 'invalid_user', ...problem });
  const passwordHash = await hashPassword(u.password);
  return withinTransaction(sql, (tx) => insertUser(tx, u, passwordHash, by));
}

async function insertUser(
  sql: Sql,
  u: NewUser,
  passwordHash: string,
  by: string,
): Promise<Result<Actor, UserError>> {
  const unknown = await unknownOffices(sql, u.offices ?? []);
  if (unknown) return err({ code: 'invalid_user', field: 'offices', message: unknown });
  const agency = await agencyProblem(sql, u.role, u.partyId);
  if (agency) return err({ code: 'invalid_user', field: 'partyId', message: agency });
  const rows = await sql.query<Actor & Record<string, unknown>>(
    `INSERT INTO users AS u (username, display_name, password_hash, role, party_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING RETURNING ${actorColumns}`,
    [u.username, u.displayName ?? u.username, passwordHash, u.role, u.partyId ?? null, by],
  );
  const inserted = rows[0];
  if (!inserted)
    return err({ code: 'username_taken', field: 'username', message: `username ${u.username} is taken` });
  const offices = await writeUserOffices(sql, inserted.userId, u.offices ?? []);
  const user = { ...inserted, offices };
  for (const trader of u.represents ?? []) {
    await sql.query('INSERT INTO representations VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      u.partyId,
      trader,
    ]);
  }
  await recordChange(sql, {
    actor: by,
    action: 'user.created',
    subjectKind: SubjectKind.User,
    subjectId: u.username,
    data: {
      role: u.role,
      partyId: u.partyId ?? null,
      offices,
      ...(u.represents?.length ? { represents: u.represents } : {}),
    },
  });
  return ok(user);
}

export async function authenticatePassword(
  sql: Sql,
  username: string,
  password: string,
): Promise<Actor | null> {
  const rows = await sql.query<Actor & { hash: string }>(
    `SELECT ${actorColumns}, u.password_hash AS hash FROM users u WHERE u.username = $1 AND NOT u.disabled`,
    [username],
  );
  const row = rows[0];
  const valid = await verifyPassword(password, row?.hash ?? (await decoyHash()));
  if (!row || !valid) return null;
  const { hash, ...actor } = row;
  if (needsRehash(hash)) {
    // a hash made with older parameters is replaced now that the password is known; the condition
    // keeps a password changed meanwhile
    await sql.query('UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3', [
      await hashPassword(password),
      actor.userId,
      hash,
    ]);
  }
  return actor;
}

export async function createSession(sql: Sql, userId: number, ttlHours: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await sql.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`,
    [secretHash(token), userId, ttlHours],
  );
  return token;
}

export async function endSession(sql: Sql, token: string): Promise<void> {
  await sql.query('DELETE FROM sessions WHERE token_hash = $1', [secretHash(token)]);
}

// prepared, as every authenticated request runs one of them
const sessionActor: PreparedStatement = {
  name: 'session_actor',
  text: `SELECT ${actorColumns} FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
};
const tokenActor: PreparedStatement = {
  name: 'api_token_actor',
  text: `SELECT ${actorColumns}, t.id AS "viaToken" FROM api_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND NOT u.disabled`,
};

export async function actorForSession(sql: Sql, token: string): Promise<Actor | null> {
  const rows = await sql.query<Actor & Record<string, unknown>>(sessionActor, [secretHash(token)]);
  return rows[0] ?? null;
}

export async function actorForApiToken(sql: Sql, token: string): Promise<Actor | null> {
  const rows = await sql.query<Actor & Record<string, unknown>>(tokenActor, [secretHash(token)]);
  return rows[0] ?? null;
}

export async function findUserByName(sql: Sql, username: string): Promise<Actor | null> {
  const rows = await sql.query<Actor & Record<string, unknown>>(
    `SELECT ${actorColumns} FROM users u WHERE u.username = $1`,
    [username],
  );
  return rows[0] ?? null;
}

/** What an administrator sees of a user. */
export interface UserSummary extends Actor {
  displayName: string;
  disabled: boolean;
  /** For a declarant: the traders its party represents (shared by the users of that party). */
  represents: string[];
}

/** The traders a declarant's party represents, sorted, in a query on `users u`. */
export const representsColumn = `CASE WHEN u.role = 'declarant' THEN ARRAY(SELECT r.trader_id FROM representations r
  WHERE r.declarant_id = u.party_id ORDER BY r.trader_id COLLATE "C") ELSE ARRAY[]::text[] END AS represents`;

const summaryColumns = `${actorColumns}, u.display_name AS "displayName", u.disabled, ${representsColumn}`;

export async function listUsers(sql: Sql): Promise<UserSummary[]> {
  return sql.query(`SELECT ${summaryColumns} FROM users u ORDER BY u.id`);
}

export async function findUserSummary(sql: Sql, username: string): Promise<UserSummary | null> {
  const rows = await sql.query<UserSummary & Record<string, unknown>>(
    `SELECT ${summaryColumns} FROM users u WHERE u.username = $1`,
    [username],
  );
  return rows[0] ?? null;
}
