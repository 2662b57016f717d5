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
  /** The goods arrived (data.arrivedAt, which may be before lodging), reported by a party or an officer. */
  Arrived: 'arrived',
  DocumentsRequested: 'documents_requested',
  DocumentsProvided: 'documents_provided',
  DocumentsChecked: 'documents_checked',
  InspectionScheduled: 'inspection_scheduled',
  InspectionStarted: 'inspection_started',
  InspectionCompleted: 'inspection_completed',
  /** The duty owed, at assessment and again after an amendment (data {currency, duty}). */
  DutiesAssessed: 'duties_assessed',
  Paid: 'paid',
  Guaranteed: 'guaranteed',
  Released: 'released',
  Detained: 'detained',
  Seized: 'seized',
  Refused: 'refused',
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export interface DeclarationEvent {
  seq: number;
  kind: EventKind;
  at: string;
  actor: string;
  data: Record<string, unknown> | null;
}

/** Statuses in which the goods still wait for a decision: checks, payment and release happen in them. */
const live = [Status.Accepted, Status.Amended, Status.Controlled, Status.Detained] as const;
/** Statuses a control result may have been recorded before (released, detained, seized, refused after it). */
const afterControl = [
  Status.Controlled,
  Status.Released,
  Status.Detained,
  Status.Seized,
  Status.Refused,
] as const;

/**
 * What each event may follow and what it leaves: `from` lists the statuses it may be appended in
 * (null: before acceptance), `to` the status after it (null: unchanged). Assessment, assignment and
 * rerouting concern open work only: a declaration controlled before it was assessed is not assessed
 * afterwards (its control is done and would take no place). A historical control result imported
 * with a declaration is a record of another system, not an event: it leaves the declaration open.
 * Arrival, document and inspection stages and payments happen while the goods wait (`live`);
 * released, seized and refused are final, like cancelled; detained waits for one of those.
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
  control_corrected: { from: afterControl, to: null },
  arrived: { from: live, to: null },
  documents_requested: { from: live, to: null },
  documents_provided: { from: live, to: null },
  documents_checked: { from: live, to: null },
  inspection_scheduled: { from: live, to: null },
  inspection_started: { from: live, to: null },
  inspection_completed: { from: live, to: null },
  duties_assessed: { from: [Status.Accepted, Status.Amended], to: null },
  paid: { from: live, to: null },
  guaranteed: { from: live, to: null },
  released: { from: live, to: Status.Released },
  detained: { from: [Status.Accepted, Status.Amended, Status.Controlled], to: Status.Detained },
  seized: { from: live, to: Status.Seized },
  refused: { from: live, to: Status.Refused },
};

/**
 * Appending `kind` to a stored declaration: the statuses it may have (`from`) and the status it
 * then has (`to`, or null for unchanged). Storage applies both in one conditional UPDATE.
 */
export const transitionOf = (kind: EventKind): { from: Status[]; to: Status | null } => ({
  from: transitions[kind].from.filter((s): s is Status => s !== null),
  to: transitions[kind].to,
});

/**
 * Where a declaration's stages stand, from its events: what the order of the stages depends on
 * beyond the status. A new request for documents or a new inspection may follow a finished one.
 */
export interface Progress {
  arrived: boolean;
  documents: 'none' | 'requested' | 'provided' | 'checked';
  inspection: 'none' | 'scheduled' | 'started' | 'completed';
  /** A control result was recorded (an officer's, as an event). */
  controlled: boolean;
}

export const noProgress: Progress = {
  arrived: false,
  documents: 'none',
  inspection: 'none',
  controlled: false,
};

/** The progress after one more event (which `orderRefusal` allowed). */
export function progressAfter(p: Progress, kind: EventKind): Progress {
  switch (kind) {
    case EventKind.Arrived:
      return { ...p, arrived: true };
    case EventKind.DocumentsRequested:
      return { ...p, documents: 'requested' };
    case EventKind.DocumentsProvided:
      return { ...p, documents: 'provided' };
    case EventKind.DocumentsChecked:
      return { ...p, documents: 'checked' };
    case EventKind.InspectionScheduled:
      return { ...p, inspection: 'scheduled' };
    case EventKind.InspectionStarted:
      return { ...p, inspection: 'started' };
    case EventKind.InspectionCompleted:
      return { ...p, inspection: 'completed' };
    case EventKind.Controlled:
      return { ...p, controlled: true };
    default:
      return p;
  }
}

/** The progress of a history of events. */
export const progressOf = (events: readonly Pick<DeclarationEvent, 'kind'>[]): Progress =>
  events.reduce((p, e) => progressAfter(p, e.kind), noProgress);

/**
 * Why `kind` cannot come next in the order of the stages (null: it can, as far as the order goes;
 * the status is `transitions`' business): the arrival once; documents provided only when requested,
 * checked only when provided; an inspection started when scheduled, completed when started; a
 * correction only of a recorded control result.
 */
export function orderRefusal(p: Progress, kind: EventKind): string | null {
  switch (kind) {
    case EventKind.Arrived:
      return p.arrived ? 'the arrival of its goods was reported already' : null;
    case EventKind.DocumentsRequested:
      return p.documents === 'requested'
        ? 'documents were requested already and are not provided yet'
        : p.documents === 'provided'
          ? 'the documents provided are not checked yet'
          : null;
    case EventKind.DocumentsProvided:
      return p.documents === 'requested'
        ? null
        : p.documents === 'provided'
          ? 'the documents were provided already'
          : 'no documents were requested';
    case EventKind.DocumentsChecked:
      return p.documents === 'provided'
        ? null
        : p.documents === 'requested'
          ? 'the documents requested are not provided yet'
          : 'no documents were provided to check';
    case EventKind.InspectionScheduled:
      return p.inspection === 'scheduled' || p.inspection === 'started'
        ? `an inspection is ${p.inspection} already`
        : null;
    case EventKind.InspectionStarted:
      return p.inspection === 'scheduled'
        ? null
        : p.inspection === 'started'
          ? 'the inspection started already'
          : 'no inspection is scheduled';
    case EventKind.InspectionCompleted:
      return p.inspection === 'started'
        ? null
        : p.inspection === 'scheduled'
          ? 'the inspection has not started'
          : 'no inspection is under way';
    case EventKind.ControlCorrected:
      return p.controlled ? null : 'it has no control result';
    default:
      return null;
  }
}

/** The current status after a history of events; throws on a history that cannot happen. */
export function deriveStatus(events: readonly Pick<DeclarationEvent, 'kind'>[]): Status {
  let status: Status | null = null;
  let progress = noProgress;
  events.forEach((event, i) => {
    const allowed = i === 0 ? event.kind === EventKind.Lodged : transitions[event.kind].from.includes(status);
    if (!allowed) throw new Error(`event ${event.kind} cannot follow ${status ?? 'nothing'} (position ${i})`);
    const outOfOrder = orderRefusal(progress, event.kind);
    if (outOfOrder) throw new Error(`event ${event.kind} cannot come now: ${outOfOrder} (position ${i})`);
    progress = progressAfter(progress, event.kind);
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

/** Released, seized, refused and cancelled declarations change no more. */
export const isFinal = (status: Status): boolean => !live.some((s) => s === status);

/** The statuses in which goods wait for a decision (arrival, checks, payment, release). */
export const liveStatuses: readonly Status[] = live;

export type Action =
  'amend' | 'cancel' | 'take' | 'assign' | 'reroute' | 'record_control' | 'correct_control' | ClearanceAction;

/** The actions of clearance, each appending its event. */
export const clearanceActions = {
  report_arrival: EventKind.Arrived,
  request_documents: EventKind.DocumentsRequested,
  provide_documents: EventKind.DocumentsProvided,
  check_documents: EventKind.DocumentsChecked,
  schedule_inspection: EventKind.InspectionScheduled,
  start_inspection: EventKind.InspectionStarted,
  complete_inspection: EventKind.InspectionCompleted,
  record_payment: EventKind.Paid,
  record_guarantee: EventKind.Guaranteed,
  release: EventKind.Released,
  detain: EventKind.Detained,
  seize: EventKind.Seized,
  refuse: EventKind.Refused,
} as const;
export type ClearanceAction = keyof typeof clearanceActions;
const clearanceActionList = Object.keys(clearanceActions) as ClearanceAction[];

/** What the trader and the declarant of record do. */
const partyActions: readonly Action[] = ['amend', 'cancel', 'report_arrival', 'provide_documents'];
/** What an officer does whoever holds the work: arrival and payments are not control work. */
const anyOfficerActions: readonly Action[] = ['report_arrival', 'record_payment', 'record_guarantee'];

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
  /** Its stages so far (lifecycle's progressOf); without them, clearance actions follow the status alone. */
  progress?: Progress;
}

/** A clearance action the status and, when known, the order of the stages allow. */
function clearanceAllowed(d: ActionSubject, action: ClearanceAction): boolean {
  const kind = clearanceActions[action];
  if (!transitions[kind].from.includes(d.status)) return false;
  return d.progress === undefined || orderRefusal(d.progress, kind) === null;
}

/**
 * What the caller may do next with a declaration it can see. The parties: the trader itself and the
 * declarant of record amend and cancel while the declaration is open, and report the arrival of the
 * goods and provide documents asked for until a decision; another declarant representing the same
 * trader reads it but does not change it. Officials act only on the work of the customs offices
 * they belong to: officers take and control it, request and check documents, inspect, record
 * payments and decide on release; supervisors also assign, reroute and cancel it. A declaration has
 * one control result: once controlled, only a supervisor of its office changes it, by a correction.
 * Risk analysts, auditors and the other roles only read.
 */
export function allowedActions(d: ActionSubject, actor: Actor): Action[] {
  const open = isOpen(d.status);
  if (actor.role === Role.Trader || actor.role === Role.Declarant) {
    if (!isPartyOfRecord(d, actor)) return [];
    return [
      ...(open ? (['amend', 'cancel'] as const) : []),
      ...(['report_arrival', 'provide_documents'] as const).filter((a) => clearanceAllowed(d, a)),
    ];
  }
  if (d.status === Status.Cancelled || !worksAt(actor, d.office)) return [];
  const clearance = (only?: readonly Action[]) =>
    clearanceActionList.filter(
      (a) => !partyActionOnly(a) && (only === undefined || only.includes(a)) && clearanceAllowed(d, a),
    );
  const correctable =
    transitions.control_corrected.from.includes(d.status) &&
    (d.progress ? d.progress.controlled : d.status === Status.Controlled);
  if (actor.role === Role.Supervisor) {
    if (!open) return [...(correctable ? (['correct_control'] as const) : []), ...clearance()];
    return [
      ...(d.assignedTo === undefined ? (['take'] as const) : []),
      'assign',
      ...(d.lane ? (['reroute'] as const) : []),
      'record_control',
      'cancel',
      ...clearance(),
    ];
  }
  // an officer leaves alone what a colleague took or was assigned (but for arrival and payments)
  if (d.assignedTo !== undefined && d.assignedTo !== actor.username) return clearance(anyOfficerActions);
  const work = open
    ? d.assignedTo === undefined
      ? (['take', 'record_control'] as const)
      : (['record_control'] as const)
    : [];
  return [...work, ...clearance()];
}

/** Providing documents is the party's; an officer records the rest (arrival too). */
const partyActionOnly = (a: ClearanceAction) => a === 'provide_documents';

/** The trader whose declaration it is, or the declarant who lodged it. */
const isPartyOfRecord = (d: ActionSubject, actor: Actor): boolean =>
  actor.partyId !== null &&
  (actor.role === Role.Trader ? d.trader === actor.partyId : d.declarant === actor.partyId);

/**
 * Whether the caller is someone who could take `action` on this declaration at some point: in a
 * role that does it, and the party of record or an official of its office. A refusal for someone
 * who could is about the declaration's state (a conflict); for anyone else, about who they are.
 */
export function actsOn(d: ActionSubject, actor: Actor, action: Action): boolean {
  const party = actor.role === Role.Trader || actor.role === Role.Declarant;
  if (party) return partyActions.includes(action) && isPartyOfRecord(d, actor);
  if (!worksAt(actor, d.office)) return false;
  if (action === 'amend' || action === 'provide_documents') return false;
  return (
    actor.role === Role.Supervisor ||
    !(action === 'assign' || action === 'reroute' || action === 'cancel' || action === 'correct_control')
  );
}

/** Why `action` is not among the caller's allowed actions, in words for the refusal. */
export function whyNotAllowed(d: ActionSubject & { id: number }, actor: Actor, action: Action): string {
  const what = `you cannot ${verbs[action]} declaration ${d.id}`;
  const party = actor.role === Role.Trader || actor.role === Role.Declarant;
  const partyAction = partyActions.includes(action);
  const officialAction = action !== 'amend' && action !== 'provide_documents';
  if (party ? !partyAction : !isOfficeBound(actor.role) || !officialAction)
    return `${what}: not in the ${actor.role.replace('_', ' ')} role`;
  if (
    actor.role === Role.Officer &&
    (action === 'assign' || action === 'reroute' || action === 'cancel' || action === 'correct_control')
  )
    return `${what}: a supervisor does that`;
  if (d.status === Status.Cancelled) return `${what}: it is cancelled`;
  if (party) {
    if (!isPartyOfRecord(d, actor))
      return `${what}: declarant ${d.declarant} lodged it for trader ${d.trader}, and only they may ${verbs[action]} it`;
  } else if (!worksAt(actor, d.office)) {
    const yours = actor.offices.length
      ? `you work at ${listOf(actor.offices)}`
      : 'you belong to no customs office';
    return `${what}: it is at office ${d.office}, and ${yours}`;
  }
  if (action === 'correct_control') {
    if (!transitions.control_corrected.from.includes(d.status)) return `${what}: it has no control result`;
    return d.progress && !d.progress.controlled ? `${what}: it has no control result` : what;
  }
  if (action in clearanceActions) {
    const kind = clearanceActions[action as ClearanceAction];
    if (!transitions[kind].from.includes(d.status)) return `${what}: it is ${d.status}`;
    const outOfOrder = d.progress ? orderRefusal(d.progress, kind) : null;
    if (outOfOrder) return `${what}: ${outOfOrder}`;
    if (
      actor.role === Role.Officer &&
      !anyOfficerActions.includes(action) &&
      d.assignedTo &&
      d.assignedTo !== actor.username
    )
      return `${what}: ${d.assignedTo} is working on it`;
    return what;
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
  correct_control: 'correct the control result of',
  report_arrival: 'report the arrival of the goods of',
  request_documents: 'request documents for',
  provide_documents: 'provide documents for',
  check_documents: 'check the documents of',
  schedule_inspection: 'schedule an inspection of',
  start_inspection: 'start the inspection of',
  complete_inspection: 'complete the inspection of',
  record_payment: 'record a payment for',
  record_guarantee: 'record a guarantee for',
  release: 'release',
  detain: 'detain',
  seize: 'seize',
  refuse: 'refuse the release of',
};

const listOf = (offices: readonly string[]) =>
  offices.length === 1 ? `office ${offices[0]}` : `offices ${offices.join(', ')}`;
