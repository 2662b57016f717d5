import { useEffect, useState } from 'react';
import { search } from './format.ts';
import { PeriodTable } from './PeriodTable.tsx';
import { ScoreFacts } from './ScoreFacts.tsx';
import { ScoreTable } from './ScoreTable.tsx';
import type { Scorecard as Card, ScoreWindow } from './types.ts';
import { useFetched } from '../useFetched.ts';

/**
 * A trader's scorecard: its scores over the window and per period, and each field of its
 * declarations, those with defects first (every field on request). `onWindow` hears the window
 * the server chose, for a form left empty.
 */
export function Scorecard({
  trader,
  within,
  names,
  openField,
  onField,
  onWindow,
}: {
  trader: string;
  within: ScoreWindow;
  names: ReadonlyMap<string, string>;
  openField?: string;
  onField?: (path: string) => void;
  onWindow?: (from: string, to: string) => void;
}) {
  const [every, setEvery] = useState(false);
  const { data, problem } = useFetched<Card>(
    `/api/quality/traders/${encodeURIComponent(trader)}?${search(within)}`,
  );
  useEffect(() => {
    if (data) onWindow?.(data.fields.from, data.fields.to);
  }, [data]);

  if (problem) return <p role="alert">{problem}</p>;
  if (!data) return <p>Loading…</p>;
  if (data.scores.checked === 0) {
    return <p>No declarations of {trader} were validated in this window.</p>;
  }
  const period = data.fields.period;
  const defective = data.fields.items.filter((f) => f.scores.overall !== null && f.scores.overall < 1);
  const fields = every ? data.fields.items : defective;
  return (
    <>
      <ScoreFacts row={data.scores} />
      <h3>Per {period}</h3>
      <PeriodTable row={data.scores} period={period} caption={`Scores of ${trader} per ${period}`} />
      <h3>Fields</h3>
      <p className="hint">
        {defective.length === 0
          ? 'Every field was sound in every declaration.'
          : `${defective.length} of ${data.fields.items.length} fields had defects; the others were sound in every declaration.`}
      </p>
      <label className="check">
        <input type="checkbox" checked={every} onChange={(e) => setEvery(e.target.checked)} />
        List every field
      </label>
      {fields.length > 0 && (
        <ScoreTable
          caption={`Fields of ${trader}`}
          by="field"
          rows={fields}
          names={names}
          openKey={openField}
          onOpen={onField}
        />
      )}
    </>
  );
}
