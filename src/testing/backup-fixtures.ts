/**
 * Support for backup and restore tests: empty stores a command can be pointed at, and a source
 * database filled with a little of everything (declarations with items, events, control results
 * and assessments, users and tokens, a session, an active model, a rule profile, the ledger).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import type { AppContext } from '../app-context.ts';
import { connect } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { importDeclarations } from '../declarations/importer.ts';
import { writeDemoCsv } from '../demo/clearway-csv-writer.ts';
import { createSession } from '../governance/users.ts';
import { profilesRepository } from '../risk/profiles/repository.ts';
import { activateModel } from '../risk/registry.ts';
import { trainOnControls } from '../risk/retrain.ts';
import { createRoleUsers, type StorageTarget } from './harness.ts';

export interface EmptyStore {
  /** CLEARWAY_DATA_DIR and DATABASE_URL for a `clearway` child process. */
  env: Record<string, string>;
  /** Opens the store, migrated (nothing else: no reference data). */
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

/** A new data folder, or a new PostgreSQL database on the server of DATABASE_URL. */
export async function emptyStore(target: StorageTarget): Promise<EmptyStore> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'clearway-backup-test-'));
  if (target === 'pglite') {
    return {
      env: { CLEARWAY_DATA_DIR: dataDir, DATABASE_URL: '' },
      open: () => connect({ dataDir }),
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `clearway_backup_test_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    env: { CLEARWAY_DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
    open: () => connect({ databaseUrl, dataDir }),
    async dispose() {
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await rm(dataDir, { recursive: true, force: true });
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

/** Fills a database through the product's own paths; returns how many declarations were accepted. */
export async function fillSampleData(ctx: AppContext, itemRows: number): Promise<{ declarations: number }> {
  const csv = new PassThrough();
  const written = writeDemoCsv({ count: itemRows, seed: 11, from: '2026-01-05', to: '2026-06-30' }, csv).then(
    () => csv.end(),
    (error: unknown) => csv.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  const summary = await importDeclarations(ctx.db, ctx.validation(), csv, {
    format: 'clearway',
    actor: 'test',
  });
  await written;
  await ctx.refreshPrices();
  const trained = await trainOnControls(ctx.db, 'risk-analyst');
  if (!trained.ok) throw new Error(`too few controls to train on: ${trained.controls}`);
  await activateModel(ctx.db, trained.registered.id, 'risk-analyst');
  await profilesRepository.create(
    ctx.db,
    {
      code: 'PHONES-CN',
      name: 'Phones from China',
      lane: 'yellow',
      weight: 40,
      reason: 'phones from China are often undervalued',
      validFrom: '2026-01-01',
      conditions: [{ field: 'item.hsCode', op: 'prefix', value: ['8517'] }],
    },
    'risk-analyst',
  );
  ctx.risk.invalidate();
  await ctx.risk.assessPending('selectivity');
  await createRoleUsers(ctx);
  const [officer] = await ctx.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'officer'`);
  if (officer) await createSession(ctx.db, officer.id, 12);
  return { declarations: summary.accepted };
}
