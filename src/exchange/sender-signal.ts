/** Wakes the sender in this process when a message is queued, instead of waiting for its next poll. */
let wake: (() => void) | undefined;

export function onQueued(listener: (() => void) | undefined): void {
  wake = listener;
}

/** Called once a message is queued; the sender waits briefly so that the queuing transaction commits first. */
export function noteQueued(): void {
  wake?.();
}
