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
      return isOpen(status);
    case EventKind.Controlled:
      return isOpen(status) || status === Status.Controlled;
  }
}

/** Statuses in which the declarant may still amend or cancel (before release). */
export const isOpen = (status: Status | null): boolean =>
  status === Status.Accepted || status === Status.Amended;

export type Action = 'amend' | 'cancel' | 'record_control';

/** What the caller may do next with a declaration it can see. */
export function allowedActions(status: Status, actor: Actor, office?: string): Action[] {
  const open = isOpen(status);
  if (actor.role === Role.Trader || actor.role === Role.Declarant) return open ? ['amend', 'cancel'] : [];
  if (status === Status.Cancelled) return [];
  if (actor.role === Role.Supervisor) return open ? ['cancel', 'record_control'] : ['record_control'];
  // an officer records controls at their own office (one without an office works everywhere)
  if (actor.role === Role.Officer && (!actor.office || !office || actor.office === office))
    return ['record_control'];
  return [];
}
