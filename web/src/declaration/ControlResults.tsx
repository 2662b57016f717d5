import { describe, type ControlResult } from '../ControlForm.tsx';
import { moment } from '../format.ts';

/** The control results of a declaration, the one in force and those a correction superseded, with their notes. */
export function ControlResults({
  results,
  onCorrect,
}: {
  results: ControlResult[];
  /** Offered when the official may correct the result in force. */
  onCorrect: (() => void) | null;
}) {
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Control result</h2>
      <ol className="results">
        {results.map((r) => (
          <li key={r.id} className={r.supersededAt ? 'superseded' : undefined}>
            <strong>#{r.id}</strong> {describe(r)} · by {r.recordedBy},{' '}
            <time dateTime={r.recordedAt}>{moment(r.recordedAt)}</time>
            {r.supersededAt && ' · superseded by a correction'}
            {r.corrects !== null && ` · corrects #${r.corrects}: ${r.correctionReason ?? ''}`}
            {r.notes && <p className="notes">Notes: {r.notes}</p>}
          </li>
        ))}
      </ol>
      {onCorrect && <button onClick={onCorrect}>Correct result…</button>}
    </section>
  );
}
