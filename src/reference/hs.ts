/**
 * Harmonized System editions: which edition is in force on a date, and the codes of one edition
 * (chapters, headings, subheadings) read from the UN Comtrade classification files.
 */
import path from 'node:path';
import { cell, readCsv, type CsvRow } from './csv.ts';

export const HsEdition = { Hs2017: 'HS2017', Hs2022: 'HS2022' } as const;
export type HsEdition = (typeof HsEdition)[keyof typeof HsEdition];

/** An HS edition, its file under the reference directory and its period in force (inclusive). */
export interface HsEditionInfo {
  readonly edition: HsEdition;
  readonly file: string;
  readonly validFrom: string;
  readonly validTo: string | null;
}

/** The editions we know, oldest first. `validTo: null` means still in force. */
export const hsEditions: readonly HsEditionInfo[] = [
  { edition: HsEdition.Hs2017, file: 'hs/hs2017.csv', validFrom: '2017-01-01', validTo: '2021-12-31' },
  { edition: HsEdition.Hs2022, file: 'hs/hs2022.csv', validFrom: '2022-01-01', validTo: null },
];

/** A chapter (level 2), heading (level 4) or subheading (level 6) of one edition. */
export interface HsCode {
  readonly code: string;
  readonly description: string;
  readonly level: number;
  /** Roman numeral of the HS section, e.g. `XVI`. */
  readonly section: string;
  /** The enclosing heading or chapter; absent for chapters. */
  readonly parent?: string;
}

const hsColumns = ['section', 'hscode', 'description', 'parent', 'level'];
const sectionColumns = ['section', 'name'];

/** Whether `date` looks like `YYYY-MM-DD` (digits and dashes only; no allocation). */
export function isIsoDate(date: string): boolean {
  if (date.length !== 10) return false;
  for (let i = 0; i < 10; i++) {
    const c = date.charCodeAt(i);
    const ok = i === 4 || i === 7 ? c === 45 : c >= 48 && c <= 57;
    if (!ok) return false;
  }
  return true;
}

/** The HS edition in force on `date` (YYYY-MM-DD), or undefined before HS 2017 or for a malformed date. */
export function hsEditionOn(date: string): HsEdition | undefined {
  // asked for every goods item of an import, mostly for the same few dates
  if (date === lastEdition.date) return lastEdition.edition;
  const edition = editionOn(date);
  lastEdition = { date, edition };
  return edition;
}

let lastEdition: { date: string; edition: HsEdition | undefined } = { date: '', edition: undefined };

function editionOn(date: string): HsEdition | undefined {
  if (!isIsoDate(date)) return undefined;
  for (let i = 0; i < hsEditions.length; i++) {
    const info = hsEditions[i];
    if (info && date >= info.validFrom && (info.validTo === null || date <= info.validTo)) {
      return info.edition;
    }
  }
  return undefined;
}

/** The HS sections (roman numeral to name) from `hs/sections.csv`. */
export async function loadHsSections(dir: string): Promise<ReadonlyMap<string, string>> {
  const rows = await readCsv(path.resolve(dir, 'hs/sections.csv'), sectionColumns);
  return new Map(rows.map((row) => [cell(row, 'section'), cell(row, 'name').trim()]));
}

/**
 * Whether a row is a real HS code. Comtrade adds `99`/`9999`/`999999` ("commodities not specified
 * according to kind") and `TOTAL` rows under the pseudo-section `TOTAL`; chapter 99 is not HS.
 */
export function isHsCodeRow(row: CsvRow): boolean {
  const code = cell(row, 'hscode');
  return cell(row, 'section') !== 'TOTAL' && /^(\d{2}|\d{4}|\d{6})$/.test(code) && !code.startsWith('99');
}

/** The codes of one edition by code. Throws on a row whose level or section does not fit. */
export async function loadHsEdition(
  dir: string,
  info: HsEditionInfo,
  sections: ReadonlyMap<string, string>,
): Promise<ReadonlyMap<string, HsCode>> {
  const file = path.resolve(dir, info.file);
  const codes = new Map<string, HsCode>();
  for (const row of await readCsv(file, hsColumns)) {
    if (!isHsCodeRow(row)) continue;
    const hsCode = toHsCode(row);
    if (hsCode.level !== hsCode.code.length || !sections.has(hsCode.section)) {
      throw new Error(`reference file ${file} has an inconsistent row for HS code ${hsCode.code}`);
    }
    codes.set(hsCode.code, hsCode);
  }
  return codes;
}

function toHsCode(row: CsvRow): HsCode {
  const code = cell(row, 'hscode');
  const parent = cell(row, 'parent');
  const base = {
    code,
    description: cell(row, 'description'),
    level: Number(cell(row, 'level')),
    section: cell(row, 'section'),
  };
  return code.length > 2 && parent !== '' ? { ...base, parent } : base;
}
