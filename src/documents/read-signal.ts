/**
 * The signal from attaching to the document readers of this process that a document waits to be
 * read. It holds no database: each reader woken looks for unread documents in its own.
 */
const listeners = new Set<() => void>();

export function noteAttached(): void {
  for (const listener of listeners) listener();
}

/** Calls `listener` after each attachment this process commits; returns the unsubscription. */
export function onAttached(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
