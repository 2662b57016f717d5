/** How the data-quality page writes scores, trends and requests. */
import type { ScoreWindow } from './types.ts';

export { count, percent, periodName } from '../dashboards.ts';

/** A change of score in percentage points, one decimal; 0 when it rounds to nothing. */
export const points = (change: number) => Math.round(change * 1000) / 10;

/** A trader's key as a reader sees it: validations of no known trader have none. */
export const traderName = (key: string) => key || 'no known trader';

/** The query string of a request: empty values left out, so the server applies its defaults. */
export const search = (within: ScoreWindow, extra: Record<string, string> = {}) =>
  new URLSearchParams(Object.entries({ ...within, ...extra }).filter(([, v]) => v !== '')).toString();

export { problemOf } from '../api.ts';
