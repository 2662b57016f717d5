import { percent, periodName } from './format.ts';
import type { Period, ScoreRow } from './types.ts';

const width = 160;
const height = 40;
const pad = 4;

/**
 * The overall score per period as a small line, hand-drawn in SVG (no chart library): from the
 * lowest score shown, rounded down to ten percent, to 100 %. Periods without declarations are gaps.
 * The numbers are in the table beside it; the picture's name says them too.
 */
export function Sparkline({ row, period }: { row: ScoreRow; period: Period }) {
  const scored = row.periods.filter((p) => p.overall !== null);
  if (scored.length === 0) return null;
  const lowest = Math.min(...scored.map((p) => p.overall ?? 1));
  const bottom = Math.min(0.9, Math.floor(lowest * 10) / 10);
  const n = row.periods.length;
  const x = (i: number) => (n === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (n - 1));
  const y = (s: number) => pad + ((1 - s) * (height - 2 * pad)) / (1 - bottom);
  // runs of consecutive periods with a score, each drawn as one line
  const runs: string[][] = [];
  let run: string[] = [];
  row.periods.forEach((p, i) => {
    if (p.overall === null) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push(`${x(i).toFixed(1)},${y(p.overall).toFixed(1)}`);
  });
  if (run.length > 0) runs.push(run);
  const scale = `${percent(bottom)} to ${percent(1)}`;
  const label =
    `Overall score per ${period}, ${scale}: ` +
    scored.map((p) => `${periodName(p.period, period)} ${percent(p.overall)}`).join(', ');
  return (
    <figure className="sparkline">
      <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
        <line x1={pad} x2={width - pad} y1={y(1)} y2={y(1)} />
        <line x1={pad} x2={width - pad} y1={y(bottom)} y2={y(bottom)} />
        {runs.map((points) => (
          <polyline key={points[0]} points={points.join(' ')} />
        ))}
        {row.periods.map((p, i) =>
          p.overall === null ? null : <circle key={p.period} cx={x(i)} cy={y(p.overall)} r={2.5} />,
        )}
      </svg>
      <figcaption>
        Overall score per {period}, {scale} (dashed lines)
      </figcaption>
    </figure>
  );
}
