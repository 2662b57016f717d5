/**
 * The stages of a demo declaration after its assessment, as the clearance contract names them: the
 * payment of its duty (assessed with the lane), the yellow lane's document check, the red lane's inspection, and the
 * decision (released, or detained and then released, seized or refused). Steps that wait for
 * staff take open hours of the office (office-hours.ts); the trader's steps take calendar time.
 */
import { EventKind } from '../declarations/lifecycle.ts';
import {
  addWorking,
  bankHours,
  hourMs,
  minuteMs,
  nextOpen,
  dayMs,
  type OfficeProfile,
} from './office-hours.ts';
import type { Random } from './random.ts';

/** The event kinds the demo writes: the lifecycle's own. */
export const StageKind = EventKind;
export type StageKind = EventKind;

/** The actor of the steps the system takes by itself. */
export const systemActor = 'system';

export interface StageEvent {
  kind: StageKind;
  at: number;
  actor: string;
  data: Record<string, unknown>;
}

/** What a control found: the truth of the demo declaration (its historical result). */
export interface Truth {
  outcome: 'compliant' | 'non_compliant';
  irregularity: string | null;
}

/** The officer's control result the flow records with its `controlled` event. */
export interface SimulatedControl {
  at: number;
  outcome: Truth['outcome'];
  irregularity: string | null;
  severity: number;
  seizure: boolean;
  /** What the officer decides next. */
  decision: Decision;
}

export type Decision = 'released' | 'detained_released' | 'seized' | 'refused';

export interface FlowContext {
  random: Random;
  profile: OfficeProfile;
  /** Who records the officers' and traders' steps. */
  actor: string;
  reference: string;
  assessedAt: number;
  arrivedAt: number;
  duty: { amount: number; currency: string };
  truth: Truth;
}

/** Minutes of staff time for a step with a usual (median) length, at the office's pace. */
const staff = (c: FlowContext, medianMinutes: number, sigma = 0.6) =>
  c.random.logNormal(medianMinutes * c.profile.pace, sigma);

/**
 * The payment or guarantee of the duty, from `from` on (none when nothing is due). The duty itself
 * was assessed with the lane (`duties_assessed`, the assessment's own event).
 */
export function payment(c: FlowContext, from: number): StageEvent[] {
  if (c.duty.amount <= 0) return [];
  const { currency, amount } = c.duty;
  const reference = `${c.reference}-P`;
  if (c.random.chance(0.3)) {
    // a trader with a comprehensive guarantee: an officer draws on it
    const at = addWorking(from, staff(c, 15), c.profile);
    return [{ kind: StageKind.Guaranteed, at, actor: c.actor, data: { amount, currency, reference } }];
  }
  // most pay by bank transfer in banking hours, after their accounts department saw the notice;
  // some pay online at any hour
  const at = c.random.chance(0.2)
    ? from + c.random.logNormal(50, 0.8) * minuteMs
    : addWorking(from + c.random.logNormal(2, 0.8) * hourMs, c.random.logNormal(60, 0.7), bankHours);
  return [{ kind: StageKind.Paid, at, actor: c.actor, data: { amount, currency, reference } }];
}

/** The yellow lane: documents requested, provided after about a day, checked; the control result. */
export function documentCheck(c: FlowContext): { events: StageEvent[]; control: SimulatedControl } {
  const requested = addWorking(c.assessedAt, staff(c, 40, 0.7), c.profile);
  const provided = requested + c.random.logNormal(22, 0.5) * hourMs;
  const checked = addWorking(provided, staff(c, 60), c.profile);
  const controlled = addWorking(checked, staff(c, 10, 0.5), c.profile);
  const documents = c.random.chance(0.6)
    ? ['commercial invoice', 'transport document']
    : ['commercial invoice', 'certificate of origin'];
  const discrepancy = c.truth.outcome === 'non_compliant';
  return {
    events: [
      { kind: StageKind.DocumentsRequested, at: requested, actor: c.actor, data: { documents } },
      { kind: StageKind.DocumentsProvided, at: provided, actor: c.actor, data: {} },
      {
        kind: StageKind.DocumentsChecked,
        at: checked,
        actor: c.actor,
        data: { outcome: discrepancy ? 'discrepancy' : 'satisfactory' },
      },
    ],
    control: controlOf(c, controlled, false),
  };
}

/** The red lane: scheduled now for `plannedAt` (the office's queue), started, completed after hours. */
export function inspection(
  c: FlowContext,
  scheduledAt: number,
  plannedAt: number,
): { events: StageEvent[]; control: SimulatedControl } {
  const place = c.profile.place;
  const started = addWorking(plannedAt, c.random.logNormal(20, 0.6), c.profile);
  const completed = addWorking(started, staff(c, 150, 0.5), c.profile);
  const controlled = addWorking(completed, staff(c, 20, 0.5), c.profile);
  return {
    events: [
      {
        kind: StageKind.InspectionScheduled,
        at: scheduledAt,
        actor: c.actor,
        data: { plannedAt: new Date(plannedAt).toISOString(), place },
      },
      { kind: StageKind.InspectionStarted, at: started, actor: c.actor, data: { place } },
      { kind: StageKind.InspectionCompleted, at: completed, actor: c.actor, data: { place } },
    ],
    control: controlOf(c, controlled, true),
  };
}

/** When a red declaration's inspection is scheduled: soon after assessment, in open hours. */
export const schedulingOf = (c: FlowContext): number => addWorking(c.assessedAt, staff(c, 30), c.profile);

/** What follows a non-compliant control: most are released once the duty is corrected. */
function decide(c: FlowContext, red: boolean): Decision {
  if (c.truth.outcome === 'compliant') return 'released';
  const roll = c.random.next();
  if (!red) return roll < 0.9 ? 'released' : 'detained_released';
  return roll < 0.7 ? 'released' : roll < 0.88 ? 'detained_released' : roll < 0.95 ? 'seized' : 'refused';
}

function controlOf(c: FlowContext, at: number, red: boolean): SimulatedControl {
  const decision = decide(c, red);
  const compliant = c.truth.outcome === 'compliant';
  return {
    at,
    outcome: c.truth.outcome,
    irregularity: compliant ? null : (c.truth.irregularity ?? 'other'),
    // a seizure is the critical case (the KCS "Critical Fraud" scale)
    severity: compliant ? 0 : decision === 'seized' ? 2 : 1,
    seizure: decision === 'seized',
    decision,
  };
}

/**
 * After the control result: an officer releases once the duty is settled and the goods are there;
 * or detains them, and days later releases, seizes or refuses them.
 */
export function decision(c: FlowContext, control: SimulatedControl): StageEvent[] {
  const reason = `${control.irregularity?.replace('_', ' ') ?? 'irregularity'} found`;
  if (control.decision === 'seized' || control.decision === 'refused') {
    const detainedAt = addWorking(control.at, staff(c, 15), c.profile);
    const endAt = addWorking(detainedAt + c.random.logNormal(3, 0.5) * dayMs, staff(c, 60), c.profile);
    const end: StageEvent =
      control.decision === 'seized'
        ? { kind: StageKind.Seized, at: endAt, actor: c.actor, data: { reason: `${reason}: goods seized` } }
        : {
            kind: StageKind.Refused,
            at: endAt,
            actor: c.actor,
            data: { reason: `${reason}: release refused` },
          };
    return [{ kind: StageKind.Detained, at: detainedAt, actor: c.actor, data: { reason } }, end];
  }
  // the corrected duty of a non-compliant declaration is paid after the control
  const paid = payment(c, control.outcome === 'compliant' ? c.assessedAt : control.at);
  const events: StageEvent[] = [...paid];
  let from = Math.max(control.at, c.arrivedAt, ...paid.map((e) => e.at));
  if (control.decision === 'detained_released') {
    const detainedAt = addWorking(control.at, staff(c, 15), c.profile);
    events.push({ kind: StageKind.Detained, at: detainedAt, actor: c.actor, data: { reason } });
    from = Math.max(from, detainedAt + c.random.logNormal(2, 0.5) * dayMs);
  }
  const releasedAt = addWorking(nextOpen(from, c.profile), staff(c, 25, 0.7), c.profile);
  events.push({ kind: StageKind.Released, at: releasedAt, actor: c.actor, data: { automatic: false } });
  return events;
}

/** The green and blue lanes: released by the system at assessment, or when the duty is settled. */
export function automaticRelease(c: FlowContext): StageEvent[] {
  const paid = payment(c, c.assessedAt);
  const at = Math.max(c.assessedAt, ...paid.map((e) => e.at));
  return [...paid, { kind: StageKind.Released, at, actor: systemActor, data: { automatic: true } }];
}
