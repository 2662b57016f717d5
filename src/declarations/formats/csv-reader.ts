/**
 * A streaming RFC 4180 CSV reader. Lines without quotes take a fast path (a plain split), which
 * makes it several times faster than csv-parse on declaration files (ADR 0002). Quoted fields may
 * hold commas, doubled quotes and line breaks. A malformed row is reported as a value, with its
 * line number, and reading goes on with the next row.
 */
import type { Readable } from 'node:stream';

export type CsvRow = { line: number; fields: string[] } | { line: number; error: string };

/** Longest row accepted; a longer one is almost always a quote that was never closed. */
const maxRowLength = 1 << 20;

/** Yields the rows of each chunk read together (one promise per chunk, not per row). */
export async function* readCsv(input: Readable): AsyncGenerator<CsvRow[]> {
  let buffer = '';
  let line = 1;
  let first = true;
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    buffer = first ? chunk.replace(/^\uFEFF/, '') : buffer + chunk;
    first = false;
    let start = 0;
    const rows: CsvRow[] = [];
    const quotes = { at: -2 };
    for (;;) {
      const row = nextRow(buffer, start, line, false, quotes);
      if (!row) break;
      rows.push(row.row);
      line = row.nextLine;
      start = row.next;
    }
    buffer = buffer.slice(start);
    if (buffer.length > maxRowLength) {
      rows.push({
        line,
        error: `row ${line} is longer than ${maxRowLength} characters: is a quote left open?`,
      });
      yield rows;
      return;
    }
    if (rows.length > 0) yield rows;
  }
  if (buffer.length > 0) {
    const row = nextRow(buffer, 0, line, true, { at: -2 });
    if (row) yield [row.row];
  }
}

interface Parsed {
  row: CsvRow;
  next: number;
  nextLine: number;
}

/**
 * Parses the row at `start`, or returns null when the buffer ends before the row does. `quotes`
 * remembers the next quote in the buffer (-1: none left), so quote-free rows cost one scan in all.
 */
function nextRow(
  buf: string,
  start: number,
  line: number,
  atEnd: boolean,
  quotes: { at: number },
): Parsed | null {
  const nl = buf.indexOf('\n', start);
  if (nl === -1 && !atEnd) return null;
  const end = nl === -1 ? buf.length : nl;
  if (quotes.at !== -1 && quotes.at < start) quotes.at = buf.indexOf('"', start);
  if (quotes.at === -1 || quotes.at > end) {
    const text = buf.charCodeAt(end - 1) === 13 ? buf.slice(start, end - 1) : buf.slice(start, end);
    return { row: { line, fields: text.split(',') }, next: end + 1, nextLine: line + 1 };
  }
  return quotedRow(buf, start, line, atEnd);
}

function quotedRow(buf: string, start: number, line: number, atEnd: boolean): Parsed | null {
  const fields: string[] = [];
  let i = start;
  let lines = 0;
  let error: string | undefined;
  for (;;) {
    let value = '';
    if (buf.charCodeAt(i) === 34) {
      i++;
      for (;;) {
        const q = buf.indexOf('"', i);
        if (q === -1) {
          if (!atEnd) return null;
          return {
            row: { line, error: `row ${line}: a quoted field is never closed` },
            next: buf.length,
            nextLine: line + 1,
          };
        }
        const piece = buf.slice(i, q);
        lines += countNewlines(piece);
        value += piece;
        if (buf.charCodeAt(q + 1) === 34) {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
    }
    const stop = nextDelimiter(buf, i);
    if (stop === -1 && !atEnd) return null;
    const to = stop === -1 ? buf.length : stop;
    let rest = buf.slice(i, to);
    if (rest.endsWith('\r') && (to === buf.length || buf.charCodeAt(to) === 10)) rest = rest.slice(0, -1);
    if (rest.length > 0) {
      if (value !== '' || buf.charCodeAt(i - 1) === 34)
        error ??= `row ${line}, field ${fields.length + 1}: text after a closing quote`;
      else if (rest.includes('"'))
        error ??= `row ${line}, field ${fields.length + 1}: a quote inside an unquoted field`;
      value += rest;
    }
    fields.push(value);
    if (to === buf.length || buf.charCodeAt(to) === 10) {
      const row: CsvRow = error ? { line, error } : { line, fields };
      return { row, next: to + 1, nextLine: line + lines + 1 };
    }
    i = to + 1;
  }
}

function nextDelimiter(buf: string, from: number): number {
  const comma = buf.indexOf(',', from);
  const nl = buf.indexOf('\n', from);
  if (comma === -1) return nl;
  if (nl === -1) return comma;
  return Math.min(comma, nl);
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
