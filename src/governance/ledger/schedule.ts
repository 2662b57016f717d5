/**
 * The server's periodic signing: every minute (by default) the head, when entries were added, and
 * every hour the entries since the last checkpoint; each copied into the copy folder. A tampered
 * ledger is refused and reported, never signed (ADR 0012).
 */
import type { Database } from '../../db/database.ts';
import { runEvery } from '../../shared/periodic.ts';
import { makeCheckpoint, type CheckpointOutcome } from './checkpoints.ts';
import { signHead, type HeadOutcome } from './heads.ts';
import type { LedgerSigner } from './signing.ts';

export interface JobLog {
  info(data: object, message: string): void;
  error(data: object, message: string): void;
}

export interface SigningSchedule {
  /** Milliseconds between checkpoints (0: none). */
  checkpointMs: number;
  /** Milliseconds between signed heads (0: none). */
  headMs: number;
  copyDir?: string;
}

export type SigningOutcome = ({ kind: 'checkpoint' } & CheckpointOutcome) | ({ kind: 'head' } & HeadOutcome);

/** Starts the timers; the returned function stops them and waits for any signing under way. */
export function scheduleSigning(
  db: Database,
  signer: () => Promise<LedgerSigner>,
  every: SigningSchedule,
  log: JobLog,
  done?: (outcome: SigningOutcome) => void,
): () => Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  if (every.checkpointMs > 0) {
    stops.push(
      runEvery(every.checkpointMs, async () => {
        try {
          const outcome = await makeCheckpoint(db, await signer(), every.copyDir);
          if (outcome.made) {
            const { id, fromSeq, toSeq } = outcome.checkpoint;
            log.info({ id, fromSeq, toSeq }, 'ledger checkpoint signed');
          } else if (outcome.reason === 'tampered') {
            log.error(
              { firstBad: outcome.firstBad },
              `ledger checkpoint refused: ${outcome.firstBad.message}`,
            );
          }
          done?.({ kind: 'checkpoint', ...outcome });
        } catch (error) {
          log.error({ err: error }, 'ledger checkpoint failed');
        }
      }),
    );
  }
  if (every.headMs > 0) {
    stops.push(
      runEvery(every.headMs, async () => {
        try {
          const outcome = await signHead(db, await signer(), every.copyDir);
          if (!outcome.signed && outcome.reason === 'tampered') {
            log.error({ firstBad: outcome.firstBad }, `ledger head not signed: ${outcome.firstBad.message}`);
          }
          done?.({ kind: 'head', ...outcome });
        } catch (error) {
          log.error({ err: error }, 'signing the ledger head failed');
        }
      }),
    );
  }
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
