import { lazy, Suspense } from 'react';
import { day, money } from '../format.ts';
import { useFetched } from '../useFetched.ts';
import { measureWords, type Choice } from './address.ts';
import type { SeriesDetail } from './types.ts';

const ForecastChart = lazy(() => import('./ForecastChart.tsx').then((m) => ({ default: m.ForecastChart })));

/** One series: its chart, and the forecast's figures as a table (what the chart shows, in words). */
export function SeriesView({ choice }: { choice: Choice }) {
  const { data, problem } = useFetched<SeriesDetail>(
    `/api/monitoring/series/${encodeURIComponent(choice.key)}?period=${choice.period}&measure=${choice.measure}`,
  );
  if (problem) return <p role="alert">{problem}</p>;
  if (!data) return <p role="status">Loading the series…</p>;
  const figure = (x: number) =>
    data.measure === 'declarations' ? Math.round(x).toLocaleString('en-US') : money(x, data.currency);
  const title = `${measureWords[data.measure]} of ${data.label} per ${data.period}`;
  return (
    <div>
      <h2 id="series-title">{title}</h2>
      <p className="hint">
        {data.history.length} {data.period}s of history to{' '}
        {day(data.history.at(-1)?.period ?? data.run.latestPeriod)}, forecast by{' '}
        {data.method.replace(/_/g, ' ')} in run {data.run.id} ({day(data.run.finishedAt.slice(0, 10))}).
        {data.backtest &&
          ` The latest ${data.period} was ${figure(data.backtest.observed)} against a forecast of ${figure(data.backtest.mean)} (95%: ${figure(data.backtest.lower95)} to ${figure(data.backtest.upper95)}).`}
      </p>
      <figure className="chart">
        <Suspense fallback={<p role="status">Drawing the chart…</p>}>
          <ForecastChart detail={data} label={`${title}: history, forecast and its 80% and 95% intervals`} />
        </Suspense>
      </figure>
      <div className="scroll">
        <table aria-labelledby="forecast-title">
          <caption id="forecast-title">
            Forecast of the next {data.forecast.length} {data.period}s
          </caption>
          <thead>
            <tr>
              <th scope="col">{data.period === 'week' ? 'Week of' : 'Month of'}</th>
              <th scope="col" className="number">
                Forecast
              </th>
              <th scope="col" className="number">
                80% interval
              </th>
              <th scope="col" className="number">
                95% interval
              </th>
            </tr>
          </thead>
          <tbody>
            {data.forecast.map((f) => (
              <tr key={f.period}>
                <td>{day(f.period)}</td>
                <td className="number">{figure(f.mean)}</td>
                <td className="number">
                  {figure(f.lower80)} to {figure(f.upper80)}
                </td>
                <td className="number">
                  {figure(f.lower95)} to {figure(f.upper95)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
