/**
 * The signal from `recordChange` to the sealers of this process that an entry is pending. It holds
 * no database: each sealer listening checks its own.
 */
const listeners = new Set<() => void>();

export function notePending(): void {
  for (const listener of listeners) listener();
}

/** Calls `listener` after each pending entry this process records; returns the unsubscription. */
export function onPending(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
