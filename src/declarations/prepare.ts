/**
 * The CPU half of an import: read CSV rows, parse them in a format, validate, and encode the
 * accepted declarations for COPY. It runs in the importing thread or in a worker thread
 * (import-worker.ts) and yields batches of plain values that either can store.
 */
import type { Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { contentHash } from './content-hash.ts';
import { clearwayReader } from './formats/clearway-csv.ts';
import { readCsv } from './formats/csv-reader.ts';
import {
  HeaderError,
  type FormatReader,
  type HistoricalControl,
  type ParsedDeclaration,
  type UnreadableRow,
} from './formats/format.ts';
import { kcsReader } from './formats/kcs-csv.ts';
import { refuseUnstorableText, storable } from './formats/storable-text.ts';
import type { DeclarationInput, DeclarationType, Finding } from './model.ts';
import { outcomeOf, type ValidationOutcome } from './quality-counts.ts';
import { encodeContent } from './rows.ts';
import { validateDeclaration, type ValidationContext } from './validate/index.ts';

export const importFormats = { kcs: kcsReader, clearway: clearwayReader } as const;
export type ImportFormat = keyof typeof importFormats;

/** An accepted declaration, encoded for COPY, with what storing it needs to know. */
export interface EncodedDeclaration {
  line: number;
  trader: string;
  declarant: string;
  reference: string;
  date: string;
  header: string;
  items: string[];
  hash: string;
  /** The warnings as JSON, and how many there are. */
  findings: string;
  warnings: number;
  /** What validation found, for the quality counters. */
  quality: ValidationOutcome;
  control?: HistoricalControl;
  /** What exchange with partners looks at in a stored batch, without reading it back (exchangeFields). */
  type: DeclarationType;
  ucr?: string;
  transportDocument?: string;
  destination?: string;
}

/** The fields of an accepted declaration that exchange looks at when its batch is stored. */
export function exchangeFields(
  d: DeclarationInput,
): Pick<EncodedDeclaration, 'type' | 'ucr' | 'transportDocument' | 'destination'> {
  return {
    type: d.type,
    ...(d.ucr ? { ucr: d.ucr } : {}),
    ...(d.transportDocument ? { transportDocument: d.transportDocument } : {}),
    ...(d.destinationCountry ? { destination: d.destinationCountry } : {}),
  };
}

export interface Rejected {
  /** The line where the declaration (or the unreadable row) starts. */
  line: number;
  reference?: string;
  /** What rejects it, each at the line of the row it concerns (`line` when none is given). */
  findings: (Pick<Finding, 'path' | 'code' | 'message'> & { line?: number })[];
  /** For a row that validation refused: what it found, and the declarant the row names. */
  quality?: ValidationOutcome & { declarant?: string };
}

export interface PreparedBatch {
  accepted: EncodedDeclaration[];
  rejected: Rejected[];
  /** Data rows read so far. */
  rows: number;
}

/**
 * Prepares a file in this thread. A batch closes as soon as it holds `batchSize` accepted
 * declarations (with the rejected rows read before the last of them), so the batches of a file are
 * the same however it is read, in this thread or split over worker threads (import-worker-client.ts).
 */
export async function* prepareDeclarations(
  input: Readable,
  format: ImportFormat,
  validation: ValidationContext,
  batchSize = 10_000,
): AsyncGenerator<PreparedBatch> {
  const batches = new Batcher(batchSize);
  let rows = 0;
  for await (const piece of preparePart(input, format, validation, { pieceSize: batchSize })) {
    yield* batches.add(piece, 0);
    rows = piece.rows;
  }
  yield batches.end(rows);
}

/**
 * What a part of a file gives, in file order: each accepted declaration with the data rows of the
 * part read when it was complete, and each rejected row with the number of accepted declarations
 * of the piece before it.
 */
export interface PreparedPiece {
  accepted: EncodedDeclaration[];
  acceptedRows: number[];
  rejected: Rejected[];
  rejectedAfter: number[];
  /** Data rows of the part read so far. */
  rows: number;
  /**
   * The line of the part's first row when the part was to find where it starts (null: it found no
   * such row; a part given where to start leaves it out).
   */
  first?: number | null;
  /** On the last piece of a part: where it ended (see Part). */
  end?: PartEnd;
}

/**
 * A part of a file to prepare. Parts after the first start and end at rows where a declaration
 * certainly starts (FormatReader.startsDeclaration), so that the parts prepared apart give what the
 * file read whole gives.
 */
export interface Part {
  /** Declarations given at least this many at a time (on a row read after them), and at a part's end. */
  pieceSize: number;
  /**
   * Where the input starts, when not at the file's beginning: at the start of line `line`, with the
   * file's header row. The part then starts at the first row where a declaration certainly starts.
   */
  from?: { line: number; header: readonly string[] };
  /** The part starts at the row of this line, known to start a declaration (else at the input's start). */
  start?: number;
  /**
   * The part ends before the first row from this line on where a declaration certainly starts (its
   * previous row from this line on too); without it, at the end of the input.
   */
  until?: number;
}

export interface PartEnd {
  /** The line of the row where the next part starts (null: the part ends with the input). */
  next: number | null;
}

/** Reads, parses, validates and encodes a part of a file, in pieces. */
export async function* preparePart(
  input: Readable,
  format: ImportFormat,
  validation: ValidationContext,
  part: Part,
): AsyncGenerator<PreparedPiece> {
  const reader: FormatReader = importFormats[format]();
  const fresh = (): PreparedPiece => ({
    accepted: [],
    acceptedRows: [],
    rejected: [],
    rejectedAfter: [],
    rows: 0,
  });
  let piece = fresh();
  let rows = 0;
  let headerSeen = part.from === undefined ? false : true;
  let width = -1;
  if (part.from) {
    const problem = reader.start(part.from.header);
    if (problem) throw new HeaderError(problem);
    width = part.from.header.length;
  }
  const { from, start } = part;
  let started = from === undefined && start === undefined;
  let first: number | null = null;
  let previous: readonly string[] | null = null;
  let previousLine = 0;
  let next: number | null = null;

  const reject = (r: Rejected) => {
    piece.rejected.push(r);
    piece.rejectedAfter.push(piece.accepted.length);
  };
  const take = (parsed: ParsedDeclaration | UnreadableRow, at: number) => {
    if ('reason' in parsed) {
      reject({
        line: parsed.line,
        findings: [{ path: 'row', code: 'unreadable_row', message: storable(parsed.reason) }],
      });
      return;
    }
    refuseUnstorableText(parsed);
    const result = validateDeclaration(parsed.draft, validation, parsed.edgeFindings);
    if (!result.ok || parsed.rowFindings.length > 0) {
      const { functionalReference: reference, trader, declarant, date } = parsed.draft;
      const found = result.ok ? result.value.warnings : result.error.findings;
      reject({
        line: parsed.line,
        ...(reference ? { reference } : {}),
        findings: rejection(parsed, found),
        quality: {
          ...outcomeOf(trader ?? '', date, validation.today, found),
          ...(declarant === undefined ? {} : { declarant }),
        },
      });
      return;
    }
    const { declaration: d, warnings } = result.value;
    const content = encodeContent(d);
    const accepted: EncodedDeclaration = {
      line: parsed.line,
      trader: d.trader,
      declarant: d.declarant,
      reference: d.functionalReference,
      date: d.date,
      header: content.header,
      items: content.items,
      hash: contentHash(content),
      findings: warnings.length ? JSON.stringify(warnings) : '[]',
      warnings: warnings.length,
      quality: outcomeOf(d.trader, d.date, validation.today, warnings),
      ...exchangeFields(d),
    };
    if (parsed.control) accepted.control = parsed.control;
    piece.accepted.push(accepted);
    piece.acceptedRows.push(at);
  };
  /** A row where a part starts or ends from `line` on: read whole, as its previous row, apart. */
  const boundary = (row: { line: number; fields: string[] }, line: number) =>
    previous !== null && previousLine >= line && reader.startsDeclaration(previous, row.fields);

  const stream = readCsv(input, part.from ? { line: part.from.line, width } : undefined);
  reading: for await (const chunk of stream) {
    for (const row of chunk) {
      if (!headerSeen) {
        if ('error' in row) throw new HeaderError(`the header row cannot be read: ${row.error}`);
        const problem = reader.start(row.fields);
        if (problem) throw new HeaderError(problem);
        width = row.fields.length;
        headerSeen = true;
        continue;
      }
      if (!started) {
        const at =
          start !== undefined
            ? row.line === start
            : 'fields' in row && from !== undefined && boundary(row, from.line);
        if (!at) {
          previous = 'fields' in row && row.fields.length === width ? row.fields : null;
          previousLine = row.line;
          continue;
        }
        started = true;
        first = row.line;
      }
      if (part.until !== undefined && 'fields' in row && boundary(row, part.until)) {
        next = row.line;
        break reading;
      }
      previous = 'fields' in row && row.fields.length === width ? row.fields : null;
      previousLine = row.line;
      // let storage round trips in the same thread progress while a batch is prepared
      if (++rows % 500 === 0) await yieldToLoop();
      const parsed =
        'error' in row ? reader.unreadable(row.line, row.error) : reader.row(row.fields, row.line);
      for (const p of parsed) take(p, rows);
    }
    if (piece.accepted.length >= part.pieceSize) {
      piece.rows = rows;
      if (from) piece.first = first;
      yield piece;
      piece = fresh();
    }
  }
  if (!headerSeen) throw new HeaderError('the file is empty: it has no header row');
  // the declaration the next part's first row completes: read with that row
  if (started) for (const parsed of reader.end()) take(parsed, next === null ? rows : rows + 1);
  piece.rows = rows;
  if (from) piece.first = first;
  piece.end = { next };
  yield piece;
}

/** Cuts the pieces of a file's parts, in file order, into batches of `size` accepted declarations. */
export class Batcher {
  private batch: PreparedBatch = { accepted: [], rejected: [], rows: 0 };

  constructor(private readonly size: number) {}

  /** Adds a piece of a part that starts after `rowsBefore` data rows; returns the batches it fills. */
  add(piece: PreparedPiece, rowsBefore: number): PreparedBatch[] {
    const full: PreparedBatch[] = [];
    let r = 0;
    for (let i = 0; i < piece.accepted.length; i++) {
      while (r < piece.rejected.length && (piece.rejectedAfter[r] ?? 0) <= i) this.rejectAt(piece, r++);
      const d = piece.accepted[i];
      if (d) this.batch.accepted.push(d);
      if (this.batch.accepted.length >= this.size) {
        this.batch.rows = rowsBefore + (piece.acceptedRows[i] ?? 0);
        full.push(this.batch);
        this.batch = { accepted: [], rejected: [], rows: 0 };
      }
    }
    while (r < piece.rejected.length) this.rejectAt(piece, r++);
    return full;
  }

  /** The last batch, after `rows` data rows in all (it may hold nothing). */
  end(rows: number): PreparedBatch {
    this.batch.rows = rows;
    return this.batch;
  }

  private rejectAt(piece: PreparedPiece, r: number) {
    const rejected = piece.rejected[r];
    if (rejected) this.batch.rejected.push(rejected);
  }
}

const itemIndex = /^items\[(\d+)\]/;

/**
 * The findings that reject a declaration, each at the line of its row: an item's at the row of that
 * item, the header's at the first row. Every other row of the declaration is named too, with the
 * lines that rejected it. Text from the file is never echoed as PostgreSQL could not store it.
 */
function rejection(parsed: ParsedDeclaration, found: readonly Finding[]): Rejected['findings'] {
  const { lines } = parsed;
  const first = lines[0] ?? parsed.line;
  const findings: (Rejected['findings'][number] & { line: number })[] = parsed.rowFindings.map((f) => ({
    ...f,
    message: storable(f.message),
  }));
  for (const f of found) {
    if (f.severity !== 'error') continue;
    const item = itemIndex.exec(f.path);
    const line = (item ? lines[Number(item[1])] : undefined) ?? first;
    findings.push({ line, path: f.path, code: f.code, message: storable(f.message) });
  }
  const named = new Set(findings.map((f) => f.line));
  if (lines.some((line) => !named.has(line))) {
    const at = [...named].sort((a, b) => a - b).join(', ');
    for (const line of lines) {
      if (named.has(line)) continue;
      findings.push({
        line,
        path: 'row',
        code: 'declaration_rejected',
        message: `rejected with the rest of its declaration (from line ${first}) for what was found at line ${at}`,
      });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}
