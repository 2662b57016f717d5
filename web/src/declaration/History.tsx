import { describe, type ControlResult } from '../ControlForm.tsx';
import { moment } from '../format.ts';
import { findingWords, type AgencyFinding } from '../sharing/findingWords.ts';
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
 * of the result it recorded (`results`, which only officials read). What partner agencies found
 * (`findings`) takes its place among the events by its time.
 */
export function History({
  events,
  results,
  findings = [],
}: {
  events: DeclarationEvent[];
  results: ControlResult[];
  findings?: readonly AgencyFinding[];
}) {
  const notesOf = (e: DeclarationEvent) => {
    const id = e.data?.resultId;
    return typeof id === 'number' ? (results.find((r) => r.id === id)?.notes ?? null) : null;
  };
  const entries = [
    ...events.map((e) => ({ at: e.at, key: `event-${e.seq}`, event: e, finding: null })),
    ...findings.map((f) => ({ at: f.createdAt, key: `finding-${f.id}`, event: null, finding: f })),
  ];
  // stable: events keep their order, a finding comes after the events of its moment
  entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ol className="timeline">
        {entries.map(({ key, event: e, finding: f }) => {
          if (f)
            return (
              <li key={key}>
                <time dateTime={f.createdAt}>{moment(f.createdAt)}</time> agency finding by {f.agency}:{' '}
                {findingWords(f)}
              </li>
            );
          if (!e) return null;
          const notes = notesOf(e);
          return (
            <li key={key}>
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
