/**
 * Customs offices: a code list like the others (code, name, country, validity period), except that
 * administrators maintain it, so the database holds the current list (office-store.ts) and the file
 * `offices/customs-offices.csv` of the reference directory only fills it at first start. Validation
 * reads it through an {@link OfficeList}, a snapshot with O(1) lookups.
 */
import path from 'node:path';
import { isSupportedDay, supportedDayText } from '../shared/day.ts';
import { cell, readCsv } from './csv.ts';

export interface CustomsOffice {
  code: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** First and last day the office is in force (inclusive); null is unbounded. */
  validFrom: string | null;
  validTo: string | null;
}

/** Where a code stands on a day: in force, a customs office but not on that day, or no office at all. */
export type OfficeStanding = 'in_force' | 'not_in_force' | 'unknown';

export interface OfficeList {
  /** Whether `code` is an office in force on `date` (YYYY-MM-DD), or on any day when `date` is absent. */
  standing(code: string, date?: string): OfficeStanding;
  get(code: string): CustomsOffice | undefined;
  all(): readonly CustomsOffice[];
}

export function officeList(offices: readonly CustomsOffice[]): OfficeList {
  const byCode = new Map(offices.map((o) => [o.code, o]));
  return {
    standing(code, date) {
      const office = byCode.get(code);
      if (!office) return 'unknown';
      if (date === undefined) return 'in_force';
      const started = office.validFrom === null || office.validFrom <= date;
      const ended = office.validTo !== null && office.validTo < date;
      return started && !ended ? 'in_force' : 'not_in_force';
    },
    get: (code) => byCode.get(code),
    all: () => offices,
  };
}

export const noOffices: OfficeList = officeList([]);

/** Office codes: 2 to 17 capital letters or digits (WCO an..17), so `NaN` and `0x10` are not codes. */
export const officeCodePattern = /^[A-Z0-9]{2,17}$/;
export const officeCodeText = '2 to 17 capital letters or digits';

/** What is wrong with an office record, naming the field; `isCountry` checks the country code. */
export function officeProblem(o: CustomsOffice, isCountry: (code: string) => boolean): string | null {
  if (!officeCodePattern.test(o.code)) return `code must be ${officeCodeText}, got "${o.code.slice(0, 20)}"`;
  const name = o.name.trim();
  if (name === '' || name.length > 200) return 'name must be 1 to 200 characters';
  if (!isCountry(o.country)) return `country "${o.country.slice(0, 10)}" is not an ISO 3166 country code`;
  for (const [field, day] of [
    ['validFrom', o.validFrom],
    ['validTo', o.validTo],
  ] as const) {
    if (day !== null && !isSupportedDay(day)) return `${field} must be ${supportedDayText}`;
  }
  if (o.validFrom !== null && o.validTo !== null && o.validTo < o.validFrom)
    return `validTo ${o.validTo} is before validFrom ${o.validFrom}`;
  return null;
}

export const officesFile = 'offices/customs-offices.csv';
const columns = ['code', 'name', 'country', 'valid_from', 'valid_to'] as const;

/** Reads the shipped office list of a reference directory; throws naming the first bad row. */
export async function readOfficesFile(
  dir: string,
  isCountry: (code: string) => boolean,
): Promise<CustomsOffice[]> {
  const file = path.resolve(dir, officesFile);
  const rows = await readCsv(file, columns);
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const optional = (column: string) => cell(row, column).trim() || null;
    const office: CustomsOffice = {
      code: cell(row, 'code').trim(),
      name: cell(row, 'name').trim(),
      country: cell(row, 'country').trim(),
      validFrom: optional('valid_from'),
      validTo: optional('valid_to'),
    };
    const problem =
      officeProblem(office, isCountry) ?? (seen.has(office.code) ? `code ${office.code} repeats` : null);
    if (problem) throw new Error(`reference file ${file}, row ${i + 2}: ${problem}`);
    seen.add(office.code);
    return office;
  });
}
