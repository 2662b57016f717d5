/**
 * Writes demo declarations in the clearway CSV format: one line per goods item, the header fields
 * repeated on each line, the control label in the last two columns. Streams with backpressure.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { clearwayColumns } from '../declarations/formats/clearway-columns.ts';
import type { DeclarationInput, GoodsItem } from '../declarations/model.ts';
import { generateDeclarations, type DemoDeclaration, type DemoLabel, type DemoOptions } from './generate.ts';

const needsQuotes = /[",\r\n]/;

/** A text field: empty when absent, quoted (RFC 4180) when it holds a comma, quote or line break. */
function text(value: string | undefined): string {
  if (value === undefined) return '';
  return needsQuotes.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const rememberedFields = new Map<string, string>();
const rememberedLimit = 50_000;

/** A text field whose values repeat (codes, names, catalogue wording): quoted once, then remembered. */
function repeated(value: string | undefined): string {
  if (value === undefined) return '';
  let field = rememberedFields.get(value);
  if (field === undefined) {
    field = text(value);
    if (rememberedFields.size >= rememberedLimit) rememberedFields.clear();
    rememberedFields.set(value, field);
  }
  return field;
}

/** A number field: empty when absent, else the shortest exact decimal form, as String() gives. */
function num(value: number | undefined): string {
  if (value === undefined) return '';
  if (Number.isInteger(value)) return String(value);
  const thousandths = Math.round(value * 1000);
  if (value < 0 || thousandths > 1e15 || thousandths / 1000 !== value) return String(value);
  const whole = Math.floor(thousandths / 1000);
  const rest = thousandths - whole * 1000;
  if (rest % 100 === 0) return `${whole}.${rest / 100}`;
  if (rest % 10 === 0) return `${whole}.${rest < 100 ? '0' : ''}${rest / 10}`;
  return `${whole}.${rest < 10 ? '00' : rest < 100 ? '0' : ''}${rest}`;
}

/** An amount with two decimals (what toFixed(2) gives, faster). */
function money(value: number | undefined): string {
  if (value === undefined) return '';
  const cents = Math.round(value * 100);
  if (!(value >= 0 && cents <= 1e15)) return value.toFixed(2);
  const whole = Math.floor(cents / 100);
  const rest = cents - whole * 100;
  return `${whole}.${rest < 10 ? '0' : ''}${rest}`;
}

/*
 * The three parts of a line, hand-written for speed (a million rows must take seconds); their
 * columns, in order, are those of `clearwayColumns` (the tests parse the output back by name).
 */

/** `type` .. `incoterm`: the declaration header, the same on every item line. */
function headerFields(d: DeclarationInput): string {
  // prettier-ignore
  return repeated(d.type) + ',' + text(d.functionalReference) + ',' + repeated(d.date) + ',' +
    repeated(d.office) + ',' + repeated(d.declarant) + ',' + repeated(d.trader) + ',' +
    repeated(d.seller) + ',' + repeated(d.buyer) + ',' + repeated(d.courier) + ',' +
    repeated(d.transportMode) + ',' + repeated(d.dispatchCountry) + ',' + repeated(d.originCountry) + ',' +
    repeated(d.currency) + ',' + money(d.invoiceTotal) + ',' + repeated(d.procedure) + ',' +
    repeated(d.additionalProcedure) + ',' + repeated(d.paymentMethod) + ',' + repeated(d.processingMode) + ',' +
    repeated(d.ucr) + ',' + repeated(d.transportDocument) + ',' + repeated(d.transportDocumentType) + ',' +
    repeated(d.exporter) + ',' + repeated(d.destinationCountry) + ',' + repeated(d.incoterm);
}

/** `item_sequence` .. `origin_indicator`: one goods item. */
function itemFields(item: GoodsItem): string {
  // prettier-ignore
  return num(item.sequence) + ',' + repeated(item.hsCode) + ',' + repeated(item.description) + ',' +
    repeated(item.originCountry) + ',' + num(item.netMass) + ',' + num(item.grossMass) + ',' +
    num(item.supplementaryQuantity) + ',' + repeated(item.supplementaryUnit) + ',' + money(item.value) + ',' +
    repeated(item.dutyTaxType) + ',' + num(item.dutyRate) + ',' + repeated(item.packageType) + ',' +
    num(item.packageCount) + ',' + repeated(item.originIndicator);
}

/** `control_outcome`, `irregularity`: the label. */
function labelFields(label: DemoLabel): string {
  return `${repeated(label.outcome)},${repeated(label.irregularity)}`;
}

/** The header line: the clearway column names in order. */
export function clearwayHeaderLine(): string {
  return clearwayColumns.join(',');
}

/** One CSV line (without line break) per goods item of the declaration. */
export function declarationToRows({ input, label }: DemoDeclaration): string[] {
  const header = headerFields(input);
  const tail = labelFields(label);
  return input.items.map((item) => `${header},${itemFields(item)},${tail}`);
}

/** The declaration's lines, each ending with a line break (declarationToRows without the array). */
function declarationLines({ input, label }: DemoDeclaration): string {
  const header = headerFields(input);
  const tail = labelFields(label);
  let lines = '';
  for (const item of input.items) lines += `${header},${itemFields(item)},${tail}\n`;
  return lines;
}

const batchChars = 64 * 1024;

/**
 * Generates demo declarations into a CSV file (a path, created or replaced) or a stream, with the
 * header line first. A path's file is closed when done; a given stream is left open.
 */
export async function writeDemoCsv(
  options: DemoOptions,
  out: NodeJS.WritableStream | string,
): Promise<{ declarations: number; rows: number }> {
  const owned = typeof out === 'string';
  const stream: NodeJS.WritableStream = owned ? createWriteStream(out, { highWaterMark: 1 << 20 }) : out;
  let failure: unknown;
  const onError = (error: unknown): void => {
    failure ??= error;
  };
  stream.on('error', onError);
  try {
    if (owned) await once(stream, 'open');
    const counts = await writeLines(options, stream, () => failure);
    if (owned) {
      stream.end();
      await finished(stream);
    }
    return counts;
  } finally {
    if (!owned) stream.removeListener('error', onError);
  }
}

async function writeLines(
  options: DemoOptions,
  stream: NodeJS.WritableStream,
  failure: () => unknown,
): Promise<{ declarations: number; rows: number }> {
  const write = async (chunk: string): Promise<void> => {
    const error = failure();
    if (error !== undefined) throw error;
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  let batch = `${clearwayHeaderLine()}\n`;
  let declarations = 0;
  let rows = 0;
  for (const declaration of generateDeclarations(options)) {
    batch += declarationLines(declaration);
    declarations += 1;
    rows += declaration.input.items.length;
    if (batch.length >= batchChars) {
      await write(batch);
      batch = '';
    }
  }
  if (batch.length > 0) await write(batch);
  return { declarations, rows };
}
