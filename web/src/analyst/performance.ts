/** The risk performance report as GET /api/risk/performance serves it, and how its numbers read. */

export interface GroupStats {
  assessed: number;
  controlled: number;
  positives: number;
  hitRate: number | null;
  /** one sum per currency, never added across currencies */
  revenueRecovered: CurrencyAmount[];
  /** the duty the controlled declarations owe by the tariff, one sum per currency */
  controlledDuty: CurrencyAmount[];
}

export interface CurrencyAmount {
  currency: string;
  amount: number;
}

export interface Outcomes {
  targeted: GroupStats;
  random: GroupStats;
  other: GroupStats;
  lift: number | null;
  nonCompliance: { rate: number; low: number; high: number; n: number } | null;
}

export interface PeriodReport extends Outcomes {
  period: string;
  drift: { n: number; mean: number; psiVsBaseline: number | null; modelIds: number[] };
}

export interface ProfilePrecision {
  id: number;
  code: string;
  version: number;
  status: string;
  selections: number;
  controls: number;
  positives: number;
  precision: number | null;
}

export interface Report {
  from: string;
  to: string;
  period: 'day' | 'week' | 'month';
  office: string | null;
  overall: Outcomes;
  periods: PeriodReport[];
  profiles: ProfilePrecision[];
}

/**
 * One amount per currency over the targeted, random and other controls: amounts of one currency
 * add up, different currencies never do. In currency order, to the cent.
 */
export function acrossGroups(o: Outcomes, of: (g: GroupStats) => CurrencyAmount[]): CurrencyAmount[] {
  const sums = new Map<string, number>();
  for (const g of [o.targeted, o.random, o.other]) {
    for (const { currency, amount } of of(g)) sums.set(currency, (sums.get(currency) ?? 0) + amount);
  }
  return [...sums]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, amount]) => ({ currency, amount: Math.round(amount * 100) / 100 }));
}

/** A rate in percent rounded for a chart; null leaves a gap in a line. */
export const chartPercent = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

export const liftText = (x: number | null) => (x === null ? '–' : `× ${x.toFixed(2)}`);
