/** The risk performance report as GET /api/risk/performance serves it, and how its numbers read. */

export interface GroupStats {
  assessed: number;
  controlled: number;
  positives: number;
  hitRate: number | null;
  revenueRecovered: number;
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

/** A rate in percent rounded for a chart; null leaves a gap in a line. */
export const chartPercent = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

export const liftText = (x: number | null) => (x === null ? '–' : `× ${x.toFixed(2)}`);
