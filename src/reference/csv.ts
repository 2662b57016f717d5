/**
 * Reads a reference CSV file into rows keyed by column name, failing loudly (with the file's full
 * path) when the file is missing or lacks a column the caller needs.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

/** One CSV row: column name to cell text (empty string when blank). */
export type CsvRow = Readonly<Record<string, string>>;

/** A header name with its whitespace (including embedded newlines) collapsed to single spaces. */
export function normalizeHeader(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

/**
 * Reads `file` and returns its rows. Headers are normalized with {@link normalizeHeader}; a BOM is
 * dropped; rows whose cells are all empty are skipped. Throws when the file is missing or when any
 * of `requiredColumns` is absent from the header.
 */
export async function readCsv(file: string, requiredColumns: readonly string[]): Promise<CsvRow[]> {
  const text = await readReferenceFile(file);
  let header: string[] = [];
  const rows = parse<CsvRow>(text, {
    bom: true,
    columns: (names: string[]) => (header = names.map(normalizeHeader)),
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    relax_column_count: true,
  });
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
