/**
 * Empty stores a `clearway` child process can be pointed at: a new data folder (which also holds
 * the ledger key), or a new PostgreSQL database on the server of DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connect } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import type { StorageTarget } from './harness.ts';
import { seedPgliteDir } from './pglite-template.ts';

export interface EmptyStore {
  /** The environment of a `clearway` child process using this store, quiet and without demo data. */
  env: Record<string, string>;
  /** Opens the store, migrated (nothing else: no reference data). */
  open(): Promise<Database>;
  /** Drops the database and removes the data folder. */
  dispose(): Promise<void>;
}

/** A new store; its data folder is `dataDir` when given, else a new temporary folder. */
export async function emptyStore(target: StorageTarget, dataDir?: string): Promise<EmptyStore> {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'clearway-store-')));
  const env = {
    CLEARWAY_DATA_DIR: dir,
    CLEARWAY_LEDGER_KEY_FILE: '',
    CLEARWAY_DEMO: 'false',
    LOG_LEVEL: 'silent',
    DATABASE_URL: '',
  };
  const removeDir = () => rm(dir, { recursive: true, force: true });
  if (target === 'pglite') {
    await seedPgliteDir(dir);
    return { env, open: () => connect({ dataDir: dir }), dispose: removeDir };
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `clearway_store_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    env: { ...env, DATABASE_URL: databaseUrl },
    open: () => connect({ databaseUrl, dataDir: dir }),
    async dispose() {
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await removeDir();
    },
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
