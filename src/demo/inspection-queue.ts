/**
 * The physical inspections of an office, first come first served, simulated day by day: each open
 * day gives the office its places (a fractional rate accumulates, so an office doing one
 * inspection every other day gets 0.5 a day), the declarations waiting longest take them, and what
 * does not fit waits for the next open day. When more arrive than the office can inspect, the queue
 * and every wait behind it grow until quieter days let it drain.
 */
import { dayMs, hourMs, openingOf, type OfficeProfile } from './office-hours.ts';

export interface WaitingInspection {
  id: number;
  /** When the inspection can be planned: scheduled by an officer and the goods arrived. */
  readyAt: number;
}

/** Declarations ready after this share of the open day wait for the next one. */
const sameDayShare = 0.5;
/** Places never accumulate beyond a day's worth (or one inspection): idle days are not saved. */
const carryLimit = (perDay: number) => Math.max(1, perDay);

/**
 * The planned start of each declaration's inspection at one office, given its places per open day.
 * Inspections of a day start one after another from opening, spread over the open hours.
 */
export function planInspections(
  waiting: readonly WaitingInspection[],
  perDay: number,
  profile: OfficeProfile,
): Map<number, number> {
  if (!(perDay > 0)) throw new RangeError(`inspections per day must be positive, got ${perDay}`);
  const planned = new Map<number, number>();
  const arrivals = [...waiting].sort((a, b) => a.readyAt - b.readyAt || a.id - b.id);
  const queue: WaitingInspection[] = [];
  let head = 0;
  let next = 0;
  let places = 0;
  let day = arrivals.length ? Math.floor((arrivals[0]?.readyAt ?? 0) / dayMs) * dayMs : 0;
  while (next < arrivals.length || head < queue.length) {
    const opening = openingOf(day, profile);
    if (opening) {
      const cutoff = opening.open + (opening.close - opening.open) * sameDayShare;
      for (let a = arrivals[next]; a !== undefined && a.readyAt <= cutoff; a = arrivals[++next])
        queue.push(a);
      places = Math.min(places + perDay, carryLimit(perDay));
      const today = Math.min(queue.length - head, Math.floor(places + 1e-9));
      places -= today;
      const spacing = Math.min(2 * hourMs, (opening.close - opening.open) / Math.max(1, today));
      for (let k = 0; k < today; k++) {
        const d = queue[head++];
        if (d) planned.set(d.id, Math.max(d.readyAt, opening.open + k * spacing));
      }
    }
    day += dayMs;
  }
  return planned;
}
