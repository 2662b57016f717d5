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
import { committedHead, signHeadAtEnd } from './governance/ledger/heads.ts';
import { sealBeforeReading, sealPending } from './governance/ledger/seal.ts';
import { officeList, readOfficesFile, type OfficeList } from './reference/offices.ts';
import { loadOffices, storeOffices } from './reference/office-store.ts';
import { openExchange, type Exchange } from './exchange/exchange.ts';
import type { ClassificationAid } from './classification/aid.ts';

export interface AppContext {
  config: Config;
  db: Database;
  reference: ReferenceData;
  catalog: Catalog;
  /** The customs offices as last read from the database (read again after 30 s or a change). */
  offices(): OfficeList;
  /** Reads the customs offices again, after an administrator changed them. */
  reloadOffices(): Promise<void>;
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
  /** Exchange with partner administrations: identity, partners, the hook that queues accepted exports. */
  exchange: Exchange;
  /**
   * The HS classification aid with the active model, opened on first use (a server opens it as it
   * starts); once open, validation compares goods descriptions with declared codes and the risk
   * indicators read it.
   */
  classification(): Promise<ClassificationAid>;
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
    const ledgerAtOpen = (await committedHead(db)).seq;
    await storeReferenceData(db, reference);
    await storeOffices(db, await readOfficesFile(config.referenceDir, reference.isCountry));
    // entries a process that stopped without sealing left pending, and those of the loads above (ADR 0013);
    // a ledger that cannot be sealed is reported by verification, and must not keep it from opening
    const unsealed = await sealBeforeReading(db);
    if (unsealed) process.emitWarning(`the ledger's pending entries were not sealed: ${String(unsealed)}`);
    let prices = await PriceReference.load(db);
    const offices = officeCache(db, officeList(await loadOffices(db)));
    const wcoIdOf = (path: string) => catalog.wcoIdOf(path);
    let aid: ClassificationAid | undefined;
    let opening: Promise<ClassificationAid> | undefined;
    return {
      config,
      db,
      reference,
      catalog,
      offices: offices.current,
      reloadOffices: offices.reload,
      validation: () => ({
        reference,
        offices: offices.current(),
        wcoIdOf,
        unitValues: prices,
        ...(aid ? { descriptionCodes: aid } : {}),
        today: today(),
      }),
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
        descriptionCodes: () => aid,
      }),
      exchange: openExchange(config, db, today),
      classification: () =>
        // its module (the lexicon's tables) is loaded at the first use, not by every command
        (opening ??= import('./classification/aid.ts')
          .then(({ openClassificationAid }) => openClassificationAid(db, reference))
          .then(
            (opened) => (aid = opened),
            (error: unknown) => {
              opening = undefined; // tried again at the next call
              throw error;
            },
          )),
      async close() {
        try {
          // a command that changed data chains its entries and signs the ledger head as it ends
          // (ADR 0012, 0013)
          await sealPending(db)
            .then(() => signHeadAtEnd(db, config, ledgerAtOpen))
            .catch((error: unknown) =>
              process.emitWarning(`the ledger was not sealed and signed: ${String(error)}`),
            );
        } finally {
          await db.close();
        }
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** How long a process trusts its copy of the office list, so that changes made elsewhere (the CLI) arrive. */
const officeListSeconds = 30;

/** The office list of this process: read again after a change here, or in the background when old. */
function officeCache(db: Database, first: OfficeList) {
  let list = first;
  let readAt = Date.now();
  let reading: Promise<void> | null = null;
  const reload = async () => {
    list = officeList(await loadOffices(db));
    readAt = Date.now();
  };
  return {
    reload,
    current(): OfficeList {
      if (Date.now() - readAt > officeListSeconds * 1000 && !reading) {
        reading = reload()
          .catch(() => undefined) // the list in hand stays in use; the next call tries again
          .finally(() => (reading = null));
      }
      return list;
    },
  };
}

/** Validation without a database (no unit-value statistics; the shipped office list), for working on files alone. */
export async function openFileValidation(config: Config): Promise<ValidationContext> {
  const [reference, catalog] = await Promise.all([
    loadReferenceData(config.referenceDir),
    loadCatalog(config.referenceDir),
  ]);
  return {
    reference,
    offices: officeList(await readOfficesFile(config.referenceDir, reference.isCountry)),
    wcoIdOf: (path) => catalog.wcoIdOf(path),
    unitValues: noUnitValueStats,
    today: today(),
  };
}
