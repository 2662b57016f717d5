/**
 * A new embedded database starts with initdb, which costs PGlite several seconds of processor time:
 * more than most test files spend on their own work. Tests instead copy an empty cluster that
 * initdb made once on this machine for this version of PGlite, and PGlite opens the copy as it
 * would reopen a folder of its own.
 */
import { PGlite } from '@electric-sql/pglite';
import { access, cp, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let ready: Promise<string> | undefined;

/** Fills `dir` (new or empty) with an empty PGlite cluster, as `PGlite.create(dir)` would. */
export async function seedPgliteDir(dir: string): Promise<void> {
  ready ??= template();
  await cp(await ready, dir, { recursive: true });
}

async function template(): Promise<string> {
  const dir = path.join(tmpdir(), `clearway-pglite-initdb-${await pgliteVersion()}`);
  if (await exists(path.join(dir, 'PG_VERSION'))) return dir;
  // built aside and renamed into place, so that a test file running beside this one never sees
  // half a cluster; when two build at once, the second rename fails and its copy is dropped
  const building = await mkdtemp(`${dir}-building-`);
  const pg = await PGlite.create(building);
  await pg.close();
  try {
    await rename(building, dir);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    if (!(await exists(path.join(dir, 'PG_VERSION')))) throw error;
  }
  return dir;
}

async function pgliteVersion(): Promise<string> {
  // the package exports no package.json: find it beside its entry point
  let dir = path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  while (!(await exists(path.join(dir, 'package.json')))) {
    if (dir === path.dirname(dir)) throw new Error('the PGlite package has no package.json');
    dir = path.dirname(dir);
  }
  const { version } = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return version;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
