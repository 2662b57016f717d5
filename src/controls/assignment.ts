/**
 * Who works on what: an officer takes open work from the worklist, a supervisor assigns it to an
 * officer of the office, or moves a declaration to another lane giving a reason. Each change is
 * made under a row lock, checked against what the caller may do, and kept as an event.
 */
import type { Database, Sql } from '../db/database.ts';
import { allowedActions, EventKind, whyNotAllowed, type Action } from '../declarations/lifecycle.ts';
import type { Declaration } from '../declarations/model.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { officesColumn } from '../governance/user-offices.ts';
import { err, ok, type Result } from '../shared/result.ts';

export type Lane = 'red' | 'yellow' | 'blue' | 'green';

export type AssignmentError =
  | { code: 'declaration_not_found' }
  | { code: 'action_not_allowed'; message: string }
  | { code: 'invalid_assignee'; message: string };

/** An officer who can be given work at an office, with how much open work they hold. */
export interface Officer {
  username: string;
  displayName: string;
  role: string;
  offices: string[];
  /** Open declarations assigned to them now. */
  open: number;
}

/** Officers and supervisors working at the office, with their offices and open work. */
export async function officersOf(sql: Sql, office: string): Promise<Officer[]> {
  return sql.query<Officer>(
    `SELECT u.username, u.display_name AS "displayName", u.role, ${officesColumn},
            (SELECT count(*) FROM declarations d
             WHERE d.assigned_to = u.username AND d.status IN ('accepted', 'amended'))::int8 AS open
     FROM users u JOIN user_offices o ON o.user_id = u.id AND o.office = $1
     WHERE u.role IN ('officer', 'supervisor') AND NOT u.disabled
     ORDER BY u.username`,
    [office],
  );
}

/** Runs `change` on the declaration locked for update, if `action` is allowed to the actor. */
async function withAllowed<T>(
  db: Database,
  id: number,
  actor: Actor,
  action: Action,
  change: (tx: Sql, d: Declaration) => Promise<Result<T, AssignmentError>>,
): Promise<Result<T, AssignmentError>> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT id FROM declarations WHERE id = $1 FOR UPDATE', [id]);
    const d = await declarationsRepository.findById(tx, id, { kind: 'all' });
    if (!d) return err({ code: 'declaration_not_found' as const });
    if (!allowedActions(d, actor).includes(action)) {
      return err({ code: 'action_not_allowed' as const, message: whyNotAllowed(d, actor, action) });
    }
    return change(tx, d);
  });
}

async function setAssignee(tx: Sql, d: Declaration, to: string | null, by: string): Promise<void> {
  await tx.query(
    `UPDATE declarations SET assigned_to = $2, assigned_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END,
            updated_at = now() WHERE id = $1`,
    [d.id, to],
  );
  const appended = await declarationsRepository.appendEvent(tx, d.id, EventKind.Assigned, by, {
    to,
    ...(d.assignedTo ? { from: d.assignedTo } : {}),
  });
  if (!appended) throw new Error(`declaration ${d.id} was allowed an assignment its status refuses`);
}

/** The caller takes open work nobody holds. */
export function take(db: Database, id: number, actor: Actor): Promise<Result<Declaration, AssignmentError>> {
  return withAllowed(db, id, actor, 'take', async (tx, d) => {
    await setAssignee(tx, d, actor.username, actor.username);
    return ok({ ...d, assignedTo: actor.username });
  });
}

/** A supervisor gives open work to an officer of its office, or releases it (`to` null). */
export function assign(
  db: Database,
  id: number,
  to: string | null,
  actor: Actor,
): Promise<Result<Declaration, AssignmentError>> {
  return withAllowed(db, id, actor, 'assign', async (tx, d) => {
    if (to !== null) {
      const [officer] = await tx.query<{ role: string; offices: string[]; disabled: boolean }>(
        `SELECT u.role, ${officesColumn}, u.disabled FROM users u WHERE u.username = $1`,
        [to],
      );
      const problem = !officer
        ? `there is no user ${to}`
        : officer.disabled
          ? `${to} is disabled`
          : officer.role !== Role.Officer && officer.role !== Role.Supervisor
            ? `${to} is a ${officer.role.replace('_', ' ')}, not an officer`
            : !officer.offices.includes(d.office)
              ? `${to} does not work at office ${d.office} (${officer.offices.length ? `only at ${officer.offices.join(', ')}` : 'at no office'})`
              : null;
      if (problem) return err({ code: 'invalid_assignee' as const, message: problem });
    }
    if ((d.assignedTo ?? null) === to) return ok(d);
    await setAssignee(tx, d, to, actor.username);
    const { assignedTo: _previous, ...rest } = d;
    return ok(to === null ? rest : { ...rest, assignedTo: to });
  });
}

/** A supervisor moves open work to another lane; the reason is kept with the event. */
export function reroute(
  db: Database,
  id: number,
  lane: Lane,
  reason: string,
  actor: Actor,
): Promise<Result<Declaration, AssignmentError>> {
  return withAllowed(db, id, actor, 'reroute', async (tx, d) => {
    if (d.lane === lane) {
      return err({
        code: 'action_not_allowed' as const,
        message: `declaration ${d.id} is in the ${lane} lane already`,
      });
    }
    await tx.query('UPDATE declarations SET lane = $2, updated_at = now() WHERE id = $1', [d.id, lane]);
    const appended = await declarationsRepository.appendEvent(tx, d.id, EventKind.Rerouted, actor.username, {
      from: d.lane,
      to: lane,
      reason,
    });
    if (!appended) throw new Error(`declaration ${d.id} was allowed a reroute its status refuses`);
    return ok({ ...d, lane });
  });
}
