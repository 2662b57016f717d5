/**
 * One cell of a CSV file we write for people to open in a spreadsheet (statistics, rejected rows).
 * Text that a spreadsheet would run as a formula, one starting with = + - @, a tab or a carriage
 * return, gets an apostrophe in front, as OWASP's "CSV Injection" advice has it: the file may carry
 * text written by someone else (a partner administration, an uploader) to the person who opens it.
 * A cell holding a quote, a line break or a separator (the comma, or the semicolon that spreadsheets
 * in many locales split on) is quoted, its quotes doubled (RFC 4180). Numbers are written as they are.
 *
 * Not for files read back by Clearway (the clearway CSV format, an import's rejected rows for
 * resubmission): there the apostrophe would change the data.
 */

/** Starts a formula in Excel, LibreOffice Calc or Google Sheets. */
const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",;\n\r]/;

export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = formulaStart.test(value) ? `'${value}` : value;
  return needsQuotes.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A CSV line of cells, ended by a line feed. */
export function csvLine(values: readonly (string | number)[]): string {
  return values.map(csvCell).join(',') + '\n';
}
