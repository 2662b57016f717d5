/** What every file format produces: declarations as drafts, with the problems the parser found. */
import type { Finding } from '../model.ts';
import type { DeclarationDraft } from '../validate/index.ts';

/** The result of a control that already happened, carried by historical or labelled files. */
export interface HistoricalControl {
  outcome: 'compliant' | 'non_compliant';
  irregularity?: string;
  /** 0 none, 1 irregularity, 2 critical. */
  severity: number;
}

export interface ParsedDeclaration {
  /** The file line where the declaration starts. */
  line: number;
  /** The line of each row read into it, in order; in formats of one row per goods item, item i is on lines[i]. */
  lines: number[];
  draft: DeclarationDraft;
  edgeFindings: Finding[];
  /**
   * Problems of its rows as rows (one that cannot be read, a header field that differs from the first
   * row's): each rejects the whole declaration, whatever validation finds.
   */
  rowFindings: RowFinding[];
  control?: HistoricalControl;
}

/** A problem found at one row of the file. */
export interface RowFinding {
  line: number;
  path: string;
  code: string;
  message: string;
}

/** A row that could not be read at all (broken quoting, wrong number of columns). */
export interface UnreadableRow {
  line: number;
  reason: string;
}

export interface FormatReader {
  /** Checks the header row; returns an error naming missing columns, or null. */
  start(header: readonly string[]): string | null;
  /** Takes one data row; returns the declarations (and unreadable rows) it completes. */
  row(fields: readonly string[], line: number): (ParsedDeclaration | UnreadableRow)[];
  /**
   * Takes a row the CSV reader could not read; where it cannot tell which declaration the row
   * belonged to, the declarations before and after it are rejected.
   */
  unreadable(line: number, reason: string): (ParsedDeclaration | UnreadableRow)[];
  /** Returns what is still pending at the end of the file. */
  end(): (ParsedDeclaration | UnreadableRow)[];
  /**
   * True when a declaration certainly starts at `row`, `previous` being the row just before it:
   * having read `previous`, the reader holds nothing that `row` or a row after it could change, so
   * `end()` there and a new reader from `row` on give what reading on would. A file is split for
   * preparing its parts in parallel only at such rows.
   */
  startsDeclaration(previous: readonly string[], row: readonly string[]): boolean;
}

export class HeaderError extends Error {
  override name = 'HeaderError';
}

const numeric = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/;

/** Reads an optional number cell; a cell that is not a number becomes a format finding. */
export function numberCell(cell: string | undefined, path: string, findings: Finding[]): number | undefined {
  if (cell === undefined || cell === '') return undefined;
  if (numeric.test(cell)) return Number(cell);
  findings.push({
    path,
    code: 'invalid_number',
    message: `${path} must be a number, got "${cell.slice(0, 40)}"`,
    severity: 'error',
    layer: 'format',
  });
  return undefined;
}

export const textCell = (cell: string | undefined): string | undefined =>
  cell === undefined || cell === '' ? undefined : cell;

/** Maps each expected column name to its position in the header; lists those missing. */
export function columnIndex<C extends string>(
  header: readonly string[],
  expected: readonly C[],
  required: readonly C[],
) {
  const normalised = header.map((h) => h.trim());
  const index = {} as Record<C, number>;
  const missing: string[] = [];
  for (const column of expected) {
    const at = normalised.indexOf(column);
    index[column] = at;
    if (at === -1 && required.includes(column)) missing.push(column);
  }
  return { index, missing };
}
