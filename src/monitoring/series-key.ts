/**
 * What a monitored series is: a dimension and a key (`total`, `chapter:85`, `origin:CN`,
 * `office:030`), a measure and a period unit. The key's text is what the API and the alerts use.
 */
import { err, ok, type Result } from '../shared/result.ts';

export const Dimension = { Total: 'total', Chapter: 'chapter', Origin: 'origin', Office: 'office' } as const;
export type Dimension = (typeof Dimension)[keyof typeof Dimension];
export const dimensions: readonly Dimension[] = Object.values(Dimension);

export const Measure = { Declarations: 'declarations', Value: 'value', Duty: 'duty' } as const;
export type Measure = (typeof Measure)[keyof typeof Measure];
export const measures: readonly Measure[] = Object.values(Measure);

/** Weeks start on Monday (ISO 8601), as PostgreSQL's date_trunc has it. */
export const MonitorPeriod = { Week: 'week', Month: 'month' } as const;
export type MonitorPeriod = (typeof MonitorPeriod)[keyof typeof MonitorPeriod];
export const monitorPeriods: readonly MonitorPeriod[] = Object.values(MonitorPeriod);

/** Periods in a season: a year. */
export const seasonLength: Record<MonitorPeriod, number> = { week: 52, month: 12 };

export interface SeriesKey {
  dimension: Dimension;
  /** '' for the total. */
  key: string;
}

export const seriesKeyText = (s: SeriesKey): string =>
  s.dimension === Dimension.Total ? 'total' : `${s.dimension}:${s.key}`;

const patterns: Record<Exclude<Dimension, 'total'>, { re: RegExp; words: string }> = {
  chapter: { re: /^\d{2}$/, words: 'two digits' },
  origin: { re: /^[A-Z]{2}$/, words: 'two capital letters' },
  office: { re: /^[A-Za-z0-9-]{1,17}$/, words: '1 to 17 letters, digits or hyphens' },
};

/** `total`, or `chapter:85`, `origin:CN`, `office:030`. */
export function parseSeriesKey(
  text: string,
): Result<SeriesKey, { code: 'invalid_request'; message: string }> {
  if (text === 'total') return ok({ dimension: Dimension.Total, key: '' });
  const at = text.indexOf(':');
  const dimension = text.slice(0, at);
  const key = text.slice(at + 1);
  const pattern = at > 0 && dimension in patterns ? patterns[dimension as keyof typeof patterns] : undefined;
  if (!pattern)
    return err({
      code: 'invalid_request',
      message: `key must be total, chapter:NN, origin:CC or office:CODE, not "${text}"`,
    });
  if (!pattern.re.test(key))
    return err({ code: 'invalid_request', message: `key: a ${dimension} is ${pattern.words}, not "${key}"` });
  return ok({ dimension: dimension as Dimension, key });
}
