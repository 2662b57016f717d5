/**
 * The histogram of a stage's times in people's words: each bucket of the study (minutes, `from`
 * inclusive, `to` exclusive, null unbounded) as "under 15 min", "1–2 h", "3 days–a week", "a week or
 * more"; below zero, for the time from arrival to lodging, is "before arrival".
 */
import type { StageKey, StageStats, Times } from './types.ts';

export type Bucket = Times['buckets'][number];

/** A number of minutes as its number and unit: 15 → 15 min, 120 → 2 h, 2880 → 2 days, 10080 → a week. */
function amount(minutes: number): { n: string; unit: string } {
  if (minutes % 10080 === 0)
    return minutes === 10080 ? { n: 'a', unit: 'week' } : { n: String(minutes / 10080), unit: 'weeks' };
  if (minutes % 1440 === 0) return { n: String(minutes / 1440), unit: minutes === 1440 ? 'day' : 'days' };
  if (minutes % 60 === 0) return { n: String(minutes / 60), unit: 'h' };
  return { n: String(minutes), unit: 'min' };
}

const words = (a: { n: string; unit: string }) => `${a.n} ${a.unit}`;
/** "day" and "days" are one unit: "1–2 days". */
const sameUnit = (a: string, b: string) => a.replace(/s$/, '') === b.replace(/s$/, '');

/** A bucket in words; `stage` says what a time below zero means. */
export function bucketLabel(bucket: Bucket, stage: StageKey): string {
  if (bucket.from === null) return stage === 'arrivalToLodging' ? 'before arrival' : 'below zero';
  if (bucket.to === null) return `${words(amount(bucket.from))} or more`;
  const to = amount(bucket.to);
  if (bucket.from === 0) return `under ${words(to)}`;
  const from = amount(bucket.from);
  return sameUnit(from.unit, to.unit) ? `${from.n}–${words(to)}` : `${words(from)}–${words(to)}`;
}

export interface Bar {
  label: string;
  declarations: number;
  /** Of the stage's declarations. */
  share: number;
}

/**
 * The bars of a stage's histogram, shortest times first: every bucket from zero on, and the one
 * below zero where it holds a declaration or the stage may go below zero (arrival to lodging).
 */
export function barsOf(buckets: readonly Bucket[], stats: StageStats): Bar[] {
  return buckets.flatMap((bucket, i) => {
    const declarations = stats.histogram[i] ?? 0;
    if (bucket.from === null && declarations === 0 && stats.stage !== 'arrivalToLodging') return [];
    const share = stats.count > 0 ? declarations / stats.count : 0;
    return [{ label: bucketLabel(bucket, stats.stage), declarations, share }];
  });
}
