import { points } from './format.ts';

/**
 * The change of a score from one period to the next: an arrow, the direction in words and the
 * change in points, so the colour is never the only sign.
 */
export function Trend({ change }: { change: number | null }) {
  if (change === null) {
    return (
      <span className="trend none">
        <span aria-hidden="true">–</span>
        <span className="visually-hidden">no trend: fewer than two periods with declarations</span>
      </span>
    );
  }
  const p = points(change);
  if (p === 0) {
    return (
      <span className="trend steady">
        <span aria-hidden="true">→</span> no change
      </span>
    );
  }
  return p > 0 ? (
    <span className="trend up">
      <span aria-hidden="true">▲</span> up {p.toFixed(1)} points
    </span>
  ) : (
    <span className="trend down">
      <span aria-hidden="true">▼</span> down {(-p).toFixed(1)} points
    </span>
  );
}
