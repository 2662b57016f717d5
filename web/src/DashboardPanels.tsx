import { useMemo } from 'react';
import { StackedChart, type Stack } from './DashboardChart.tsx';
import { DeclarationTable, QualityTable } from './DashboardTables.tsx';
import {
  amount,
  count,
  declarationDimensions,
  otherColour,
  palette,
  percent,
  periodName,
  qualityDimensions,
  shortName,
  type DeclarationStats,
  type QualityStats,
} from './dashboards.ts';

/** One bar series per key, the keys outside the top in grey. */
function stacksOf<S extends { key: string | null; label: string }>(
  series: S[],
  data: (s: S) => number[],
): Stack[] {
  return series.map((s, i) => ({
    name: shortName(s.label),
    colour: s.key === null ? otherColour : (palette[i % palette.length] ?? otherColour),
    data: data(s),
  }));
}

/** Declarations, their value and their duty per period: a summary, then each as a chart and a table. */
export function DeclarationsPanel({ stats }: { stats: DeclarationStats }) {
  const periods = useMemo(() => stats.periods.map((p) => periodName(p, stats.period)), [stats]);
  const single = stats.series.length === 0;
  const counted = useMemo(
    () =>
      single
        ? [{ name: 'Declarations', colour: palette[0] ?? otherColour, data: stats.perPeriod.declarations }]
        : stacksOf(stats.series, (s) => s.declarations),
    [stats, single],
  );
  const valued = useMemo(
    () =>
      single
        ? [{ name: 'Value', colour: palette[0] ?? otherColour, data: stats.perPeriod.value }]
        : stacksOf(stats.series, (s) => s.value),
    [stats, single],
  );
  const owed = useMemo(
    () =>
      single
        ? [{ name: 'Duty', colour: palette[1] ?? otherColour, data: stats.perPeriod.duty }]
        : stacksOf(stats.series, (s) => s.duty),
    [stats, single],
  );
  const by = declarationDimensions.find((d) => d.value === (stats.by ?? ''))?.label ?? '';
  const top = stats.series
    .slice(0, 5)
    .map((s) => `${shortName(s.label)} ${count(s.total.declarations)}`)
    .join(', ');
  const currency = stats.currency ?? '';
  return (
    <>
      <h2>Declarations per {stats.period}</h2>
      <dl className="facts summary">
        <dt>Declarations</dt>
        <dd>{count(stats.total.declarations)}</dd>
        <dt>Value</dt>
        <dd>{stats.currency ? `${amount(stats.total.value)} ${currency}` : '–'}</dd>
        <dt>Duty</dt>
        <dd>{stats.currency ? `${amount(stats.total.duty)} ${currency}` : '–'}</dd>
        <dt>Cancelled</dt>
        <dd>{count(stats.total.cancelled)}</dd>
      </dl>
      {stats.total.declarations === 0 ? (
        <p>No declarations in this window.</p>
      ) : (
        <>
          <StackedChart
            periods={periods}
            stacks={counted}
            unit="declarations"
            whole
            label={`Declarations per ${stats.period}${single ? '' : ` by ${by}`}, ${count(stats.total.declarations)} in all${top ? `: ${top}` : ''}`}
          />
          <DeclarationTable stats={stats} measure="declarations" />
          <h3>Value in {currency}</h3>
          {stats.currencies.length > 1 && (
            <p className="hint">
              Only declarations in {currency} add to these values; amounts in different currencies are never
              added up.
            </p>
          )}
          <StackedChart
            periods={periods}
            stacks={valued}
            unit={currency}
            label={`Value in ${currency} per ${stats.period}${single ? '' : ` by ${by}`}, ${amount(stats.total.value)} in all`}
          />
          <DeclarationTable stats={stats} measure="value" />
          <h3>Duty in {currency}</h3>
          <p className="hint">
            Import duty of the goods items at their tariff rates (value × rate, to the cent), of the
            declarations in {currency}.
          </p>
          <StackedChart
            periods={periods}
            stacks={owed}
            unit={currency}
            label={`Duty in ${currency} per ${stats.period}${single ? '' : ` by ${by}`}, ${amount(stats.total.duty)} in all`}
          />
          <DeclarationTable stats={stats} measure="duty" />
        </>
      )}
    </>
  );
}

/** Findings per period by field, finding or trader, and the share of declarations with findings. */
export function QualityPanel({
  stats,
  by,
  onBy,
}: {
  stats: QualityStats;
  by: string;
  onBy: (by: string) => void;
}) {
  const periods = useMemo(() => stats.periods.map((p) => periodName(p, stats.period)), [stats]);
  const stacks = useMemo(() => stacksOf(stats.series, (s) => s.findings), [stats]);
  const line = useMemo(
    () => ({ name: 'Declarations with findings (%)', colour: '#1b1f24', data: stats.perPeriod.share }),
    [stats],
  );
  const what = qualityDimensions.find((d) => d.value === stats.by)?.label.toLowerCase() ?? stats.by;
  return (
    <>
      <h2>Data quality per {stats.period}</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Findings by
          <select value={by} onChange={(e) => onBy(e.target.value)}>
            {qualityDimensions.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <dl className="facts summary">
        <dt>Findings</dt>
        <dd>{count(stats.total.findings)}</dd>
        <dt>Declarations with findings</dt>
        <dd>
          {count(stats.total.withFindings)} of {count(stats.total.declarations)} ({percent(stats.total.share)}
          )
        </dd>
      </dl>
      {stats.total.declarations === 0 ? (
        <p>No declarations in this window.</p>
      ) : (
        <>
          <StackedChart
            periods={periods}
            stacks={stacks}
            unit="findings"
            whole
            line={line}
            label={`Findings per ${stats.period} by ${what}, ${count(stats.total.findings)} in all; ${percent(stats.total.share)} of declarations have findings`}
          />
          <QualityTable stats={stats} />
        </>
      )}
    </>
  );
}
