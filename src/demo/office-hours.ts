/**
 * The demo offices' working hours and pace, and time counted in open hours: what a step that waits
 * for staff takes (a document check, an inspection, a release decision) starts when the office is
 * open and stops overnight and at weekends. Times are milliseconds since the epoch; hours are UTC,
 * the demo's clock.
 */

export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;

/** Opening and closing hour of a day, or null when closed. */
export type Hours = readonly [open: number, close: number] | null;

export interface OfficeProfile {
  /** Hours by weekday, Sunday first. */
  hours: readonly Hours[];
  /** Multiplies the time its staff take per step (1 the usual pace, above 1 slower). */
  pace: number;
  /**
   * Inspections it can do per open day, as a multiple of its red lane's average arrivals per open
   * day: close to 1 and queues grow whenever more arrive than usual; well above 1 and they clear.
   */
  inspectionHeadroom: number;
  /** Where its inspections take place. */
  place: string;
}

const weekdays = (open: number, close: number, saturday: Hours = null, sunday: Hours = null): Hours[] => [
  sunday,
  [open, close],
  [open, close],
  [open, close],
  [open, close],
  [open, close],
  saturday,
];

/** Banks and the traders' accounts departments: when most payments are made. */
export const bankHours: OfficeProfile = {
  hours: weekdays(9, 16),
  pace: 1,
  inspectionHeadroom: 1,
  place: 'bank',
};

/** The demo offices (demo/traders.ts): busy ports and airports, a road border, the postal office. */
export const officeProfiles: Readonly<Record<string, OfficeProfile>> = {
  '030': {
    hours: weekdays(8, 20, [8, 13]),
    pace: 1,
    inspectionHeadroom: 1.4,
    place: 'container terminal examination shed',
  },
  '020': { hours: weekdays(8, 18), pace: 1.6, inspectionHeadroom: 1.05, place: 'port examination shed' },
  '062': { hours: weekdays(8, 17), pace: 1.3, inspectionHeadroom: 1.2, place: 'port inspection area' },
  '080': { hours: weekdays(8, 18), pace: 1.1, inspectionHeadroom: 1.3, place: 'port inspection area' },
  '040': {
    hours: Array<Hours>(7).fill([6, 22]),
    pace: 0.8,
    inspectionHeadroom: 1.5,
    place: 'air cargo terminal',
  },
  '016': { hours: weekdays(7, 19, [7, 19]), pace: 1, inspectionHeadroom: 1.3, place: 'air cargo warehouse' },
  '013': { hours: weekdays(8, 16), pace: 1.5, inspectionHeadroom: 1.1, place: 'postal examination room' },
  '010': {
    hours: Array<Hours>(7).fill([0, 24]),
    pace: 0.9,
    inspectionHeadroom: 1.6,
    place: 'border inspection lane',
  },
};

/** Any other office: weekdays 8 to 18 at the usual pace. */
export const defaultProfile: OfficeProfile = {
  hours: weekdays(8, 18),
  pace: 1,
  inspectionHeadroom: 1.3,
  place: 'inspection area',
};

export const profileOf = (office: string): OfficeProfile => officeProfiles[office] ?? defaultProfile;

/** 0 for Sunday .. 6 for Saturday (1970-01-01, day 0, was a Thursday). */
export const weekdayOf = (t: number): number => (Math.floor(t / dayMs) + 4) % 7;

/** The opening and closing moments of the day of `t`, or null when the office is closed that day. */
export function openingOf(t: number, p: OfficeProfile): { open: number; close: number } | null {
  const start = Math.floor(t / dayMs) * dayMs;
  const hours = p.hours[weekdayOf(t)];
  return hours ? { open: start + hours[0] * hourMs, close: start + hours[1] * hourMs } : null;
}

/** The first moment at or after `t` when the office is open. */
export function nextOpen(t: number, p: OfficeProfile): number {
  let day = t;
  for (let i = 0; i < 8; i++) {
    const opening = openingOf(day, p);
    if (opening && t < opening.close) return Math.max(t, opening.open);
    day = (Math.floor(day / dayMs) + 1) * dayMs;
  }
  throw new RangeError('the office is never open');
}

/** The moment `minutes` of the office's open time after `t` (work started at or after `t`). */
export function addWorking(t: number, minutes: number, p: OfficeProfile): number {
  let left = Math.max(0, minutes) * minuteMs;
  let now = nextOpen(t, p);
  for (;;) {
    const opening = openingOf(now, p);
    if (!opening) throw new Error('nextOpen returned a closed day');
    if (now + left <= opening.close) return now + left;
    left -= opening.close - now;
    now = nextOpen(opening.close, p);
  }
}
