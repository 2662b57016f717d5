/**
 * The life of a declaration as events. The status is a pure function of the events, and the
 * actions a caller may take next follow from the status and the caller's relation to it.
 */
import { isOfficeBound, Role, worksAt, type Actor } from '../governance/roles.ts';
import { Status } from './model.ts';

export const EventKind = {
  Lodged: 'lodged',
  Accepted: 'accepted',
  Amended: 'amended',
  Assessed: 'assessed',
  Controlled: 'controlled',
  Cancelled: 'cancelled',
  /** An officer took the declaration, or a supervisor assigned it to one. */
  Assigned: 'assigned',
  /** A supervisor moved the declaration to another lane, giving a reason. */
  Rerouted: 'rerouted',
  /** A supervisor of its office corrected its control result, giving a reason. */
  ControlCorrected: 'control_corrected',
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export interface DeclarationEvent {
  seq: number;
  kind: EventKind;
  at: string;
  actor: string;
  data: Record<string, unknown> | null;
}

/**
 * What each event may follow and what it leaves: `from` lists the statuses it may be appended in
 * (null: before acceptance), `to` the status after it (null: unchanged). Assessment, assignment and
 * rerouting concern open work only: a declaration controlled before it was assessed is not assessed
 * afterwards (its control is done and would take no place). A historical control result imported
 * with a declaration is a record of another system, not an event: it leaves the declaration open.
 */
const transitions: Record<EventKind, { from: readonly (Status | null)[]; to: Status | null }> = {
  lodged: { from: [], to: null },
  accepted: { from: [null], to: Status.Accepted },
  amended: { from: [Status.Accepted, Status.Amended], to: Status.Amended },
  assessed: { from: [Status.Accepted, Status.Amended], to: null },
  controlled: { from: [Status.Accepted, Status.Amended, Status.Controlled], to: Status.Controlled },
  cancelled: { from: [Status.Accepted, Status.Amended], to: Status.Cancelled },
  assigned: { from: [Status.Accepted, Status.Amended], to: null },
  rerouted: { from: [Status.Accepted, Status.Amended], to: null },
  control_corrected: { from: [Status.Controlled], to: null },
};

/**
 * Appending `kind` to a stored declaration: the statuses it may have (`from`) and the status it
 * then has (`to`, or null for unchanged). Storage applies both in one conditional UPDATE.
 */
export const transitionOf = (kind: EventKind): { from: Status[]; to: Status | null } => ({
  from: transitions[kind].from.filter((s): s is Status => s !== null),
  to: transitions[kind].to,
});

/** The current status after a history of events; throws on a history that cannot happen. */
export function deriveStatus(events: readonly Pick<DeclarationEvent, 'kind'>[]): Status {
  let status: Status | null = null;
  events.forEach((event, i) => {
    const allowed = i === 0 ? event.kind === EventKind.Lodged : transitions[event.kind].from.includes(status);
    if (!allowed) throw new Error(`event ${event.kind} cannot follow ${status ?? 'nothing'} (position ${i})`);
    status = transitions[event.kind].to ?? status;
  });
  if (status === null) throw new Error('a declaration has no status before it is accepted');
  return status;
}

/** The events a declaration is stored with, and the status they derive. */
export const firstEvents = [EventKind.Lodged, EventKind.Accepted] as const;
export const firstStatus: Status = deriveStatus(firstEvents.map((kind) => ({ kind })));

/** Statuses in which the declarant may still amend or cancel (before release). */
export const isOpen = (status: Status | null): boolean =>
  status === Status.Accepted || status === Status.Amended;

export type Action =
  'amend' | 'cancel' | 'take' | 'assign' | 'reroute' | 'record_control' | 'correct_control';

/** What decides the actions on a declaration. */
export interface ActionSubject {
  status: Status;
  office: string;
  /** The officer working on it, if anyone took it or was assigned it. */
  assignedTo?: string;
  /** The trader the declaration belongs to, and the declarant of record (who lodged it for it). */
  trader: string;
  declarant: string;
  lane?: string;
}

/**
 * What the caller may do next with a declaration it can see. The parties: the trader itself and the
 * declarant of record amend and cancel while the declaration is open; another declarant
 * representing the same trader reads it but does not change it. Officials act only on the work of
 * the customs offices they belong to: officers take and control it, supervisors also assign,
 * reroute and cancel it. A declaration has one control result: once controlled, only a supervisor
 * of its office changes it, by a correction. Risk analysts, auditors and the other roles only read.
 */
export function allowedActions(d: ActionSubject, actor: Actor): Action[] {
  const open = isOpen(d.status);
  if (actor.role === Role.Trader || actor.role === Role.Declarant)
    return open && isPartyOfRecord(d, actor) ? ['amend', 'cancel'] : [];
  if (d.status === Status.Cancelled || !worksAt(actor, d.office)) return [];
  if (actor.role === Role.Supervisor) {
    if (!open) return d.status === Status.Controlled ? ['correct_control'] : [];
    return [
      ...(d.assignedTo === undefined ? (['take'] as const) : []),
      'assign',
      ...(d.lane ? (['reroute'] as const) : []),
      'record_control',
      'cancel',
    ];
  }
  // an officer leaves alone what a colleague took or was assigned
  if (d.assignedTo !== undefined && d.assignedTo !== actor.username) return [];
  if (!open) return [];
  return d.assignedTo === undefined ? ['take', 'record_control'] : ['record_control'];
}

/** The trader whose declaration it is, or the declarant who lodged it. */
const isPartyOfRecord = (d: ActionSubject, actor: Actor): boolean =>
  actor.partyId !== null &&
  (actor.role === Role.Trader ? d.trader === actor.partyId : d.declarant === actor.partyId);

/** Why `action` is not among the caller's allowed actions, in words for the refusal. */
export function whyNotAllowed(d: ActionSubject & { id: number }, actor: Actor, action: Action): string {
  const what = `you cannot ${verbs[action]} declaration ${d.id}`;
  const party = actor.role === Role.Trader || actor.role === Role.Declarant;
  const partyAction = action === 'amend' || action === 'cancel';
  if (party ? !partyAction : !isOfficeBound(actor.role) || action === 'amend')
    return `${what}: not in the ${actor.role.replace('_', ' ')} role`;
  if (
    actor.role === Role.Officer &&
    (action === 'assign' || action === 'reroute' || action === 'cancel' || action === 'correct_control')
  )
    return `${what}: a supervisor does that`;
  if (d.status === Status.Cancelled) return `${what}: it is cancelled`;
  if (party) {
    if (!isPartyOfRecord(d, actor))
      return `${what}: declarant ${d.declarant} lodged it for trader ${d.trader}, and only they may ${action} it`;
  } else if (!worksAt(actor, d.office)) {
    const yours = actor.offices.length
      ? `you work at ${listOf(actor.offices)}`
      : 'you belong to no customs office';
    return `${what}: it is at office ${d.office}, and ${yours}`;
  }
  if (action === 'correct_control')
    return d.status === Status.Controlled ? what : `${what}: it has no control result`;
  if (!isOpen(d.status)) return `${what}: it is ${d.status}`;
  if (d.assignedTo && d.assignedTo !== actor.username) return `${what}: ${d.assignedTo} is working on it`;
  if (action === 'take' && d.assignedTo === actor.username) return `${what}: you have it already`;
  if (action === 'reroute' && !d.lane) return `${what}: it has not been assessed yet`;
  return what;
}

const verbs: Record<Action, string> = {
  amend: 'amend',
  cancel: 'cancel',
  take: 'take',
  assign: 'assign',
  reroute: 'reroute',
  record_control: 'record a control result for',
  correct_control: 'correct the control result of',
};

const listOf = (offices: readonly string[]) =>
  offices.length === 1 ? `office ${offices[0]}` : `offices ${offices.join(', ')}`;
