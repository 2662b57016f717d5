import {
  amount,
  count,
  percent,
  periodName,
  shortName,
  type DeclarationStats,
  type QualityStats,
} from './dashboards.ts';

/** A column header: the short name, with the full one for those who point at it. */
const Head = ({ label }: { label: string }) => (
  <th scope="col" className="number" title={label}>
    {shortName(label)}
  </th>
);

/**
 * The numbers behind a declarations chart, a period per row: each key's declarations (or value, or duty)
 * and every declaration's. Cancelled declarations are counted apart.
 */
export function DeclarationTable({
  stats,
  measure,
}: {
  stats: DeclarationStats;
  measure: 'declarations' | 'value' | 'duty';
}) {
  const write = measure === 'declarations' ? count : amount;
  const currency = stats.currency ?? 'no currency';
  const what =
    measure === 'value'
      ? `Value in ${currency}`
      : measure === 'duty'
        ? `Duty in ${currency}`
        : 'Declarations';
  return (
    <div className="scroll">
      <table>
        <caption className="visually-hidden">
          {what} per {stats.period}
        </caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            {stats.series.map((s) => (
              <Head key={s.key ?? ''} label={s.label} />
            ))}
            <th scope="col" className="number">
              {stats.series.length > 0 ? 'All' : what}
            </th>
            {measure === 'declarations' && (
              <th scope="col" className="number">
                Cancelled
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {stats.periods.map((p, i) => (
            <tr key={p}>
              <th scope="row">{periodName(p, stats.period)}</th>
              {stats.series.map((s) => (
                <td key={s.key ?? ''} className="number">
                  {write(s[measure][i] ?? 0)}
                </td>
              ))}
              <td className="number">{write(stats.perPeriod[measure][i] ?? 0)}</td>
              {measure === 'declarations' && (
                <td className="number">{count(stats.perPeriod.cancelled[i] ?? 0)}</td>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            {stats.series.map((s) => (
              <td key={s.key ?? ''} className="number">
                {write(s.total[measure])}
              </td>
            ))}
            <td className="number">{write(stats.total[measure])}</td>
            {measure === 'declarations' && <td className="number">{count(stats.total.cancelled)}</td>}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The numbers behind the data-quality chart: findings per key, and declarations with findings. */
export function QualityTable({ stats }: { stats: QualityStats }) {
  return (
    <div className="scroll">
      <table>
        <caption className="visually-hidden">Findings per {stats.period}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            {stats.series.map((s) => (
              <Head key={s.key ?? ''} label={s.label} />
            ))}
            <th scope="col" className="number">
              Findings
            </th>
            <th scope="col" className="number">
              Declarations
            </th>
            <th scope="col" className="number">
              With findings
            </th>
            <th scope="col" className="number">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {stats.periods.map((p, i) => (
            <tr key={p}>
              <th scope="row">{periodName(p, stats.period)}</th>
              {stats.series.map((s) => (
                <td key={s.key ?? ''} className="number">
                  {count(s.findings[i] ?? 0)}
                </td>
              ))}
              <td className="number">{count(stats.perPeriod.findings[i] ?? 0)}</td>
              <td className="number">{count(stats.perPeriod.declarations[i] ?? 0)}</td>
              <td className="number">{count(stats.perPeriod.withFindings[i] ?? 0)}</td>
              <td className="number">{percent(stats.perPeriod.share[i] ?? null)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            {stats.series.map((s) => (
              <td key={s.key ?? ''} className="number">
                {count(s.total.findings)}
              </td>
            ))}
            <td className="number">{count(stats.total.findings)}</td>
            <td className="number">{count(stats.total.declarations)}</td>
            <td className="number">{count(stats.total.withFindings)}</td>
            <td className="number">{percent(stats.total.share)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
