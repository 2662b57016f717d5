import { count, percent } from './format.ts';
import { Trend } from './Trend.tsx';
import type { ScoreRow } from './types.ts';

/** A field's or a trader's four scores over the whole window, and the trend of the overall one. */
export function ScoreFacts({ row }: { row: ScoreRow }) {
  return (
    <dl className="facts summary">
      <dt>Declarations validated</dt>
      <dd>{count(row.checked)}</dd>
      <dt>Completeness</dt>
      <dd>{percent(row.scores.completeness)}</dd>
      <dt>Validity</dt>
      <dd>{percent(row.scores.validity)}</dd>
      <dt>Consistency</dt>
      <dd>{percent(row.scores.consistency)}</dd>
      <dt>Overall</dt>
      <dd>
        <strong>{percent(row.scores.overall)}</strong>
      </dd>
      <dt>Trend of overall</dt>
      <dd>
        <Trend change={row.trend.overall} />
      </dd>
    </dl>
  );
}
