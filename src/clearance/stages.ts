/**
 * The stages from acceptance to release (ADR 0025): each action of clearance appends one event to
 * the declaration, under its row lock, when the caller may take it (lifecycle.ts: role, office or
 * party, status and the order of the stages) and, for a release, when the checks are done and the
 * duty is paid or guaranteed. A green or blue declaration whose duty gets paid or guaranteed in full
 * is released with the payment. A declaration's clearance is read from its events.
 */
import type { Database, Sql } from '../db/database.ts';
import {
  actsOn,
  allowedActions,
  clearanceActions,
  EventKind,
  progressOf,
  whyNotAllowed,
  type ClearanceAction,
  type DeclarationEvent,
  type Progress,
} from '../declarations/lifecycle.ts';
import { Status, type Declaration } from '../declarations/model.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import { scopeFor } from '../declarations/scope.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { accountOf, revenueRecoveredOf, type DutyAccount } from './payments.ts';

/** What each action records, as its event's data (checked by the routes' schemas). */
export interface ActionInput {
  report_arrival: { arrivedAt?: string; place?: string };
  request_documents: { documents?: string[]; note?: string };
  provide_documents: { note?: string };
  check_documents: { outcome: 'satisfactory' | 'discrepancy'; note?: string };
  schedule_inspection: { plannedAt: string; place: string };
  start_inspection: { place?: string };
  complete_inspection: { place?: string; note?: string };
  record_payment: { amount: number; currency: string; reference: string };
  record_guarantee: { amount: number; currency: string; reference: string };
  release: { note?: string };
  detain: { reason: string };
  seize: { reason: string };
  refuse: { reason: string };
}

export type ClearanceError =
  | { code: 'declaration_not_found' }
  | { code: 'forbidden'; message: string }
  | { code: 'action_not_allowed'; message: string }
  | { code: 'invalid_request'; message: string; fields: { path: string; message: string }[] };

/** One stage reached: its event as the caller may see it. */
export interface Stage {
  kind: string;
  at: string;
  actor: string;
  data: Record<string, unknown> | null;
}

export interface Clearance {
  id: number;
  status: Status;
  lane: string | null;
  office: string;
  stages: Stage[];
  progress: Progress;
  duty: DutyAccount;
  /** The clearance actions the caller may take now. */
  allowed: ClearanceAction[];
  /** Why the declaration cannot be released now (null when it can, or is no longer waiting). */
  releaseBlockedBy: string | null;
}

/** Lanes whose declarations go without a check at the border (blue: audited after release). */
const unchecked = (lane: string | undefined) => lane === 'green' || lane === 'blue';

/** Checks asked for and not finished hold a release back. */
function pendingCheck(p: Progress): string | null {
  if (p.documents === 'requested') return 'the documents requested are not provided yet';
  if (p.documents === 'provided') return 'the documents provided are not checked yet';
  if (p.inspection === 'scheduled' || p.inspection === 'started')
    return `the inspection is ${p.inspection}, not completed`;
  return null;
}

/**
 * Why a declaration that is waiting cannot be released yet: a check asked for is not finished, a
 * yellow or red declaration (or one never assessed) has no control result, or duty is due.
 */
export function releaseRefusal(
  d: Pick<Declaration, 'lane'>,
  progress: Progress,
  account: DutyAccount,
): string | null {
  const pending = pendingCheck(progress);
  if (pending) return pending;
  if (!unchecked(d.lane) && !progress.controlled)
    return d.lane
      ? `its control result (${d.lane} lane) is not recorded`
      : 'it is neither assessed nor controlled';
  if (account.due > 0)
    return `${account.due.toFixed(2)} ${account.currency} of duty is neither paid nor guaranteed`;
  return null;
}

/** Who recorded what, as a trader or declarant may see it: customs' own business left out. */
function asPartySees(e: DeclarationEvent): Stage[] {
  if (e.kind === EventKind.Assigned || e.kind === EventKind.Rerouted || e.kind === EventKind.ControlCorrected)
    return [];
  if (e.kind === EventKind.Assessed) return [{ ...e, actor: 'customs', data: { lane: e.data?.lane } }];
  if (e.kind === EventKind.Controlled)
    return [{ ...e, actor: 'customs', data: { outcome: e.data?.outcome } }];
  return [e];
}

const isParty = (actor: Actor) => actor.role === Role.Trader || actor.role === Role.Declarant;

/** The clearance of a declaration as the caller sees it, in `sql` (a transaction holding its lock, or not). */
async function viewOf(sql: Sql, d: Declaration, actor: Actor): Promise<Clearance> {
  const events = await declarationsRepository.events(sql, d.id);
  const progress = progressOf(events);
  const duty = accountOf(d, events, await revenueRecoveredOf(sql, d.id));
  const blocked =
    d.status === Status.Accepted ||
    d.status === Status.Amended ||
    d.status === Status.Controlled ||
    d.status === Status.Detained
      ? releaseRefusal(d, progress, duty)
      : null;
  const allowed = allowedActions({ ...d, progress }, actor).filter(
    (a): a is ClearanceAction => a in clearanceActions && (a !== 'release' || blocked === null),
  );
  return {
    id: d.id,
    status: d.status,
    lane: d.lane ?? null,
    office: d.office,
    stages: isParty(actor) ? events.flatMap(asPartySees) : events,
    progress,
    duty,
    allowed,
    releaseBlockedBy: blocked,
  };
}

/** The clearance of a declaration the caller can see; undefined when it cannot (or there is none). */
export async function clearanceOf(sql: Sql, id: number, actor: Actor): Promise<Clearance | undefined> {
  const scope = scopeFor(actor);
  if (!scope) return undefined;
  const d = await declarationsRepository.findById(sql, id, scope);
  return d ? viewOf(sql, d, actor) : undefined;
}

/** Five minutes of clock difference are allowed to a moment reported as past. */
const skewMs = 5 * 60_000;

const invalid = (path: string, message: string): ClearanceError => ({
  code: 'invalid_request',
  message: `${path} ${message}`,
  fields: [{ path, message }],
});

/** The event data of an action, or the refusal of a value only the declaration can judge. */
function dataOf<A extends ClearanceAction>(
  action: A,
  input: ActionInput[A],
  d: Declaration,
  events: readonly DeclarationEvent[],
  now: Date,
): Result<Record<string, unknown>, ClearanceError> {
  const clean = (o: object) =>
    Object.fromEntries(
      Object.entries(o)
        .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v])
        .filter(([, v]) => v !== undefined && v !== ''),
    );
  switch (action) {
    case 'report_arrival': {
      const { arrivedAt, place } = input as ActionInput['report_arrival'];
      const at = arrivedAt === undefined ? now : new Date(arrivedAt);
      if (at.getTime() > now.getTime() + skewMs) return err(invalid('arrivedAt', 'is in the future'));
      return ok(clean({ arrivedAt: at.toISOString(), place }));
    }
    case 'start_inspection':
    case 'complete_inspection': {
      const given = input as ActionInput['complete_inspection'];
      const scheduled = events.findLast((e) => e.kind === EventKind.InspectionScheduled)?.data?.place;
      const place = given.place?.trim() || (typeof scheduled === 'string' ? scheduled : undefined);
      if (!place) return err(invalid('place', 'is required: no place was scheduled'));
      return ok(clean({ ...given, place }));
    }
    case 'schedule_inspection': {
      const { plannedAt, place } = input as ActionInput['schedule_inspection'];
      return ok(clean({ plannedAt: new Date(plannedAt).toISOString(), place }));
    }
    case 'record_payment':
    case 'record_guarantee': {
      const p = input as ActionInput['record_payment'];
      if (p.currency !== d.currency)
        return err(invalid('currency', `must be the declaration's currency, ${d.currency}`));
      return ok(
        clean({ amount: Math.round(p.amount * 100) / 100, currency: p.currency, reference: p.reference }),
      );
    }
    default:
      return ok(clean(input));
  }
}

/**
 * Takes a clearance action on a declaration, in one transaction under its row lock: 404 when the
 * caller cannot see it, 403 when the caller is not someone who takes this action on it, 409 when its
 * status or stages do not allow it now, 400 for a value it refuses. Returns the clearance after it.
 */
export async function act<A extends ClearanceAction>(
  db: Database,
  id: number,
  actor: Actor,
  action: A,
  input: ActionInput[A],
  now = new Date(),
): Promise<Result<Clearance, ClearanceError>> {
  const scope = scopeFor(actor);
  if (!scope) return err({ code: 'declaration_not_found' });
  return db.transaction(async (tx) => {
    await tx.query('SELECT id FROM declarations WHERE id = $1 FOR UPDATE', [id]);
    const d = await declarationsRepository.findById(tx, id, scope);
    if (!d) return err({ code: 'declaration_not_found' as const });
    const events = await declarationsRepository.events(tx, id);
    const progress = progressOf(events);
    const subject = { ...d, progress };
    if (!allowedActions(subject, actor).includes(action)) {
      const message = whyNotAllowed(subject, actor, action);
      return err(
        actsOn(d, actor, action)
          ? { code: 'action_not_allowed' as const, message }
          : { code: 'forbidden' as const, message },
      );
    }
    const data = dataOf(action, input, d, events, now);
    if (!data.ok) return data;
    const account = accountOf(d, events);
    const refusal = (message: string) =>
      err({
        code: 'action_not_allowed' as const,
        message: `${whyNotAllowed(subject, actor, action)}: ${message}`,
      });
    if (action === 'record_payment' || action === 'record_guarantee') {
      const amount = Number(data.value.amount);
      if (account.due === 0) return refusal('nothing is due');
      if (amount > account.due) return refusal(`only ${account.due.toFixed(2)} ${account.currency} is due`);
    }
    if (action === 'release') {
      const why = releaseRefusal(d, progress, account);
      if (why) return refusal(why);
    }
    const kind = clearanceActions[action];
    const appended = await declarationsRepository.appendEvent(tx, id, kind, actor.username, {
      ...data.value,
      ...(kind === EventKind.Released ? { automatic: false } : {}),
    });
    if (!appended) throw new Error(`declaration ${id} was locked for ${kind}, which its status then refused`);
    if (kind === EventKind.Paid || kind === EventKind.Guaranteed) await releaseIfSettled(tx, d);
    const after = await declarationsRepository.findById(tx, id, scope);
    if (!after) throw new Error(`declaration ${id} vanished under its lock`);
    return ok(await viewOf(tx, after, actor));
  });
}

/**
 * A green or blue declaration waiting for nothing but its duty is released once the duty is paid
 * or guaranteed in full (by the system, as at assessment); a detained one stays for an officer.
 */
async function releaseIfSettled(tx: Sql, d: Declaration): Promise<void> {
  if (!unchecked(d.lane) || d.status === Status.Detained) return;
  const events = await declarationsRepository.events(tx, d.id);
  if (releaseRefusal(d, progressOf(events), accountOf(d, events)) !== null) return;
  const released = await declarationsRepository.appendEvent(tx, d.id, EventKind.Released, 'system', {
    automatic: true,
  });
  if (!released) throw new Error(`declaration ${d.id} was settled but could not be released`);
}
