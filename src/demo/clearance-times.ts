/**
 * Realistic stage times for demo declarations, from lodging to release (the clearance contract's
 * events): pure and deterministic by seed. Traders lodge mostly in office hours; acceptance and
 * assessment are automatic, at any hour; what waits for staff (document checks, inspections,
 * release decisions) takes open hours of the office, so weekends and nights add time, and some
 * offices are slower. Red-lane inspections queue for the office's places per open day
 * (inspection-queue.ts), so waits grow when more arrive than it can inspect. Each declaration draws
 * from its own stream (seed and id), so the same seed gives the same times whatever else is given.
 * Each history goes on from the assessment's `duties_assessed`, and its status is the lifecycle's
 * (deriveStatus), which also refuses a history that could not happen.
 */
import { deriveStatus, EventKind } from '../declarations/lifecycle.ts';
import type { Status } from '../declarations/model.ts';
import { toDayNumber } from './calendar.ts';
import {
  automaticRelease,
  decision,
  documentCheck,
  inspection,
  schedulingOf,
  StageKind,
  systemActor,
  type FlowContext,
  type SimulatedControl,
  type StageEvent,
  type Truth,
} from './clearance-stages.ts';
import { planInspections } from './inspection-queue.ts';
import { dayMs, hourMs, minuteMs, openingOf, profileOf } from './office-hours.ts';
import { Random } from './random.ts';
import { TransportMode } from './traders.ts';

export { StageKind, type SimulatedControl, type StageEvent, type Truth } from './clearance-stages.ts';

/** A stored demo declaration, as far as its clearance depends on it. */
export interface ClearanceSubject {
  id: number;
  /** Declaration date, YYYY-MM-DD: the day it is lodged. */
  date: string;
  office: string;
  lane: string;
  transportMode: string | null;
  /** The duty it owes, as its assessment assessed it (clearance/duties.ts, declarationDuty). */
  duty: { amount: number; currency: string };
  /** What a control finds: its historical control result; compliant when it has none. */
  truth: Truth | null;
}

export interface SimulatedClearance {
  id: number;
  lodgedAt: number;
  acceptedAt: number;
  assessedAt: number;
  /**
   * The events after `assessed`, in the order they happened: the assessment's `duties_assessed`,
   * then the stages up to `until`.
   */
  events: StageEvent[];
  /** The status the whole history leaves, as the lifecycle derives it (deriveStatus). */
  status: Status;
  /** The control result, when its `controlled` event is among the events. */
  control: SimulatedControl | null;
}

export interface ClearanceOptions {
  seed: number;
  /** Nothing later happens yet: the declarations still in progress then stop there. */
  until: number;
  /** Who records the officers' and traders' steps ('demo' when not given). */
  actor?: string;
  /** Inspections per open day by office; otherwise from each office's red lane and headroom. */
  inspectionsPerDay?: Readonly<Record<string, number>>;
  /**
   * The latest this many red or yellow declarations of each office, and at most a quarter of them,
   * wait for an officer: their stages stop before the control result, so the office's worklist
   * holds work (none when not given).
   */
  awaitingOfficers?: number;
}

/** Where the goods are when lodged: lodged before arrival (share `pre`), or after, by hours. */
const arrivalByMode: Record<string, { pre: number; after: number; before: number; sigma: number }> = {
  [TransportMode.Sea]: { pre: 0.55, after: 36, before: 30, sigma: 0.7 },
  [TransportMode.Air]: { pre: 0.4, after: 5, before: 4, sigma: 0.7 },
  [TransportMode.Road]: { pre: 0, after: 1, before: 0.75, sigma: 0.6 },
  [TransportMode.Postal]: { pre: 0, after: 24, before: 48, sigma: 0.7 },
};
const otherMode = { pre: 0, after: 12, before: 12, sigma: 0.8 };

interface Draft {
  subject: ClearanceSubject;
  random: Random;
  context: FlowContext;
  lodgedAt: number;
  acceptedAt: number;
  /** A red declaration's inspection: when scheduled, and when it can take place. */
  scheduledAt: number;
  readyAt: number;
}

/** The stage events of each declaration dated up to `until` (the others are left out). */
export function simulateClearance(
  subjects: readonly ClearanceSubject[],
  options: ClearanceOptions,
): SimulatedClearance[] {
  const drafts = subjects
    .filter((s) => toDayNumber(s.date) * dayMs < options.until)
    .map((s) => begin(s, options));
  const planned = new Map<number, number>();
  for (const [office, waiting] of redsByOffice(drafts)) {
    const perDay = options.inspectionsPerDay?.[office] ?? usualCapacity(office, waiting, drafts);
    const plan = planInspections(
      waiting.map((d) => ({ id: d.subject.id, readyAt: d.readyAt })),
      perDay,
      profileOf(office),
    );
    for (const [id, at] of plan) planned.set(id, at);
  }
  const waiting = awaitingOfficers(drafts, options.awaitingOfficers ?? 0);
  return drafts.map((d) => finish(d, planned.get(d.subject.id), options.until, waiting.has(d.subject.id)));
}

/** The ids of each office's latest red or yellow declarations: `perOffice`, at most a quarter. */
function awaitingOfficers(drafts: readonly Draft[], perOffice: number): Set<number> {
  const byOffice = new Map<string, Draft[]>();
  for (const d of drafts) {
    if (d.subject.lane !== 'red' && d.subject.lane !== 'yellow') continue;
    const list = byOffice.get(d.subject.office) ?? [];
    list.push(d);
    byOffice.set(d.subject.office, list);
  }
  const ids = new Set<number>();
  for (const list of byOffice.values())
    for (const d of list
      .sort((a, b) => b.lodgedAt - a.lodgedAt)
      .slice(0, Math.min(perOffice, Math.ceil(list.length / 4))))
      ids.add(d.subject.id);
  return ids;
}

function begin(s: ClearanceSubject, options: ClearanceOptions): Draft {
  const random = new Random(options.seed, s.id);
  const start = toDayNumber(s.date) * dayMs;
  // most lodge between 7 and 19, around the middle of the day; some software lodges at night
  const hour = random.chance(0.08) ? random.between(0, 24) : 7 + 6 * (random.next() + random.next());
  let lodgedAt = start + hour * hourMs;
  const latest = options.until - 10 * minuteMs;
  if (lodgedAt > latest) lodgedAt = start + Math.max(0, latest - start) * random.next();
  const acceptedAt = lodgedAt + random.logNormal(90, 0.5) * 1000;
  const assessedAt = acceptedAt + random.logNormal(40, 0.6) * 1000;
  const checked = s.lane === 'red' || s.lane === 'yellow';
  const mode = arrivalByMode[s.transportMode ?? ''] ?? otherMode;
  // the goods of a declaration released at assessment or payment are there when it is lodged
  const preArrival = checked && random.chance(mode.pre);
  const arrivedAt = preArrival
    ? lodgedAt + random.logNormal(mode.after, mode.sigma) * hourMs
    : lodgedAt - random.logNormal(mode.before, mode.sigma) * hourMs;
  const context: FlowContext = {
    random,
    profile: profileOf(s.office),
    actor: options.actor ?? 'demo',
    reference: `D${s.id}`,
    assessedAt,
    arrivedAt,
    duty: s.duty,
    truth: s.truth ?? { outcome: 'compliant', irregularity: null },
  };
  const scheduledAt = s.lane === 'red' ? schedulingOf(context) : assessedAt;
  return {
    subject: s,
    random,
    context,
    lodgedAt,
    acceptedAt,
    scheduledAt,
    readyAt: Math.max(scheduledAt, arrivedAt),
  };
}

function redsByOffice(drafts: readonly Draft[]): Map<string, Draft[]> {
  const byOffice = new Map<string, Draft[]>();
  for (const d of drafts) {
    if (d.subject.lane !== 'red') continue;
    const list = byOffice.get(d.subject.office) ?? [];
    list.push(d);
    byOffice.set(d.subject.office, list);
  }
  return byOffice;
}

/** The office's red declarations per open day over the period, times its headroom. */
function usualCapacity(office: string, reds: readonly Draft[], all: readonly Draft[]): number {
  const profile = profileOf(office);
  let first = Infinity;
  let last = -Infinity;
  for (const d of all) {
    first = Math.min(first, d.lodgedAt);
    last = Math.max(last, d.lodgedAt);
  }
  let openDays = 0;
  for (let day = Math.floor(first / dayMs); day <= Math.floor(last / dayMs); day++)
    if (openingOf(day * dayMs, profile)) openDays += 1;
  return Math.max(0.05, (reds.length / Math.max(1, openDays)) * profile.inspectionHeadroom);
}

function finish(
  d: Draft,
  plannedAt: number | undefined,
  until: number,
  awaitingOfficer: boolean,
): SimulatedClearance {
  const c = d.context;
  const arrived: StageEvent = {
    kind: StageKind.Arrived,
    // an arrival before lodging is recorded with the declaration, one after it when it happens
    at: Math.max(c.arrivedAt, c.assessedAt),
    actor: c.actor,
    data: { arrivedAt: new Date(c.arrivedAt).toISOString() },
  };
  const check =
    d.subject.lane === 'red'
      ? inspection(c, d.scheduledAt, plannedAt ?? d.readyAt)
      : d.subject.lane === 'yellow'
        ? documentCheck(c)
        : null;
  const all: StageEvent[] = [arrived];
  if (check) {
    const { control } = check;
    const data: Record<string, unknown> = { outcome: control.outcome };
    if (control.irregularity) data.irregularity = control.irregularity;
    if (control.severity) data.severity = control.severity;
    if (control.seizure) data.seizure = true;
    all.push(...check.events, { kind: StageKind.Controlled, at: control.at, actor: c.actor, data });
    all.push(...decision(c, control));
  } else all.push(...automaticRelease(c));
  // in time order; a stable sort keeps the order of steps taken at the same moment
  // work left for the officers stops before their control result (and what their checks record);
  // the goods still arrive when they do
  const leftToOfficers = (e: StageEvent) =>
    awaitingOfficer &&
    check !== null &&
    (byOfficer(e) || (e.kind !== StageKind.Arrived && e.at >= check.control.at));
  const stages = all.sort((a, b) => a.at - b.at).filter((e) => e.at <= until && !leftToOfficers(e));
  // the duty was assessed with the lane, as the assessment records it (its `duties_assessed`)
  const dutiesAssessed: StageEvent = {
    kind: StageKind.DutiesAssessed,
    at: c.assessedAt,
    actor: systemActor,
    data: { currency: c.duty.currency, duty: c.duty.amount },
  };
  const events = [dutiesAssessed, ...stages];
  const controlled = check && events.some((e) => e.kind === StageKind.Controlled) ? check.control : null;
  return {
    id: d.subject.id,
    lodgedAt: d.lodgedAt,
    acceptedAt: d.acceptedAt,
    assessedAt: c.assessedAt,
    events,
    // the lifecycle's own rule: a history it would refuse throws here, before anything is stored
    status: deriveStatus([...assessedHistory, ...events]),
    control: controlled,
  };
}

/** The steps an officer takes in a check, which work left for the officers has not had yet. */
const byOfficer = (e: StageEvent): boolean =>
  e.kind === StageKind.DocumentsChecked ||
  e.kind === StageKind.InspectionCompleted ||
  e.kind === StageKind.InspectionStarted;

/** What a declaration's history is up to its assessment. */
const assessedHistory = [EventKind.Lodged, EventKind.Accepted, EventKind.Assessed].map((kind) => ({ kind }));
