/**
 * `clearway documents read (--all-unread | --id ID) [--json]`: reads attached documents as the
 * server's reader does (documents/reader.ts): every unread document no server is reading, or one
 * document again; records each reading and assesses a declaration still open again when its
 * invoice's review finds discrepancies.
 */
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { claimNext, lazyOcr, readClaimed, readUnread, type ReadOutcome } from '../documents/reader.ts';
import { attachmentById } from '../documents/store.ts';
import { documentReassessment } from '../risk/document-reassessment.ts';
import { idMax, parseInteger, wholeNumberFrom } from '../shared/integer.ts';
import { parse, UsageError } from './usage.ts';

export const documentsReadUsage = 'usage: clearway documents read (--all-unread | --id ID) [--json]';

export async function documentsRead(args: string[]): Promise<number> {
  const { values } = parse(args, {
    'all-unread': { type: 'boolean', default: false },
    id: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (values['all-unread'] === (values.id !== undefined))
    throw new UsageError(`give --all-unread or --id, one of them; ${documentsReadUsage}`);
  const id = values.id === undefined ? undefined : parseInteger(values.id, 1, idMax);
  if (id === null) throw new UsageError(`--id must be ${wholeNumberFrom(1, idMax)}, got "${values.id}"`);
  const ctx = await openAppContext(loadConfig());
  const ocr = lazyOcr();
  try {
    const deps = { db: ctx.db, reassess: documentReassessment(ctx.risk) };
    const outcomes: ReadOutcome[] = [];
    const report = (o: ReadOutcome) => {
      outcomes.push(o);
      if (!values.json) process.stdout.write(line(o));
    };
    if (id === undefined) await readUnread(deps, ocr, { onRead: report });
    else {
      const claimed = await claimNext(ctx.db, undefined, id);
      if (!claimed) {
        const exists = (await attachmentById(ctx.db, id)) !== null;
        process.stderr.write(
          `clearway documents: ${exists ? `document ${id} is being read by a server` : `no document ${id}`}\n`,
        );
        return 1;
      }
      report(await readClaimed(deps, claimed, ocr));
    }
    const t = tally(outcomes);
    process.stdout.write(
      values.json
        ? JSON.stringify({ ...t, documents: outcomes }) + '\n'
        : `${outcomes.length} document${outcomes.length === 1 ? '' : 's'} read: ${t.failed} could not be read, ` +
            (t.superseded ? `${t.superseded} left to another reader, ` : '') +
            `${t.discrepancies} discrepanc${t.discrepancies === 1 ? 'y' : 'ies'} found\n`,
    );
    return 0;
  } finally {
    await ocr.close();
    await ctx.close();
  }
}

/**
 * What a run of readings came to. A reading another reader's claim superseded is neither read nor
 * failed: that reader records it.
 */
export function tally(outcomes: readonly ReadOutcome[]): {
  read: number;
  failed: number;
  superseded: number;
  discrepancies: number;
} {
  const superseded = outcomes.filter((o) => o.superseded).length;
  const failed = outcomes.filter((o) => !o.read && !o.superseded).length;
  return {
    read: outcomes.length - failed - superseded,
    failed,
    superseded,
    discrepancies: outcomes.reduce((n, o) => n + o.discrepancies, 0),
  };
}

function line(o: ReadOutcome): string {
  const what = `document ${o.id} (declaration ${o.declarationId})`;
  if (o.superseded) return `${what}: not recorded: another reader claimed it meanwhile\n`;
  if (!o.read) return `${what}: could not be read: ${o.error ?? ''}\n`;
  const lane = o.lane ? `, assessed again: ${o.lane} lane` : '';
  return `${what}: read, ${o.discrepancies} discrepanc${o.discrepancies === 1 ? 'y' : 'ies'}${lane}\n`;
}
