/**
 * WCO DEC-DMS 2 message files in and out, for the CLI: every declaration of a period written as
 * one message file, and message files (one, a folder of them, or a ZIP archive of them) validated
 * and stored as an import is, with the data-quality counts an import keeps.
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/database.ts';
import { storeBatch, type StoredHook } from './bulk-store.ts';
import { contentHash } from './content-hash.ts';
import {
  declarationToXml,
  locateFindings,
  maxMessageBytes,
  parseWcoMessage,
} from './formats/wco-xml/index.ts';
import type { Finding } from './model.ts';
import { exchangeFields, type EncodedDeclaration } from './prepare.ts';
import { outcomeOf, QualityTally } from './quality-counts.ts';
import { declarationsRepository } from './repository.ts';
import { encodeContent } from './rows.ts';
import { validateDeclaration, type ValidationContext } from './validate/index.ts';
import { looksLikeZip, zipEntries, type ZipLimits } from './zip-entries.ts';

const page = 500;

/** Why a file is rejected: a finding, or a message that could not be read at all. */
type Problem = Pick<Finding, 'code' | 'message' | 'xmlPath' | 'line' | 'column'> & { path?: string };

/** A file name for a declaration's message: its id and reference, with anything unsafe replaced. */
export const messageFileName = (id: number, reference: string): string =>
  `${id}-${reference.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}.xml`;

/** Writes one message file per declaration dated within the period (all when unbounded); returns how many. */
export async function exportWcoXml(
  db: Database,
  dir: string,
  period: { from?: string; to?: string },
): Promise<number> {
  await mkdir(dir, { recursive: true });
  let written = 0;
  let before: number | undefined;
  for (;;) {
    const batch = await declarationsRepository.list(db, { kind: 'all' }, { ...period, before, limit: page });
    for (const d of batch) {
      const file = path.join(dir, messageFileName(d.id, d.functionalReference));
      // written beside and renamed, so a file in the folder is always a whole message
      await writeFile(`${file}.partial`, declarationToXml(d), { mode: 0o600 });
      await rename(`${file}.partial`, file);
      written++;
    }
    const last = batch[batch.length - 1];
    if (batch.length < page || !last) return written;
    before = last.id;
  }
}

export interface XmlImportSummary {
  files: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Per rejected file, what rejects it (located in the message where it can be). */
  rejections: {
    file: string;
    findings: Pick<Finding, 'path' | 'code' | 'message' | 'xmlPath' | 'line' | 'column'>[];
  }[];
}

/** One message to import: its text, or why it could not be read (named by file, or archive!entry). */
export type MessageSource = { file: string; xml: string } | { file: string; problem: Problem };

/** What a ZIP archive of messages may hold: every entry is a message, so each is capped as one. */
export const zipLimits: ZipLimits = {
  maxEntries: 50_000,
  maxEntryBytes: maxMessageBytes,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
};

/** The message files of `source`: the file itself, or the `.xml` files of a folder, by name. */
export async function messageFiles(source: string): Promise<string[]> {
  if (!(await stat(source)).isDirectory()) return [source];
  const names = (await readdir(source)).filter((n) => n.toLowerCase().endsWith('.xml')).sort();
  return names.map((n) => path.join(source, n));
}

/**
 * The messages of `source`, read one at a time: a file, the `.xml` files of a folder, or every
 * entry of a ZIP archive (one that is not `.xml` is rejected as such). An unreadable archive
 * throws a ZipError.
 */
export async function* messagesOf(
  source: string,
  limits: ZipLimits = zipLimits,
): AsyncGenerator<MessageSource> {
  if (!(await stat(source)).isDirectory() && (await looksLikeZip(source))) {
    for await (const entry of zipEntries(source, limits)) {
      const file = `${source}!${entry.name}`;
      if ('problem' in entry) yield { file, problem: entry.problem };
      else if (!entry.name.toLowerCase().endsWith('.xml'))
        yield { file, problem: { code: 'zip_entry_not_xml', message: 'not an .xml message file' } };
      else yield { file, xml: entry.bytes.toString('utf8') };
    }
    return;
  }
  for (const file of await messageFiles(source)) {
    const size = (await stat(file)).size;
    if (size > maxMessageBytes)
      yield {
        file,
        problem: {
          code: 'xml_too_large',
          message: `${size} bytes, more than the ${maxMessageBytes} accepted`,
        },
      };
    else yield { file, xml: await readFile(file, 'utf8') };
  }
}

/**
 * Validates and stores each message on its own, in batches; one bad message rejects only itself.
 * Every message validation reads is counted for data quality, as in the other imports.
 */
export async function importWcoXml(
  db: Database,
  validation: ValidationContext,
  messages: AsyncIterable<MessageSource> | Iterable<MessageSource>,
  actor: string,
  hook?: StoredHook,
): Promise<XmlImportSummary> {
  const summary: XmlImportSummary = {
    files: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    rejections: [],
  };
  const reject = (file: string, findings: readonly Problem[]) => {
    summary.rejected++;
    summary.rejections.push({
      file,
      findings: findings.map((f) => ({
        path: f.path ?? 'xml',
        code: f.code,
        message: f.message,
        ...located(f),
      })),
    });
  };
  let batch: { file: string; row: EncodedDeclaration }[] = [];
  let tally = new QualityTally();
  const flush = async () => {
    const counted = tally;
    tally = new QualityTally();
    if (batch.length === 0) {
      await counted.write(db);
      return;
    }
    const outcome = await storeBatch(
      db,
      batch.map((b) => b.row),
      { source: 'wco-xml', actor, hook },
    );
    // after the batch is stored, so that a batch that fails to store is not counted
    await db.transaction((tx) => counted.write(tx));
    summary.accepted += outcome.stored;
    summary.duplicates += outcome.duplicates.length;
    for (const conflict of outcome.conflicts) {
      const file = batch.find((b) => b.row === conflict)?.file ?? '';
      reject(file, [
        {
          path: 'functionalReference',
          code: 'functional_reference_conflict',
          message: `${conflict.reference} was already lodged by ${conflict.trader} with different content`,
        },
      ]);
    }
    batch = [];
  };
  for await (const message of messages) {
    summary.files++;
    const { file } = message;
    if ('problem' in message) {
      reject(file, [message.problem]);
      continue;
    }
    const parsed = parseWcoMessage(message.xml);
    if (!parsed.ok) {
      reject(file, [parsed.error]);
      continue;
    }
    const { draft, origins, findings } = parsed.value;
    // the message's own findings (schema, unreadable values) go in first, as an import's edge findings do
    const result = validateDeclaration(draft, validation, findings);
    const found = result.ok ? result.value.warnings : result.error.findings;
    tally.add(outcomeOf(draft.trader ?? '', draft.date, validation.today, found));
    if (findings.length > 0 || !result.ok) {
      reject(file, findings.length > 0 ? findings : locateFindings(found, origins));
      if (tally.size >= page) await flush();
      continue;
    }
    const { declaration: d, warnings } = result.value;
    const content = encodeContent(d);
    batch.push({
      file,
      row: {
        line: 1,
        trader: d.trader,
        declarant: d.declarant,
        reference: d.functionalReference,
        date: d.date,
        header: content.header,
        items: content.items,
        hash: contentHash(content),
        findings: JSON.stringify(warnings),
        warnings: warnings.length,
        quality: outcomeOf(d.trader, d.date, validation.today, warnings),
        ...exchangeFields(d),
      },
    });
    if (batch.length >= page) await flush();
  }
  await flush();
  return summary;
}

function located(f: { xmlPath?: string; line?: number; column?: number }) {
  return {
    ...(f.xmlPath === undefined ? {} : { xmlPath: f.xmlPath }),
    ...(f.line === undefined ? {} : { line: f.line }),
    ...(f.column === undefined ? {} : { column: f.column }),
  };
}
