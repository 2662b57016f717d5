/**
 * The server's periodic checkpoint: every interval, the entries since the last checkpoint are
 * signed (nothing when there are none). A tampered ledger is refused and reported, never signed.
 */
import type { Database } from '../../db/database.ts';
import { runEvery } from '../../shared/periodic.ts';
import { makeCheckpoint, type CheckpointOutcome } from './checkpoints.ts';
import type { LedgerSigner } from './signing.ts';

export interface JobLog {
  info(data: object, message: string): void;
  error(data: object, message: string): void;
}

/** Starts the timer; the returned function stops it and waits for a checkpoint being made. */
export function scheduleCheckpoints(
  db: Database,
  signer: () => Promise<LedgerSigner>,
  everyMs: number,
  log: JobLog,
  done?: (outcome: CheckpointOutcome) => void,
): () => Promise<void> {
  return runEvery(everyMs, async () => {
    try {
      const outcome = await makeCheckpoint(db, await signer());
      if (outcome.made) {
        const { id, fromSeq, toSeq } = outcome.checkpoint;
        log.info({ id, fromSeq, toSeq }, 'ledger checkpoint signed');
      } else if (outcome.reason === 'tampered') {
        log.error({ firstBad: outcome.firstBad }, `ledger checkpoint refused: ${outcome.firstBad.message}`);
      }
      done?.(outcome);
    } catch (error) {
      log.error({ err: error }, 'ledger checkpoint failed');
    }
  });
}
