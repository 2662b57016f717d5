/**
 * `clearway import FILE --format kcs|clearway`: streams a file into the database, then risk-assesses
 * the accepted declarations in batches (unless --skip-assessment); before that, compares their goods
 * descriptions with their codes when a classification model is active (unless
 * --skip-description-check; declarations/description-pass.ts).
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { openAppContext, type AppContext } from '../app-context.ts';
import { compareImportedDescriptions, type ImportedScope } from '../declarations/description-pass.ts';
import { loadConfig } from '../config.ts';
import { HeaderError } from '../declarations/formats/format.ts';
import { importFile, importFormats, type ImportFormat } from '../declarations/importer.ts';
import { importWcoXml, messagesOf } from '../declarations/wco-xml-files.ts';
import { ZipError } from '../declarations/zip-entries.ts';
import { progressBar } from './progress.ts';
import { fileErrorCode, fileProblem, parse, readableFile, UsageError } from './usage.ts';

export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      format: { type: 'string' },
      rejects: { type: 'string' },
      json: { type: 'boolean', default: false },
      'skip-assessment': { type: 'boolean', default: false },
      'skip-description-check': { type: 'boolean', default: false },
    },
    true,
  );
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError('give exactly one FILE to import');
  const format = values.format;
  if (format === 'wco-xml') return importXml(file, values.json);
  if (!format || !(format in importFormats))
    throw new UsageError(`--format must be one of ${[...Object.keys(importFormats), 'wco-xml'].join(', ')}`);
  const { size } = await stat(await readableFile(file));
  const rows = estimateRows(size);
  const rejectsPath = values.rejects ?? `${file}.rejects.csv`;
  // opened before the database, so a rejects file that cannot be written is a usage error
  const rejects = await openRejects(rejectsPath);

  const ctx = await openAppContext(loadConfig()).catch(async (error: unknown) => {
    await new Promise((resolve) => rejects.end(resolve));
    throw error;
  });
  const bar = !values.json && process.stderr.isTTY ? progressBar(process.stderr, rows) : null;
  try {
    const [start] = await ctx.db.query<{ id: number }>(
      'SELECT coalesce(max(id), 0)::int8 AS id FROM declarations',
    );
    const actor = `import:${path.basename(file)}`;
    const summary = await importFile(
      ctx.db,
      { ...ctx.validation(), referenceDir: ctx.config.referenceDir },
      file,
      {
        format: format as ImportFormat,
        actor,
        hook: ctx.exchange.bulk,
        rejects,
        onProgress: bar ? (rows) => bar.update(rows) : undefined,
      },
    );
    bar?.done();
    const described =
      summary.accepted > 0 && !values['skip-description-check']
        ? await describeImported(ctx, { afterId: start?.id ?? 0, lodgedBy: actor, source: format })
        : null;
    // the price reference (and the unit-value bands validation uses) follows what was imported
    if (summary.accepted > 0) await ctx.refreshPrices();
    const assessment = values['skip-assessment'] ? null : await ctx.risk.assessPending('selectivity');
    if (values.json)
      process.stdout.write(
        JSON.stringify({ ...summary, ...assessment, ...(described ? { described } : {}) }) + '\n',
      );
    else {
      const lanes = assessment
        ? Object.entries(assessment.lanes)
            .map(([lane, n]) => `${n} ${lane}`)
            .join(', ')
        : '';
      process.stdout.write(
        `imported ${file}: ${summary.accepted} accepted, ${summary.rejected} rejected, ${summary.duplicates} duplicates in ${summary.seconds} s\n` +
          (described
            ? `compared ${described.declarations} declarations' descriptions with their codes: ${described.findings} suggest another heading\n`
            : '') +
          (assessment ? `risk-assessed ${assessment.assessed} declarations: ${lanes}\n` : '') +
          (summary.rejected ? `rejected rows and their reasons: ${rejectsPath}\n` : ''),
      );
    }
    return summary.rejected > 0 ? 1 : 0;
  } catch (error) {
    bar?.done();
    if (error instanceof HeaderError) {
      process.stderr.write(`clearway import: ${file}: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await new Promise((resolve) => rejects.end(resolve));
    await ctx.close();
  }
}

/**
 * The description check validation leaves out of imports, as a pass over what the import stored
 * (declarations/description-pass.ts); none when no classification model is active.
 */
async function describeImported(ctx: AppContext, scope: ImportedScope) {
  const aid = await ctx.classification().catch(() => undefined);
  if (aid?.modelId() == null) return null;
  return compareImportedDescriptions(ctx.db, { ...ctx.validation(), descriptionCodes: aid }, scope);
}

/** The rejects file, open for writing; one that cannot be created is a UsageError naming it. */
async function openRejects(file: string): Promise<WriteStream> {
  const stream = createWriteStream(file);
  try {
    await once(stream, 'open');
    return stream;
  } catch (error) {
    const code = fileErrorCode(error) ?? 'EIO';
    throw new UsageError(`cannot write the rejects file ${file}: ${fileProblem(code)}`);
  }
}

/** Progress is counted in rows; a declaration row takes about 150 bytes. */
const estimateRows = (bytes: number) => Math.max(1, Math.round(bytes / 150));

/**
 * WCO DEC-DMS 2 messages: one file, every .xml file of a folder, or every entry of a ZIP archive,
 * read one at a time; each accepted or rejected on its own. An archive that cannot be read at all
 * stops the import with exit 2 (what was stored before stays: importing it again adds the rest).
 */
async function importXml(source: string, json: boolean): Promise<number> {
  await stat(source).catch((error: unknown) => {
    throw new UsageError(`cannot read ${source}: ${fileProblem(fileErrorCode(error) ?? 'ENOENT')}`);
  });
  const ctx = await openAppContext(loadConfig());
  try {
    const summary = await importWcoXml(
      ctx.db,
      ctx.validation(),
      messagesOf(source),
      `import:${path.basename(source)}`,
      ctx.exchange.bulk,
    ).catch((error: unknown) => {
      if (error instanceof ZipError) return error;
      throw error;
    });
    if (summary instanceof ZipError) {
      process.stderr.write(`clearway import: ${source}: ${summary.message}\n`);
      return 2;
    }
    if (summary.accepted > 0) {
      await ctx.refreshPrices();
      await ctx.risk.assessPending('selectivity');
    }
    if (json) process.stdout.write(JSON.stringify(summary) + '\n');
    else {
      process.stdout.write(
        `imported ${source}: ${summary.files} messages, ${summary.accepted} accepted, ${summary.rejected} rejected, ${summary.duplicates} duplicates\n`,
      );
      for (const r of summary.rejections) {
        for (const f of r.findings) {
          const where =
            f.line === undefined ? '' : `:${f.line}${f.column === undefined ? '' : `:${f.column}`}`;
          process.stdout.write(`${r.file}${where}: ${f.path} ${f.code}: ${f.message}\n`);
        }
      }
    }
    return summary.rejected > 0 ? 1 : 0;
  } finally {
    await ctx.close();
  }
}
