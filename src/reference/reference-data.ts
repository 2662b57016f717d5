/**
 * The code lists a declaration is checked against: HS (by edition and date), ISO 3166-1 countries,
 * ISO 4217 currencies, UN/ECE Rec 20 units and Rec 21 package types. Loaded once from the
 * reference directory; every lookup is a Set or Map probe, cheap enough for the validation hot path.
 */
import path from 'node:path';
import countries from 'i18n-iso-countries';
import currencyCodes from 'currency-codes';
import { cell, readCsv } from './csv.ts';
import {
  hsEditionOn,
  hsEditions,
  loadHsEdition,
  loadHsSections,
  type HsCode,
  type HsEdition,
  type HsEditionInfo,
} from './hs.ts';

export { HsEdition, type HsEditionInfo } from './hs.ts';

export const CodeList = {
  Hs: 'hs',
  Country: 'country',
  Currency: 'currency',
  Unit: 'unit',
  PackageType: 'package_type',
} as const;
export type CodeList = (typeof CodeList)[keyof typeof CodeList];

/** One code of one list, with the period it is valid (inclusive; null = unbounded). */
export interface CodeEntry {
  list: CodeList;
  code: string;
  description: string;
  validFrom: string | null;
  validTo: string | null;
  /** For HS codes: the enclosing heading or chapter. */
  parent?: string;
}

/** Reference code lists, loaded once. All lookups are O(1) and allocate nothing. */
export interface ReferenceData {
  /** The HS editions and the periods they are in force. */
  readonly hsEditions: readonly HsEditionInfo[];
  /** The HS edition in force on `date` (YYYY-MM-DD). */
  hsEditionOn(date: string): HsEdition | undefined;
  /** Whether `hs6` is a 6-digit subheading of the edition in force on `date`. */
  hsSubheadingInForce(hs6: string, date: string): boolean;
  /** Description of a 2-, 4- or 6-digit HS code in the edition in force on `date`. */
  hsDescription(code: string, date: string): string | undefined;
  /** Roman numeral of the HS section of `hs6` in the edition in force on `date`. */
  hsSection(hs6: string, date: string): string | undefined;
  /** Name of an HS section by its roman numeral. */
  hsSectionName(section: string): string | undefined;
  /** An official ISO 3166-1 alpha-2 code (user-assigned codes such as XK are refused). */
  isCountry(code: string): boolean;
  /** An ISO 4217 alphabetic currency code. */
  isCurrency(code: string): boolean;
  /** A UN/ECE Rec 20 common code that is not deleted (deprecated codes are accepted). */
  isUnit(code: string): boolean;
  /** A UN/ECE Rec 21 package type code. */
  isPackageType(code: string): boolean;
  /** Every code of every list; HS codes carry their edition's validity period and parent. */
  entries(): Iterable<CodeEntry>;
}

const unitsFile = 'units/rec20-units.csv';
const packageTypesFile = 'units/rec21-package-types.csv';
const unitCodeColumn = 'Common Code';
const deletedUnitStatus = 'X';

/** Loads every code list from the reference directory `dir`; throws naming any missing file or column. */
export async function loadReferenceData(dir: string): Promise<ReferenceData> {
  const sections = await loadHsSections(dir);
  const [hsByEdition, units, packageTypes] = await Promise.all([
    Promise.all(hsEditions.map((info) => loadHsEdition(dir, info, sections))),
    loadUnits(dir),
    loadPackageTypes(dir),
  ]);
  const hs = new Map(hsEditions.map((info, i) => [info.edition, hsByEdition[i] ?? new Map()]));
  return buildReferenceData({
    hs,
    sections,
    countries: loadCountries(),
    currencies: loadCurrencies(),
    units,
    packageTypes,
  });
}

interface Lists {
  hs: ReadonlyMap<HsEdition, ReadonlyMap<string, HsCode>>;
  sections: ReadonlyMap<string, string>;
  countries: ReadonlyMap<string, string>;
  currencies: ReadonlyMap<string, string>;
  units: ReadonlyMap<string, string>;
  packageTypes: ReadonlyMap<string, string>;
}

function buildReferenceData(lists: Lists): ReferenceData {
  const hsCodeOn = (code: string, date: string): HsCode | undefined => {
    const edition = hsEditionOn(date);
    return edition === undefined ? undefined : lists.hs.get(edition)?.get(code);
  };
  return {
    hsEditions,
    hsEditionOn,
    hsSubheadingInForce: (hs6, date) => hsCodeOn(hs6, date)?.level === 6,
    hsDescription: (code, date) => hsCodeOn(code, date)?.description,
    hsSection: (hs6, date) => hsCodeOn(hs6, date)?.section,
    hsSectionName: (section) => lists.sections.get(section),
    isCountry: (code) => lists.countries.has(code),
    isCurrency: (code) => lists.currencies.has(code),
    isUnit: (code) => lists.units.has(code),
    isPackageType: (code) => lists.packageTypes.has(code),
    entries: () => allEntries(lists),
  };
}

function* allEntries(lists: Lists): Generator<CodeEntry> {
  for (const info of hsEditions) {
    for (const hs of lists.hs.get(info.edition)?.values() ?? []) {
      const entry = { list: CodeList.Hs, code: hs.code, description: hs.description };
      const validity = { validFrom: info.validFrom, validTo: info.validTo };
      yield hs.parent === undefined
        ? { ...entry, ...validity }
        : { ...entry, ...validity, parent: hs.parent };
    }
  }
  yield* unboundedEntries(CodeList.Country, lists.countries);
  yield* unboundedEntries(CodeList.Currency, lists.currencies);
  yield* unboundedEntries(CodeList.Unit, lists.units);
  yield* unboundedEntries(CodeList.PackageType, lists.packageTypes);
}

function* unboundedEntries(list: CodeList, codes: ReadonlyMap<string, string>): Generator<CodeEntry> {
  for (const [code, description] of codes) yield { list, code, description, validFrom: null, validTo: null };
}

/** ISO 3166-1 reserves AA, QM-QZ, XA-XZ and ZZ for user assignment; they are not country codes. */
function isUserAssignedCountryCode(code: string): boolean {
  return code === 'AA' || code === 'ZZ' || /^(Q[M-Z]|X[A-Z])$/.test(code);
}

let countryCodes: ReadonlySet<string> | undefined;

/** Whether `code` is an ISO 3166-1 alpha-2 country code (not one reserved for user assignment). */
export function isCountryCode(code: string): boolean {
  countryCodes ??= new Set(loadCountries().keys());
  return countryCodes.has(code);
}

function loadCountries(): ReadonlyMap<string, string> {
  const codes = Object.keys(countries.getAlpha2Codes()).filter((code) => !isUserAssignedCountryCode(code));
  return new Map(codes.map((code) => [code, countries.getName(code, 'en') ?? code]));
}

function loadCurrencies(): ReadonlyMap<string, string> {
  return new Map(currencyCodes.codes().map((code) => [code, currencyCodes.code(code)?.currency ?? code]));
}

async function loadUnits(dir: string): Promise<ReadonlyMap<string, string>> {
  const rows = await readCsv(path.resolve(dir, unitsFile), ['Status', unitCodeColumn, 'Name']);
  const live = rows.filter((row) => cell(row, 'Status').trim() !== deletedUnitStatus);
  return new Map(live.map((row) => [cell(row, unitCodeColumn).trim(), cell(row, 'Name').trim()]));
}

async function loadPackageTypes(dir: string): Promise<ReadonlyMap<string, string>> {
  const rows = await readCsv(path.resolve(dir, packageTypesFile), ['Code', 'Name']);
  return new Map(rows.map((row) => [cell(row, 'Code').trim(), cell(row, 'Name').trim()]));
}
