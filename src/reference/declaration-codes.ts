/**
 * The code lists of the declaration's other coded fields, as the pickers offer them: kinds of
 * transport document (the UN/EDIFACT 1001 transport documents of the WCO previous-document list,
 * written with the category N as in N705), additional procedures, payment methods and duty or tax
 * types (WCO code lists as used by a national system), the kind of declaration (processing mode) and
 * the kind of origin from `procedures/declaration-codes.csv`, which also completes the duty and tax
 * types with the Union's customs duties (A00). Validation checks these fields' format only, since
 * national systems use codes of their own (KCS payment types, origin indicators): every code offered
 * validates, and a national code may still be typed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CodeItem } from './code-search.ts';
import { cell, readCsv } from './csv.ts';

export const declarationCodesFile = 'procedures/declaration-codes.csv';

/** The lists, by the name `GET /api/reference/{list}` gives them. */
export interface DeclarationCodeLists {
  'transport-documents': readonly CodeItem[];
  'additional-procedures': readonly CodeItem[];
  'payment-methods': readonly CodeItem[];
  'declaration-kinds': readonly CodeItem[];
  'duty-tax-types': readonly CodeItem[];
  'origin-types': readonly CodeItem[];
}

/** A WCO code list of `dir` (`[{ value, display }]`), e.g. `wco/codelists/transport-mode-types.json`. */
export async function readWcoCodeList(dir: string, relative: string): Promise<CodeItem[]> {
  const file = path.resolve(dir, relative);
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`reference file ${file} is not a list`);
  return parsed.map((entry: unknown) => {
    const { value, display } = (entry ?? {}) as { value?: unknown; display?: unknown };
    if (typeof value !== 'string' || typeof display !== 'string')
      throw new Error(`reference file ${file} has an entry without value and display`);
    return { code: value.trim(), description: display.replace(/\s+/g, ' ').trim() };
  });
}

const codelists = 'wco/codelists';

export async function loadDeclarationCodes(dir: string): Promise<DeclarationCodeLists> {
  const [documents, additional, payments, duties, compiled] = await Promise.all([
    readWcoCodeList(dir, `${codelists}/import-previous-documents.json`),
    readWcoCodeList(dir, `${codelists}/special-procedure-types.json`),
    readWcoCodeList(dir, `${codelists}/payment-method-types.json`),
    readWcoCodeList(dir, `${codelists}/duty-tax-fee-types.json`),
    readCompiled(dir),
  ]);
  const listed = (list: string) => compiled.filter((row) => row.list === list);
  return {
    // UN/EDIFACT 1001 groups transport documents as the 7xx codes
    'transport-documents': documents
      .filter((d) => /^7\d\d$/.test(d.code))
      .map((d) => ({ code: `N${d.code}`, description: d.description })),
    'additional-procedures': additional,
    'payment-methods': payments,
    'declaration-kinds': listed('declaration-kinds'),
    'duty-tax-types': [...listed('duty-tax-types'), ...duties].filter(
      (d, i, all) => all.findIndex((other) => other.code === d.code) === i,
    ),
    'origin-types': listed('origin-types'),
  };
}

async function readCompiled(dir: string): Promise<(CodeItem & { list: string })[]> {
  const file = path.resolve(dir, declarationCodesFile);
  const rows = await readCsv(file, ['list', 'code', 'description']);
  return rows.map((row) => {
    const [list, code, description] = [cell(row, 'list'), cell(row, 'code'), cell(row, 'description')];
    if (!/^[A-Z0-9]{1,7}$/.test(code) || description.trim() === '')
      throw new Error(`reference file ${file} has a bad row "${list},${code}"`);
    const text = description.trim();
    return { list, code, description: text.charAt(0).toUpperCase() + text.slice(1) };
  });
}
