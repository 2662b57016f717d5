import { useState, type FormEvent } from 'react';
import { api } from './api.ts';
import { useUnsaved } from './useUnsaved.ts';

/** Cancelling a declaration before release, with the reason kept in its history. */
export function CancelForm({ id, onCancelled }: { id: number; onCancelled: () => Promise<void> }) {
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useUnsaved(opened && reason.trim() !== '');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    try {
      await api('POST', `/api/declarations/${id}/cancel`, { reason });
      setReason('');
      setOpened(false);
      await onCancelled();
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    }
  }

  if (!opened) return <button onClick={() => setOpened(true)}>Cancel the declaration…</button>;
  return (
    <form className="inline" onSubmit={submit} aria-label="Cancel the declaration">
      <label>
        Why cancel it
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          minLength={3}
          maxLength={500}
          autoFocus
        />
      </label>
      <button type="submit">Cancel it</button>
      <button
        type="button"
        onClick={() => {
          setReason('');
          setOpened(false);
        }}
      >
        Keep it
      </button>
      {problem && <p role="alert">{problem}</p>}
    </form>
  );
}
