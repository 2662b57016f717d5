/**
 * The requested-procedure codes a picker offers (the four characters of a customs procedure code:
 * the procedure requested, then the previous one, e.g. 4071 release for free circulation out of a
 * customs warehouse) and the WCO transport modes (UN/ECE Recommendation 19). Validation checks these
 * fields' format only, since national systems use codes of their own (KCS import types, transport
 * modes 10-90), so every code offered here validates and a national code may still be typed.
 */
import path from 'node:path';
import type { CodeItem } from './code-search.ts';
import { cell, readCsv } from './csv.ts';
import { readWcoCodeList } from './declaration-codes.ts';

export const procedureCodesFile = 'procedures/procedure-codes.csv';
export const transportModesFile = 'wco/codelists/transport-mode-types.json';

/** The previous-procedure code meaning there was none. */
const noPrevious = '00';

/**
 * Every pair of a requested procedure and a previous one (or none) from `procedures/procedure-codes.csv`
 * (`code,description,requested`; `requested` = yes when the code may be requested, not only previous).
 */
export async function loadProcedureCodes(dir: string): Promise<CodeItem[]> {
  const file = path.resolve(dir, procedureCodesFile);
  const rows = await readCsv(file, ['code', 'description', 'requested']);
  const codes = rows.map((row) => ({
    code: cell(row, 'code').trim(),
    description: cell(row, 'description').trim(),
    requested: cell(row, 'requested').trim() === 'yes',
  }));
  for (const c of codes) {
    if (!/^\d{2}$/.test(c.code) || c.description === '')
      throw new Error(`reference file ${file} has a bad procedure row "${c.code}"`);
  }
  return codes
    .filter((c) => c.requested)
    .flatMap((requested) =>
      codes.map((previous) => ({
        code: requested.code + previous.code,
        description:
          previous.code === noPrevious
            ? `${capitalised(requested.description)}; no previous procedure`
            : `${capitalised(requested.description)}; after ${previous.description} (${previous.code})`,
      })),
    );
}

/** The transport modes of the WCO code list (`[{ value, display }]`). */
export const loadTransportModes = (dir: string): Promise<CodeItem[]> =>
  readWcoCodeList(dir, transportModesFile);

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
