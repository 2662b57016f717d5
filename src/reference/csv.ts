/**
 * Reads a reference CSV file into rows keyed by column name, failing loudly (with the file's full
 * path) when the file is missing or lacks a column the caller needs.
 */
import { readFile } from 'node:fs/promises';
import { readCsvText } from '../declarations/formats/csv-reader.ts';

/** One CSV row: column name to cell text (empty string when blank). */
export type CsvRow = Readonly<Record<string, string>>;

/** A header name with its whitespace (including embedded newlines) collapsed to single spaces. */
export function normalizeHeader(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

/**
 * Reads `file` and returns its rows. Headers are normalized with {@link normalizeHeader}; a BOM is
 * dropped; rows whose cells are all empty are skipped; a row shorter than the header lacks the
 * columns it does not reach; a malformed row is an error naming the file and the line. Throws when the file is missing or when any
 * of `requiredColumns` is absent from the header.
 */
export async function readCsv(file: string, requiredColumns: readonly string[]): Promise<CsvRow[]> {
  const [first, ...records] = readCsvText(await readReferenceFile(file));
  const header = first && 'fields' in first ? first.fields.map(normalizeHeader) : [];
  const rows: CsvRow[] = [];
  for (const record of records) {
    if ('error' in record) throw new Error(`reference file ${file}: ${record.error}`);
    if (record.fields.every((value) => value === '')) continue;
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      const value = record.fields[i];
      if (value !== undefined) row[name] = value;
    });
    rows.push(row);
  }
  for (const column of requiredColumns) {
    if (!header.includes(column)) {
      throw new Error(`reference file ${file} has no column "${column}"`);
    }
  }
  return rows;
}

async function readReferenceFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      throw new Error(`reference file not found: ${file} (set CLEARWAY_REFERENCE_DIR)`, { cause: error });
    }
    throw error;
  }
}

/** The cell of `column` in `row`, or an empty string when absent. */
export function cell(row: CsvRow, column: string): string {
  return row[column] ?? '';
}
