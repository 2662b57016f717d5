import { count, percent, traderName } from './format.ts';
import { Trend } from './Trend.tsx';
import type { ScoreRow } from './types.ts';

/**
 * Fields or traders with their four scores, lowest first as the server sends them: the overall
 * score and its trend first, so that they stay in sight beside an open detail. A row's key opens it
 * when `onOpen` is given (validations of no known trader have nothing to open).
 */
export function ScoreTable({
  caption,
  by,
  rows,
  names,
  openKey,
  onOpen,
}: {
  caption: string;
  by: 'field' | 'trader';
  rows: readonly ScoreRow[];
  /** The dictionary name of each field path. */
  names?: ReadonlyMap<string, string>;
  openKey?: string;
  onOpen?: (key: string) => void;
}) {
  return (
    <div className="scroll">
      <table className="scores">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{by === 'field' ? 'Field' : 'Trader'}</th>
            {by === 'field' && (
              <th scope="col" className="secondary">
                Name
              </th>
            )}
            <th scope="col" className="number">
              Overall
            </th>
            <th scope="col">Trend of overall</th>
            <th scope="col" className="number">
              Completeness
            </th>
            <th scope="col" className="number">
              Validity
            </th>
            <th scope="col" className="number">
              Consistency
            </th>
            <th scope="col" className="number">
              Declarations
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const label = by === 'field' ? r.key : traderName(r.key);
            const open = r.key === openKey;
            return (
              <tr key={r.key} className={open ? 'open' : undefined}>
                <th scope="row" className="nowrap">
                  {onOpen && (by === 'field' || r.key !== '') ? (
                    <button
                      className="link"
                      aria-current={open ? 'true' : undefined}
                      onClick={() => onOpen(r.key)}
                    >
                      {label}
                    </button>
                  ) : (
                    label
                  )}
                </th>
                {by === 'field' && <td className="secondary">{names?.get(r.key) ?? ''}</td>}
                <td className="number">
                  <strong>{percent(r.scores.overall)}</strong>
                </td>
                <td className="nowrap">
                  <Trend change={r.trend.overall} />
                </td>
                <td className="number">{percent(r.scores.completeness)}</td>
                <td className="number">{percent(r.scores.validity)}</td>
                <td className="number">{percent(r.scores.consistency)}</td>
                <td className="number">{count(r.checked)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
