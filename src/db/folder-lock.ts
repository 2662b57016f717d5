/**
 * PGlite has one connection and must not be opened by two processes at once. A lock file in the
 * data folder holds the owner's pid; a lock left by a process that no longer runs is taken over.
 */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class DatabaseBusyError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireFolderLock(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'clearway.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return async () => {
        await unlink(file).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new DatabaseBusyError(
          `the embedded database in ${dataDir} is in use by process ${owner} (a running server?). ` +
            'Stop it, or run both against PostgreSQL with DATABASE_URL.',
        );
      }
      await unlink(file).catch(() => undefined);
    }
  }
  throw new DatabaseBusyError(`could not lock the embedded database in ${dataDir}`);
}
