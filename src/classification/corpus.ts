/**
 * The texts the classifier learns from before any declaration: the HS 2017 and 2022 nomenclatures
 * (each subheading with its heading's and chapter's words, so that "Other" still says what it is
 * other of) and the US HTS statistical lines (their leaf and their full path), each labelled with
 * its HS6 subheading. Declarations' own descriptions are added by the caller as more labelled texts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

/** A description and the HS6 subheading it belongs to; weight above 1 counts it more (controlled, compliant). */
export interface LabelledText {
  text: string;
  /** Six digits. */
  hs6: string;
  weight: number;
}

type Row = Record<string, string>;

async function readRows(file: string, columns: readonly string[]): Promise<Row[]> {
  const text = await readFile(file, 'utf8');
  const rows = parse<Row>(text, {
    bom: true,
    columns: true,
    skip_empty_lines: true,
    relax_column_count: true,
  });
  const first = rows[0];
  for (const column of columns) {
    if (first === undefined || !(column in first)) throw new Error(`${file} has no column "${column}"`);
  }
  return rows;
}

const sixDigits = /^\d{6}$/;

/** One edition's subheadings, each with its heading's and chapter's descriptions. */
function nomenclatureTexts(rows: readonly Row[]): LabelledText[] {
  const description = new Map<string, string>();
  for (const row of rows) description.set(row.hscode ?? '', row.description ?? '');
  const texts: LabelledText[] = [];
  for (const row of rows) {
    const code = row.hscode ?? '';
    if (row.level !== '6' || !sixDigits.test(code)) continue;
    const heading = description.get(code.slice(0, 4)) ?? '';
    const chapter = description.get(code.slice(0, 2)) ?? '';
    texts.push({ text: `${row.description ?? ''}; ${heading}; ${chapter}`, hs6: code, weight: 1 });
  }
  return texts;
}

/** The HTS statistical lines: the full path, and the leaf alone when it says more than "Other". */
function htsTexts(rows: readonly Row[]): LabelledText[] {
  const texts: LabelledText[] = [];
  for (const row of rows) {
    const hs6 = row.hs6 ?? '';
    if (!sixDigits.test(hs6)) continue;
    texts.push({ text: row.full_path_description ?? '', hs6, weight: 1 });
    const leaf = (row.leaf_description ?? '').trim();
    if (leaf !== '' && !/^other\b/i.test(leaf)) texts.push({ text: leaf, hs6, weight: 1 });
  }
  return texts;
}

/** HS 2017 and 2022 nomenclature texts and the US HTS statistical lines, as labelled texts. */
export async function readReferenceTexts(files: {
  /** The folder of hs2017.csv and hs2022.csv (the reference data's `hs`). */
  hsDir: string;
  /** The US HTS statistical lines (data/hs-text). */
  htsFile: string;
}): Promise<LabelledText[]> {
  const hsColumns = ['hscode', 'description', 'level'];
  const [hs2017, hs2022, hts] = await Promise.all([
    readRows(path.join(files.hsDir, 'hs2017.csv'), hsColumns),
    readRows(path.join(files.hsDir, 'hs2022.csv'), hsColumns),
    readRows(files.htsFile, ['hs6', 'leaf_description', 'full_path_description']),
  ]);
  return [...nomenclatureTexts(hs2017), ...nomenclatureTexts(hs2022), ...htsTexts(hts)];
}
