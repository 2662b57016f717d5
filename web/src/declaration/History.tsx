import { describe, type ControlResult } from '../ControlForm.tsx';
import { moment } from '../format.ts';
import type { DeclarationEvent } from './types.ts';

/** What an event adds to "kind by actor" in the history. */
function detail(e: DeclarationEvent): string {
  const d = e.data ?? {};
  switch (e.kind) {
    case 'assessed':
      return `: ${String(d.lane)} lane`;
    case 'assigned':
      return d.to ? ` to ${String(d.to)}` : ': released';
    case 'rerouted':
      return `: ${d.from ? `${String(d.from)} → ` : ''}${String(d.to)} lane${d.reason ? ` (${String(d.reason)})` : ''}`;
    case 'controlled':
      return `: ${String(d.outcome).replace('_', '-')}${d.irregularity ? `, ${String(d.irregularity).replace(/_/g, ' ')}` : ''}`;
    case 'control_corrected': {
      const after = d.after as Parameters<typeof describe>[0] | undefined;
      const before = d.before as Parameters<typeof describe>[0] | undefined;
      const now = after ? describe(after) : '';
      return before
        ? `: ${describe(before)} → ${now}${d.reason ? ` (${String(d.reason)})` : ''}`
        : now && `: ${now}`;
    }
    case 'cancelled':
    case 'detained':
    case 'seized':
    case 'refused':
      return d.reason ? `: ${String(d.reason)}` : '';
    case 'released':
      return d.automatic === true ? ': automatically' : d.note ? `: ${String(d.note)}` : '';
    case 'paid':
    case 'guaranteed':
    case 'duties_assessed':
      return `: ${String(d.amount ?? d.duty)} ${String(d.currency)}`;
    default:
      return '';
  }
}

/**
 * The declaration's history, oldest first. For officials, a control or a correction shows the notes
 * of the result it recorded (`results`, which only officials read).
 */
export function History({ events, results }: { events: DeclarationEvent[]; results: ControlResult[] }) {
  const notesOf = (e: DeclarationEvent) => {
    const id = e.data?.resultId;
    return typeof id === 'number' ? (results.find((r) => r.id === id)?.notes ?? null) : null;
  };
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ol className="timeline">
        {events.map((e) => {
          const notes = notesOf(e);
          return (
            <li key={e.seq}>
              <time dateTime={e.at}>{moment(e.at)}</time> {e.kind} by {e.actor}
              {detail(e)}
              {notes && <p className="notes">Notes: {notes}</p>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
