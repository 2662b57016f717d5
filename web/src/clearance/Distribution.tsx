import { lazy, Suspense, useId, useMemo, useState } from 'react';
import { day, percent } from '../format.ts';
import { barsOf } from './buckets.ts';
import type { GroupTimes, StageKey, Times } from './types.ts';

const HistogramChart = lazy(() =>
  import('./HistogramChart.tsx').then((m) => ({ default: m.HistogramChart })),
);

const declarations = (n: number) => `${n} declaration${n === 1 ? '' : 's'}`;

/**
 * How the times of one stage spread, for all declarations or one group chosen: a bar per span of
 * time ("under 15 min", "1–2 h", "a week or more") and the same figures in a table. The choices are
 * two selects, read at once; the chart is a bundle loaded when drawn.
 */
export function Distribution({ times }: { times: Times }) {
  const id = useId();
  const [groupIndex, setGroupIndex] = useState(-1);
  const [wanted, setWanted] = useState<StageKey>('total');
  const group: GroupTimes = times.groups[groupIndex] ?? times.overall;
  const measured = times.stages.filter((s) => group.stages.some((g) => g.stage === s.key && g.count > 0));
  const stage = measured.find((s) => s.key === wanted) ?? measured[0];
  const stats = group.stages.find((s) => s.stage === stage?.key);
  const bars = useMemo(() => (stats ? barsOf(times.buckets, stats) : []), [times, stats]);
  const what = `${group.label}, ${stage?.label ?? ''}`;
  const label = `Declarations by time taken: ${what}, released ${day(times.from)} to ${day(times.to)}`;

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>How the times spread</h2>
      <div className="filters wrap" role="group" aria-label="What the spread shows">
        {times.by && (
          <label>
            Group
            <select value={groupIndex} onChange={(e) => setGroupIndex(Number(e.target.value))}>
              <option value={-1}>{times.overall.label}</option>
              {times.groups.map((g, i) => (
                <option key={i} value={i}>
                  {g.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Stage
          <select
            value={stage?.key ?? ''}
            onChange={(e) => setWanted(measured.find((s) => s.key === e.target.value)?.key ?? 'total')}
          >
            {measured.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {stats ? (
        <>
          <figure className="chart">
            <Suspense fallback={<p>Loading the chart…</p>}>
              <HistogramChart bars={bars} label={label} />
            </Suspense>
          </figure>
          <div className="scroll">
            <table aria-labelledby={`${id}-table`} className="clearance-spread">
              <caption id={`${id}-table`}>{`${what}: ${declarations(stats.count)} by time taken`}</caption>
              <thead>
                <tr>
                  <th scope="col">Time taken</th>
                  {['Declarations', 'Share'].map((figure) => (
                    <th scope="col" className="number" key={figure}>
                      {figure}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {bars.map((b) => (
                  <tr key={b.label}>
                    <th scope="row">{b.label}</th>
                    <td className="number">{b.declarations}</td>
                    <td className="number">{percent(b.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p>No declaration of {group.label} has a measured stage.</p>
      )}
    </section>
  );
}
