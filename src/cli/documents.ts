/**
 * `clearway documents read ...`: the attached documents read and reviewed (documents-read.ts).
 * `clearway documents extract FILE [--json]`: reads a commercial document (PDF, PNG, JPEG or
 * text, judged by its content) and prints the invoice fields found, each with the page, region
 * and text it was read from: as one JSON line, or as a short summary.
 */
import { readFile } from 'node:fs/promises';
import { documentTypeOf } from '../documents/content-type.ts';
import { DocumentError } from '../documents/document-error.ts';
import { extractDocument } from '../documents/extract.ts';
import type { DocumentExtraction, Located } from '../documents/extraction.ts';
import { parse, readableFile, subCommand, UsageError } from './usage.ts';

export const documentsUsage =
  'usage: clearway documents extract FILE [--json] | clearway documents read (--all-unread | --id ID) [--json]';

/** Documents larger than this are refused before reading (the upload limit is smaller). */
const maxBytes = 50 * 1024 * 1024;

export async function documentsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (subCommand(sub, ['extract', 'read'] as const) === 'read')
    return (await import('./documents-read.ts')).documentsRead(rest);
  const { values, positionals } = parse(rest, { json: { type: 'boolean', default: false } }, true);
  if (positionals.length !== 1) throw new UsageError(`give one file; ${documentsUsage}`);
  const file = await readableFile(positionals[0] ?? '', 'document');
  const bytes = new Uint8Array(await readFile(file));
  if (bytes.length > maxBytes) throw new UsageError(`${file} is larger than ${maxBytes / 1024 / 1024} MiB`);
  try {
    const extraction = await extractDocument(bytes, documentTypeOf(bytes));
    process.stdout.write(
      values.json ? JSON.stringify({ file, ...extraction }) + '\n' : summary(file, extraction),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    process.stderr.write(`clearway documents: ${file}: ${error.message}\n`);
    return 1;
  }
}

const methods = { 'text-layer': 'from the text layer', ocr: 'by OCR', text: 'as plain text' } as const;

function where(field: Located<unknown>): string {
  const box = field.box ? ` at ${Math.round(field.box.x)},${Math.round(field.box.y)}` : '';
  return `page ${field.page}${box}: "${field.text}"`;
}

function summary(file: string, e: DocumentExtraction): string {
  const f = e.fields;
  const confidence = e.confidence === undefined ? '' : `, confidence ${e.confidence}`;
  const out = [
    `${file}: ${e.mediaType}, ${e.pages} page${e.pages === 1 ? '' : 's'}, read ${methods[e.method]}${confidence}`,
  ];
  const rows: [string, Located<unknown> | undefined][] = [
    ['invoice number', f.number],
    ['date', f.date],
    ['seller', f.seller],
    ['buyer', f.buyer],
    ['currency', f.currency],
    ['incoterm', f.incoterm],
    ['total', f.total],
  ];
  for (const [name, field] of rows)
    out.push(
      `  ${name.padEnd(15)} ${field ? `${String(field.value).padEnd(32)} ${where(field)}` : '(not found)'}`,
    );
  out.push(`  lines           ${f.lines.length}`);
  f.lines.forEach((l, i) => {
    const numbers = [
      l.quantity?.value,
      l.unit?.value,
      l.unitPrice && `x ${l.unitPrice.value}`,
      l.amount && `= ${l.amount.value}`,
    ];
    out.push(`    ${i + 1}. ${l.description.value}  ${numbers.filter((n) => n !== undefined).join(' ')}`);
  });
  return out.join('\n') + '\n';
}
