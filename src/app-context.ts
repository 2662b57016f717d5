/**
 * Everything a server or a CLI command needs, opened once from the configuration: the database
 * (migrated), the reference data (loaded into the database on first use), the data dictionary and
 * the unit-value statistics used by validation.
 */
import type { Config } from './config.ts';
import { connect } from './db/connect.ts';
import type { Database } from './db/database.ts';
import { loadCatalog, type Catalog } from './declarations/catalog.ts';
import { loadUnitValueStats, type UnitValueStats } from './declarations/unit-values.ts';
import type { ValidationContext } from './declarations/validate/index.ts';
import { loadReferenceData, type ReferenceData } from './reference/reference-data.ts';
import { storeReferenceData } from './reference/store.ts';

export interface AppContext {
  config: Config;
  db: Database;
  reference: ReferenceData;
  catalog: Catalog;
  /** The context validation runs in now (today's date, current unit-value statistics). */
  validation(): ValidationContext;
  /** Recomputes the unit-value statistics from the stored declarations. */
  refreshUnitValues(): Promise<void>;
  close(): Promise<void>;
}

const today = () => new Date().toISOString().slice(0, 10);

export async function openAppContext(config: Config): Promise<AppContext> {
  const [reference, catalog] = await Promise.all([
    loadReferenceData(config.referenceDir),
    loadCatalog(config.referenceDir),
  ]);
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await storeReferenceData(db, reference);
    let unitValues: UnitValueStats = await loadUnitValueStats(db);
    const wcoIdOf = (path: string) => catalog.wcoIdOf(path);
    return {
      config,
      db,
      reference,
      catalog,
      validation: () => ({ reference, wcoIdOf, unitValues, today: today() }),
      async refreshUnitValues() {
        unitValues = await loadUnitValueStats(db);
      },
      close: () => db.close(),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
