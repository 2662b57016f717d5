/**
 * Everything a server or a CLI command needs, opened once from the configuration: the database
 * (migrated), the reference data (loaded into the database on first use), the data dictionary and
 * the unit-value statistics used by validation.
 */
import type { Config } from './config.ts';
import { connect } from './db/connect.ts';
import type { Database } from './db/database.ts';
import { loadCatalog, type Catalog } from './declarations/catalog.ts';
import { noUnitValueStats } from './declarations/unit-values.ts';
import { createRiskEngine, type RiskEngine } from './risk/assessment.ts';
import { PriceReference, recomputePriceReference } from './risk/price-reference.ts';
import { defaultPolicy } from './risk/selectivity.ts';
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
  /** The price reference as last computed. */
  prices(): PriceReference;
  /** Recomputes the price reference from the stored declarations (also the bands validation uses). */
  refreshPrices(): Promise<void>;
  /** Reloads the price reference after a change of overrides. */
  reloadPrices(): Promise<void>;
  /** Risk assessment with the active profiles and model. */
  risk: RiskEngine;
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
    let prices = await PriceReference.load(db);
    const wcoIdOf = (path: string) => catalog.wcoIdOf(path);
    return {
      config,
      db,
      reference,
      catalog,
      validation: () => ({ reference, wcoIdOf, unitValues: prices, today: today() }),
      prices: () => prices,
      async refreshPrices() {
        await recomputePriceReference(db);
        prices = await PriceReference.load(db);
      },
      async reloadPrices() {
        prices = await PriceReference.load(db);
      },
      risk: createRiskEngine({
        db,
        prices: () => prices,
        settings: {
          policy: { ...defaultPolicy, randomShare: config.randomShare },
          capacity: config.controlCapacity,
        },
      }),
      close: () => db.close(),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Validation without a database (no unit-value statistics), for working on files alone. */
export async function openFileValidation(config: Config): Promise<ValidationContext> {
  const [reference, catalog] = await Promise.all([
    loadReferenceData(config.referenceDir),
    loadCatalog(config.referenceDir),
  ]);
  return {
    reference,
    wcoIdOf: (path) => catalog.wcoIdOf(path),
    unitValues: noUnitValueStats,
    today: today(),
  };
}
