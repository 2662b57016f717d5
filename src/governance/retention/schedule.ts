/** The server's periodic archival run (CLEARWAY_ARCHIVE_HOURS): expired data out, purges on the ledger. */
import type { Database } from '../../db/database.ts';
import { runEvery } from '../../shared/periodic.ts';
import type { JobLog } from '../ledger/schedule.ts';
import { archiveExpired, describeCounts } from './archive.ts';

export function scheduleArchival(
  db: Database,
  dir: string,
  everyMs: number,
  log: JobLog,
): () => Promise<void> {
  return runEvery(everyMs, async () => {
    try {
      const report = await archiveExpired(db, { dir, actor: 'system' });
      if (report.runs.length > 0 || report.setAside.length > 0)
        log.info(
          {
            runs: report.runs.map((r) => r.run),
            counts: report.counts,
            held: report.held,
            setAside: report.setAside,
          },
          `archived and purged ${describeCounts(report.counts)}`,
        );
    } catch (error) {
      log.error({ err: error }, 'archival failed; nothing of the failed run was purged');
    }
  });
}
