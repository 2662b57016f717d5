/** What the dashboards read from GET /api/stats/declarations and /api/stats/quality, and how they write it. */

export type Period = 'day' | 'week' | 'month';

interface Window {
  from: string;
  to: string;
  period: Period;
  /** the first day of each period */
  periods: string[];
  /** how many keys the last series adds up */
  otherKeys: number;
}

export interface DeclarationSeries {
  /** null: every key outside the top */
  key: string | null;
  label: string;
  total: { declarations: number; value: number; duty: number };
  declarations: number[];
  value: number[];
  /** import duty, by the tariff rates of the items, in the same currency as value */
  duty: number[];
}

export interface DeclarationStats extends Window {
  by: string | null;
  currency: string | null;
  currencies: { currency: string; declarations: number }[];
  total: { declarations: number; value: number; duty: number; cancelled: number };
  perPeriod: { declarations: number[]; value: number[]; duty: number[]; cancelled: number[] };
  series: DeclarationSeries[];
}

export interface QualitySeries {
  key: string | null;
  label: string;
  total: { findings: number; declarations: number };
  findings: number[];
  declarations: number[];
}

export interface QualityStats extends Window {
  by: string;
  total: { declarations: number; withFindings: number; findings: number; share: number | null };
  perPeriod: {
    declarations: number[];
    withFindings: number[];
    findings: number[];
    share: (number | null)[];
  };
  series: QualitySeries[];
}

export const declarationDimensions = [
  { value: '', label: 'Nothing: all declarations' },
  { value: 'section', label: 'HS section' },
  { value: 'chapter', label: 'HS chapter' },
  { value: 'origin', label: 'Origin' },
  { value: 'office', label: 'Office' },
  { value: 'lane', label: 'Lane' },
] as const;

export const qualityDimensions = [
  { value: 'field', label: 'Field' },
  { value: 'code', label: 'Finding' },
  { value: 'trader', label: 'Trader' },
] as const;

const counts = new Intl.NumberFormat('en');
const amounts = new Intl.NumberFormat('en', { minimumFractionDigits: 0, maximumFractionDigits: 2 });

export const count = (n: number) => counts.format(n);
export const amount = (n: number) => amounts.format(n);
/** A share as a percentage with one decimal, or a dash for a period without declarations. */
export const percent = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}\u00a0%`);

/** How a period is named in a chart axis and a table row. */
export function periodName(start: string, period: Period): string {
  if (period === 'month') return start.slice(0, 7);
  if (period === 'week') return `week of ${start}`;
  return start;
}

/**
 * A name short enough for a legend or a column: the code and the first clause of its title
 * ("XVI Machinery and mechanical appliances"), cut at 32 characters.
 */
export function shortName(label: string): string {
  const clause = label.split(/[;,]/)[0] ?? label;
  return clause.length > 32 ? `${clause.slice(0, 31).trimEnd()}…` : clause;
}

/** Colours with at least 3:1 contrast on white (WCAG AA for graphics), the rest in grey. */
export const palette = [
  '#1d4ed8',
  '#b42318',
  '#166534',
  '#7a4d00',
  '#6d28d9',
  '#0e7490',
  '#be185d',
  '#4d7c0f',
  '#c2410c',
  '#14324f',
  '#9a3412',
  '#5b21b6',
  '#0f766e',
  '#a16207',
  '#1e3a8a',
  '#831843',
  '#365314',
  '#7c2d12',
  '#312e81',
  '#134e4a',
];
export const otherColour = '#57606a';
