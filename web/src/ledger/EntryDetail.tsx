import { Detail } from '../quality/Detail.tsx';
import { subjectOf, when } from './format.ts';
import type { LedgerEntry } from './types.ts';

/** An entry in full, beside the list: what it records, its data, its hash and the hash it chains to. */
export function EntryDetail({ entry, onClose }: { entry: LedgerEntry; onClose: () => void }) {
  return (
    <Detail title={`Entry ${entry.seq}`} onClose={onClose}>
      <dl className="facts">
        <dt>Written</dt>
        <dd>
          <time dateTime={entry.at}>{when(entry.at)}</time> ({entry.at})
        </dd>
        <dt>Actor</dt>
        <dd className="breaks">{entry.actor}</dd>
        <dt>Action</dt>
        <dd className="breaks">{entry.action}</dd>
        <dt>Subject</dt>
        <dd className="breaks">{subjectOf(entry)}</dd>
        <dt>Hash</dt>
        <dd>
          <code className="hash">{entry.hash}</code>
        </dd>
        <dt>Previous hash</dt>
        <dd>
          <code className="hash">{entry.prevHash}</code>
        </dd>
      </dl>
      <h3>Data</h3>
      <pre className="json">{JSON.stringify(entry.data, null, 2)}</pre>
    </Detail>
  );
}
