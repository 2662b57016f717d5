/** What the data-quality API sends (src/quality/routes.ts): scores per field or trader and period. */

export type Period = 'day' | 'week' | 'month';
export const periods: readonly Period[] = ['day', 'week', 'month'];

/** Each score is the share of checks that found nothing wrong (0 to 1); null without validations. */
export interface Scores {
  completeness: number | null;
  validity: number | null;
  consistency: number | null;
  overall: number | null;
}

export interface ScoreRow {
  /** The field path, or the trader ("" for validations of no known trader). */
  key: string;
  /** Declarations validated in the window. */
  checked: number;
  failed: { completeness: number; validity: number; consistency: number };
  scores: Scores;
  /** The last period with validations minus the one before it (null without two such periods). */
  trend: Scores;
  periods: (Scores & { period: string; checked: number })[];
}

export interface QualityScores {
  from: string;
  to: string;
  period: Period;
  by: 'field' | 'trader';
  /** Lowest overall score first. */
  items: ScoreRow[];
}

/** GET /api/quality/traders/:id */
export interface Scorecard {
  trader: string;
  scores: ScoreRow;
  fields: QualityScores;
}

/** GET /api/quality/fields/:path */
export interface FieldScores {
  field: string;
  name: string;
  scores: ScoreRow;
  traders: QualityScores;
}

/** The window the page asks for; empty dates leave the server's defaults. */
export interface ScoreWindow {
  from: string;
  to: string;
  period: Period;
}

/** What a row of a score table opens. */
export type Opened = { kind: 'field'; key: string } | { kind: 'trader'; key: string };
