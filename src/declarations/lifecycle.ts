/**
 * The life of a declaration as events. The status is a pure function of the events, and the
 * actions a caller may take next follow from the status and the caller's relation to it.
 */
import { Role, type Actor } from '../governance/roles.ts';
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
  lane?: string;
}

/** What the caller may do next with a declaration it can see. */
export function allowedActions(d: ActionSubject, actor: Actor): Action[] {
  const open = isOpen(d.status);
  if (actor.role === Role.Trader || actor.role === Role.Declarant) return open ? ['amend', 'cancel'] : [];
  if (d.status === Status.Cancelled) return [];
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
  // an officer works at their own office (one without an office works everywhere), and leaves
  // alone what a colleague took or was assigned
  const atOffice = !actor.office || actor.office === d.office;
  if (actor.role !== Role.Officer || !atOffice) return [];
  if (d.assignedTo !== undefined && d.assignedTo !== actor.username) return [];
  return open && d.assignedTo === undefined ? ['take', 'record_control'] : ['record_control'];
}
