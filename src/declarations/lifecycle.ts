/**
 * The life of a declaration as events. The status is a pure function of the events, and the
 * actions a caller may take next follow from the status and the caller's relation to it.
 */
import { isOfficeBound, Role, type Actor } from '../governance/roles.ts';
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
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export interface DeclarationEvent {
  seq: number;
  kind: EventKind;
  at: string;
  actor: string;
  data: Record<string, unknown> | null;
}

const after: Record<EventKind, Status | null> = {
  lodged: null,
  accepted: Status.Accepted,
  amended: Status.Amended,
  assessed: null,
  controlled: Status.Controlled,
  cancelled: Status.Cancelled,
  assigned: null,
  rerouted: null,
};

/** The current status after a history of events; throws on a history that cannot happen. */
export function deriveStatus(events: readonly Pick<DeclarationEvent, 'kind'>[]): Status {
  let status: Status | null = null;
  events.forEach((event, i) => {
    if (i === 0 ? event.kind !== EventKind.Lodged : !canFollow(status, event.kind)) {
      throw new Error(`event ${event.kind} cannot follow ${status ?? 'nothing'} (position ${i})`);
    }
    status = after[event.kind] ?? status;
  });
  if (status === null) throw new Error('a declaration has no status before it is accepted');
  return status;
}

function canFollow(status: Status | null, kind: EventKind): boolean {
  switch (kind) {
    case EventKind.Lodged:
      return false;
    case EventKind.Accepted:
      return status === null;
    case EventKind.Amended:
    case EventKind.Assessed:
    case EventKind.Cancelled:
    case EventKind.Assigned:
    case EventKind.Rerouted:
      return isOpen(status);
    case EventKind.Controlled:
      return isOpen(status) || status === Status.Controlled;
  }
}

/** Statuses in which the declarant may still amend or cancel (before release). */
export const isOpen = (status: Status | null): boolean =>
  status === Status.Accepted || status === Status.Amended;

export type Action = 'amend' | 'cancel' | 'take' | 'assign' | 'reroute' | 'record_control';

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
 * reroute and cancel it. Risk analysts, auditors and the other roles only read.
 */
export function allowedActions(d: ActionSubject, actor: Actor): Action[] {
  const open = isOpen(d.status);
  if (actor.role === Role.Trader || actor.role === Role.Declarant)
    return open && isPartyOfRecord(d, actor) ? ['amend', 'cancel'] : [];
  if (d.status === Status.Cancelled || !worksAt(actor, d.office)) return [];
  if (actor.role === Role.Supervisor) {
    if (!open) return ['record_control'];
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
  return open && d.assignedTo === undefined ? ['take', 'record_control'] : ['record_control'];
}

/** The trader whose declaration it is, or the declarant who lodged it. */
const isPartyOfRecord = (d: ActionSubject, actor: Actor): boolean =>
  actor.partyId !== null &&
  (actor.role === Role.Trader ? d.trader === actor.partyId : d.declarant === actor.partyId);

/** An officer or supervisor of the office (other roles work at none). */
export const worksAt = (actor: Actor, office: string): boolean =>
  isOfficeBound(actor.role) && actor.offices.includes(office);

/** Why `action` is not among the caller's allowed actions, in words for the refusal. */
export function whyNotAllowed(d: ActionSubject & { id: number }, actor: Actor, action: Action): string {
  const what = `you cannot ${verbs[action]} declaration ${d.id}`;
  const party = actor.role === Role.Trader || actor.role === Role.Declarant;
  const partyAction = action === 'amend' || action === 'cancel';
  if (party ? !partyAction : !isOfficeBound(actor.role) || action === 'amend')
    return `${what}: not in the ${actor.role.replace('_', ' ')} role`;
  if (actor.role === Role.Officer && (action === 'assign' || action === 'reroute' || action === 'cancel'))
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
};

const listOf = (offices: readonly string[]) =>
  offices.length === 1 ? `office ${offices[0]}` : `offices ${offices.join(', ')}`;
