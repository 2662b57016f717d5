/**
 * Where the reference data lives when nothing else is configured: `../shared/data/reference`
 * next to the repository, found from this file's location (not the working directory).
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The default reference data directory: `<repository>/../shared/data/reference`. */
export function defaultReferenceDir(): string {
  return path.resolve(repositoryRoot, '../shared/data/reference');
}
