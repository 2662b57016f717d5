import { lazy, Suspense } from 'react';
import { withQuery } from '../addressFilters.ts';
import { FiltersForm } from '../FiltersForm.tsx';
import { day, percent } from '../format.ts';
import type { PageProps } from '../pages.ts';
import { useAddressFilters } from '../useAddressFilters.ts';
import { useFetched } from '../useFetched.ts';
import { Distribution } from './Distribution.tsx';
import { clearanceFilters, duration, groupings } from './filters.ts';
import type { GroupTimes, Times } from './types.ts';

const StageChart = lazy(() => import('./StageChart.tsx').then((m) => ({ default: m.StageChart })));

const path = '/api/clearance/times';

const declarations = (n: number) => `${n} declaration${n === 1 ? '' : 's'}`;

/** "within 1 h", "within 1 d" for a target in minutes. */
const within = (target: number) => `Within ${duration(target)}`;

/**
 * The Time Release Study: how long released declarations took from arrival to release, stage by
 * stage, per office, lane, transport mode, HS section, trader or month; the share released within
 * target times, the stage adding the most time, and the change against a second period. Traders and
 * declarants see their own declarations only (the server scopes it). The filters are the address.
 */
export default function ClearanceTime({ go }: PageProps) {
  const { query, form, set, submit } = useAddressFilters(clearanceFilters, '/clearance', go);
  const { data, problem } = useFetched<Times>(withQuery(path, query));

  const total = data?.overall.stages.find((s) => s.stage === 'total');
  const groups = data ? (data.groups.length > 0 ? data.groups : [data.overall]) : [];
  return (
    <section aria-labelledby="clearance-title">
      <h1 id="clearance-title">Clearance time</h1>
      <p className="hint">
        Released declarations by the day of their release: the time from the arrival of the goods (or lodging,
        without an arrival) to release, and each stage on the way. Lodged before arrival counts as a negative
        arrival-to-lodging time.
      </p>
      <FiltersForm onSubmit={submit}>
        <label>
          Released from
          <input type="date" value={form.from} onChange={set('from')} />
        </label>
        <label>
          Released to
          <input type="date" value={form.to} onChange={set('to')} />
        </label>
        <label>
          Group by
          <select value={form.by} onChange={set('by')}>
            {groupings.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Targets (minutes)
          <input
            value={form.targets}
            onChange={set('targets')}
            placeholder="60,1440"
            size={10}
            autoComplete="off"
          />
        </label>
        <label>
          Compare from
          <input type="date" value={form.compareFrom} onChange={set('compareFrom')} />
        </label>
        <label>
          Compare to
          <input type="date" value={form.compareTo} onChange={set('compareTo')} />
        </label>
      </FiltersForm>
      {problem && <p role="alert">{problem}</p>}
      <p role="status">
        {data &&
          total &&
          `${declarations(data.overall.declarations)} released from ${day(data.from)} to ${day(data.to)}: median ${duration(total.median)}, 90% within ${duration(total.p90)}. ${data.targets
            .map((t, i) => `${within(t)}: ${percent(total.withinTargets[i] ?? 0)}`)
            .join('; ')}.`}
      </p>
      {data && data.overall.declarations > 0 && (
        <>
          <figure className="chart">
            <Suspense fallback={<p>Loading the chart…</p>}>
              <StageChart
                times={data}
                groups={groups}
                label={`Mean time of each stage from arrival to release${data.by ? ', per group' : ''}, released ${day(data.from)} to ${day(data.to)}`}
              />
            </Suspense>
          </figure>
          <Biggest groups={groups} times={data} />
          <StageTable times={data} groups={groups} />
          <Distribution times={data} />
          {data.comparison && <Comparison times={data} />}
        </>
      )}
      {data && data.overall.declarations === 0 && <p>No declaration was released in this window.</p>}
    </section>
  );
}

const stageLabel = (times: Times, key: string) => times.stages.find((s) => s.key === key)?.label ?? key;

function Biggest({ groups, times }: { groups: GroupTimes[]; times: Times }) {
  return (
    <>
      <h2 id="clearance-biggest">Stage adding the most time</h2>
      <ul aria-labelledby="clearance-biggest">
        {groups.map((g) => (
          <li key={g.key ?? ''}>
            {g.label}:{' '}
            {g.biggest
              ? `${stageLabel(times, g.biggest.stage)}${g.biggest.share === null ? '' : `, ${percent(g.biggest.share)} of the total time`}`
              : 'no stage measured'}
          </li>
        ))}
      </ul>
    </>
  );
}

function StageTable({ times, groups }: { times: Times; groups: GroupTimes[] }) {
  return (
    <div className="scroll">
      <table aria-labelledby="clearance-stages-title" className="clearance-stages">
        <caption id="clearance-stages-title">Stages by group</caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Stage</th>
            <th scope="col" className="number">
              Declarations
            </th>
            <th scope="col" className="number">
              Mean
            </th>
            <th scope="col" className="number">
              Median
            </th>
            <th scope="col" className="number">
              90th percentile
            </th>
            {times.targets.map((t) => (
              <th scope="col" className="number" key={t}>
                {within(t)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.flatMap((g) =>
            g.stages
              .filter((s) => s.count > 0)
              .map((s) => (
                <tr key={`${g.key ?? ''}-${s.stage}`}>
                  <th scope="row">{g.label}</th>
                  <td>{stageLabel(times, s.stage)}</td>
                  <td className="number">{s.count}</td>
                  <td className="number">{duration(s.mean)}</td>
                  <td className="number">{duration(s.median)}</td>
                  <td className="number">{duration(s.p90)}</td>
                  {s.withinTargets.map((share, i) => (
                    <td className="number" key={times.targets[i]}>
                      {percent(share)}
                    </td>
                  ))}
                </tr>
              )),
          )}
        </tbody>
      </table>
    </div>
  );
}

function Comparison({ times }: { times: Times }) {
  const other = times.comparison;
  if (!other) return null;
  const signed = (m: number | null) => (m === null ? '–' : m > 0 ? `+${duration(m)}` : duration(m));
  return (
    <div className="scroll">
      <table aria-labelledby="clearance-comparison-title">
        <caption id="clearance-comparison-title">
          {`Released ${day(times.from)} to ${day(times.to)} against ${day(other.from)} to ${day(other.to)}`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" className="number">
              Median, compared period
            </th>
            <th scope="col" className="number">
              Median, this period
            </th>
            <th scope="col" className="number">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {times.overall.stages
            .filter((s) => s.count > 0)
            .map((s) => {
              const before = other.overall.stages.find((b) => b.stage === s.stage);
              const change = other.change.find((c) => c.stage === s.stage);
              return (
                <tr key={s.stage}>
                  <th scope="row">{stageLabel(times, s.stage)}</th>
                  <td className="number">{duration(before?.median ?? null)}</td>
                  <td className="number">{duration(s.median)}</td>
                  <td className="number">
                    {signed(change?.median ?? null)}
                    {change?.medianShare != null &&
                      ` (${change.medianShare > 0 ? '+' : ''}${percent(change.medianShare)})`}
                  </td>
                </tr>
              );
            })}
        </tbody>
      </table>
    </div>
  );
}
