import { Detail } from './Detail.tsx';
import { search } from './format.ts';
import { PeriodTable } from './PeriodTable.tsx';
import { ScoreFacts } from './ScoreFacts.tsx';
import { ScoreTable } from './ScoreTable.tsx';
import type { FieldScores, ScoreWindow } from './types.ts';
import { useFetched } from '../useFetched.ts';

/**
 * One field: its scores over the window and per period, and for officials the traders lowest on
 * it (each opens its scorecard). Traders and declarants see the field in their own declarations.
 */
export function FieldDetail({
  path,
  within,
  onTrader,
  onClose,
}: {
  path: string;
  within: ScoreWindow;
  /** Opens a trader's scorecard; absent for those who see no other traders. */
  onTrader?: (trader: string) => void;
  onClose: () => void;
}) {
  const { data, problem } = useFetched<FieldScores>(
    `/api/quality/fields/${encodeURIComponent(path)}?${search(within, { limit: '10' })}`,
  );
  return (
    <Detail title={data ? `${data.name} (${path})` : path} onClose={onClose}>
      {problem && <p role="alert">{problem}</p>}
      {data && data.scores.checked === 0 && <p>No declarations were validated in this window.</p>}
      {data && data.scores.checked > 0 && (
        <>
          <ScoreFacts row={data.scores} />
          <h3>Per {data.traders.period}</h3>
          <PeriodTable
            row={data.scores}
            period={data.traders.period}
            caption={`Scores of ${path} per ${data.traders.period}`}
          />
          {onTrader && (
            <>
              <h3>Traders lowest on this field</h3>
              <ScoreTable
                caption={`Traders lowest on ${path}`}
                by="trader"
                rows={data.traders.items}
                onOpen={onTrader}
              />
            </>
          )}
        </>
      )}
    </Detail>
  );
}
