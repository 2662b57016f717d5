import { count, percent, periodName } from './format.ts';
import { Sparkline } from './Sparkline.tsx';
import type { Period, ScoreRow } from './types.ts';

/** A field's or a trader's scores in each period of the window, beside a line of the overall score. */
export function PeriodTable({ row, period, caption }: { row: ScoreRow; period: Period; caption: string }) {
  return (
    <>
      <Sparkline row={row} period={period} />
      <div className="scroll">
        <table>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col" className="number">
                Declarations
              </th>
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
                Overall
              </th>
            </tr>
          </thead>
          <tbody>
            {row.periods.map((p) => (
              <tr key={p.period}>
                <th scope="row">{periodName(p.period, period)}</th>
                <td className="number">{count(p.checked)}</td>
                <td className="number">{percent(p.completeness)}</td>
                <td className="number">{percent(p.validity)}</td>
                <td className="number">{percent(p.consistency)}</td>
                <td className="number">{percent(p.overall)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
