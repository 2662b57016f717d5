import { useState } from 'react';
import { api } from '../api.ts';
import { moment } from '../format.ts';
import type { PageProps } from '../pages.ts';
import { problemOf } from '../quality/format.ts';
import { addressOf, choiceOf, type Choice } from './address.ts';
import { AlertList } from './AlertList.tsx';
import { SeriesPicker } from './SeriesPicker.tsx';
import { SeriesView } from './SeriesView.tsx';
import type { Alert, Run, SeriesList } from './types.ts';
import { useFetched } from '../useFetched.ts';

const states: Choice['state'][] = ['open', 'acknowledged', 'dismissed'];

/**
 * Trade monitoring for risk analysts, supervisors and auditors: a series with its history, forecast
 * and bands, and the alerts ranked by the value at stake. The choices are the address.
 */
export default function Monitoring({ go }: PageProps) {
  const choice = choiceOf(window.location.search);
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const list = useFetched<SeriesList>(`/api/monitoring/series?period=${choice.period}&limit=1`, version);
  const alerts = useFetched<{ alerts: Alert[] }>(
    `/api/monitoring/alerts?state=${choice.state}&period=${choice.period}`,
    version,
  );
  const show = (c: Choice) => go(addressOf(c));
  const run = list.data?.run ?? null;

  async function runNow() {
    setRunning(true);
    setProblem(null);
    try {
      await api<Run>('POST', '/api/monitoring/runs', { period: choice.period });
      setVersion((v) => v + 1);
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setRunning(false);
    }
  }

  return (
    <section aria-labelledby="monitoring-title">
      <h1 id="monitoring-title">Trade monitoring</h1>
      <p className="hint">
        Declarations, value and duty of imports per {choice.period}, forecast from their history, and alerts
        when trade turns: a period outside its 95% interval, a surge of goods from an origin that rarely
        shipped them, a sustained drop in unit values.
      </p>
      <p role="status">
        {run
          ? `Latest ${run.period} run ${run.id}: ${moment(run.finishedAt)}, ${run.series} series, ${run.newAlerts} new alerts.`
          : list.data && `No ${choice.period} run yet.`}
      </p>
      {list.data?.allowed.includes('run') && (
        <button onClick={() => void runNow()} disabled={running}>
          {running ? 'Running…' : `Run the ${choice.period}ly monitoring now`}
        </button>
      )}
      {(problem ?? list.problem) && <p role="alert">{problem ?? list.problem}</p>}
      <SeriesPicker key={addressOf(choice)} shown={choice} onShow={show} />
      {run && <SeriesView key={`${addressOf(choice)}-${version}`} choice={choice} />}
      <h2 id="alerts-title">Alerts</h2>
      <div className="filters" role="group" aria-label="Alert state">
        {states.map((s) => (
          <button key={s} aria-pressed={s === choice.state} onClick={() => show({ ...choice, state: s })}>
            {s.charAt(0).toUpperCase() + s.slice(1)}
          </button>
        ))}
      </div>
      {alerts.problem && <p role="alert">{alerts.problem}</p>}
      {alerts.data && (
        <AlertList
          alerts={alerts.data.alerts}
          onChanged={() => setVersion((v) => v + 1)}
          openProfile={(id) => go(`/profiles?open=${id}`)}
        />
      )}
    </section>
  );
}
