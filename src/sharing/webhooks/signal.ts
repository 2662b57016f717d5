/** Wakes the webhook sender when messages are queued or replayed, instead of waiting for its next look. */
let listener: (() => void) | undefined;

export const webhookSignal = {
  listen(f: (() => void) | undefined): void {
    listener = f;
  },
  wake(): void {
    listener?.();
  },
};
