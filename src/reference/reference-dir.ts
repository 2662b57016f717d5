/**
 * Where the data shipped with Clearway lives: the repository's `data/` folder, found from this
 * file's location (not the working directory). The reference data the server reads at run time is
 * `data/reference` unless `CLEARWAY_REFERENCE_DIR` points elsewhere; tests and benchmarks read the
 * labelled declarations and tariff texts beside it. `data/README.md` gives each file's source and licence.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository's data folder. */
export const repositoryDataDir = fileURLToPath(new URL('../../data/', import.meta.url));

/** The default reference data directory: `<repository>/data/reference`. */
export function defaultReferenceDir(): string {
  return path.join(repositoryDataDir, 'reference');
}

/** A file of the repository's data folder, e.g. `dataFile('kcs/train.csv')`. */
export function dataFile(relative: string): string {
  return path.join(repositoryDataDir, relative);
}
