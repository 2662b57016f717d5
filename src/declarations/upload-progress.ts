/**
 * Writes an import's progress to its job row once per batch (never per row), with the findings of
 * the rows rejected since the previous write. Writes are queued one behind the other, apart from the
 * import itself, so the import never waits for them; `settled()` waits for the queue and reports the
 * first write that failed.
 */
import type { Database } from '../db/database.ts';
import { findingsKeptPerImport, importJobs, type Counts, type RejectFinding } from './import-jobs.ts';
import type { ImportSummary, Rejected } from './importer.ts';

export function progressRecorder(db: Database, id: number) {
  const counts: Counts = { rowsRead: 0, accepted: 0, rejected: 0, duplicates: 0, findings: 0 };
  let kept = 0;
  let unwritten: RejectFinding[] = [];
  let queue: Promise<void> = Promise.resolve();
  let failure: unknown = null;

  const enqueue = (write: () => Promise<void>) => {
    queue = queue.then(write).catch((error: unknown) => {
      failure ??= error;
    });
  };

  return {
    /** A rejected row: its findings are counted, and kept while fewer than the limit are. */
    reject(r: Rejected): void {
      for (const f of r.findings) {
        counts.findings++;
        if (kept >= findingsKeptPerImport) continue;
        kept++;
        unwritten.push({
          line: f.line ?? r.line,
          ...(r.reference ? { reference: r.reference } : {}),
          path: f.path,
          code: f.code,
          message: f.message,
        });
      }
    },

    /** After a batch: the rows read so far and the import's counts. */
    batch(rowsRead: number, summary: Readonly<ImportSummary>): void {
      Object.assign(counts, {
        rowsRead,
        accepted: summary.accepted,
        rejected: summary.rejected,
        duplicates: summary.duplicates,
      });
      const snapshot = { ...counts };
      const findings = unwritten;
      unwritten = [];
      enqueue(() => db.transaction((tx) => importJobs.progress(tx, id, snapshot, findings)));
    },

    rowsRead: (): number => counts.rowsRead,

    /** Declarations assessed so far, while the import's declarations are being assessed. */
    assessed(n: number): void {
      enqueue(() => importJobs.assessedSoFar(db, id, n));
    },

    async settled(): Promise<void> {
      await queue;
      if (failure) throw failure;
    },
  };
}
