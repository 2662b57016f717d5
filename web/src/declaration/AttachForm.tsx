import { useId, useRef, useState } from 'react';
import { postFile, problemOf } from '../api.ts';
import { contentTypeOf, kindWords, type AttachedDocument } from './documents.ts';

type State =
  | { at: 'idle' }
  | { at: 'uploading'; name: string }
  | { at: 'done'; name: string }
  | { at: 'refused'; message: string };

/**
 * Attaching a document: its kind, the file, Upload. The server reads the type from the content
 * and says why it refuses (too large, another type, too many documents); that is shown here.
 */
export function AttachForm({ id, onAttached }: { id: number; onAttached: () => void }) {
  const [kind, setKind] = useState<string>('invoice');
  const [state, setState] = useState<State>({ at: 'idle' });
  const file = useRef<HTMLInputElement>(null);
  const ids = useId();

  async function upload(event: React.FormEvent) {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen) {
      setState({ at: 'refused', message: 'Choose the file to attach.' });
      file.current?.focus();
      return;
    }
    setState({ at: 'uploading', name: chosen.name });
    const query = new URLSearchParams({ kind, filename: chosen.name });
    try {
      await postFile<AttachedDocument>(
        `/api/declarations/${id}/documents?${query}`,
        chosen,
        contentTypeOf(chosen),
      );
      if (file.current) file.current.value = '';
      setState({ at: 'done', name: chosen.name });
      onAttached();
    } catch (e) {
      setState({ at: 'refused', message: problemOf(e) });
    }
  }

  const busy = state.at === 'uploading';
  return (
    <form onSubmit={upload} aria-labelledby={`${ids}-title`} className="attach-form">
      <h3 id={`${ids}-title`}>Attach a document</h3>
      <label htmlFor={`${ids}-kind`}>Kind</label>{' '}
      <select id={`${ids}-kind`} value={kind} onChange={(e) => setKind(e.target.value)}>
        {Object.entries(kindWords).map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>{' '}
      <label htmlFor={`${ids}-file`}>File</label>{' '}
      <input
        id={`${ids}-file`}
        ref={file}
        type="file"
        accept=".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain"
        aria-describedby={`${ids}-hint`}
        aria-invalid={state.at === 'refused'}
        {...(state.at === 'refused' ? { 'aria-errormessage': `${ids}-problem` } : {})}
      />{' '}
      <button type="submit" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload'}
      </button>
      <p id={`${ids}-hint`} className="hint">
        PDF, PNG, JPEG or plain text, up to 10 MB; up to 20 documents per declaration.
      </p>
      <div role="status">
        {state.at === 'uploading' && <p>Uploading {state.name}…</p>}
        {state.at === 'done' && <p className="notice">{state.name} attached.</p>}
      </div>
      {state.at === 'refused' && (
        <p role="alert" id={`${ids}-problem`} className="error">
          {state.message}
        </p>
      )}
    </form>
  );
}
