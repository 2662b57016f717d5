/**
 * Reading attached documents: each unread document is claimed for a lease (so that two servers
 * never read the same one, and one a stopped server left is taken again once its lease passes),
 * its text and fields extracted, an invoice reviewed against its declaration, and the result
 * recorded (store.ts recordReading). When the review finds discrepancies on a declaration still
 * open for control, the declaration is assessed again (the `reassess` dependency, risk's).
 *
 * The server's reader (startDocumentReader) is woken by each attachment (read-signal.ts), looks
 * at start and every minute for what is left, and keeps one OCR engine, opened at the first image
 * or scanned PDF page (PDFs are parsed in a worker thread, pdf-worker-client.ts).
 * `clearway documents read` runs the same reading in a batch.
 */
import type { Database, Sql } from '../db/database.ts';
import type { DescriptionCodes } from '../declarations/description-codes.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { declarationsRepository as repo } from '../declarations/repository.ts';
import { DocumentError } from './document-error.ts';
import { extractDocument } from './extract.ts';
import type { DocumentExtraction } from './extraction.ts';
import { openOcr, type OcrEngine } from './ocr.ts';
import { closePdfWorker, type PdfLimits } from './pdf-worker-client.ts';
import { onAttached } from './read-signal.ts';
import { reviewChecks, reviewDocument, type DocumentDiscrepancy, type ReviewCheck } from './review.ts';
import {
  contentOf,
  recordReading,
  type DocumentReading,
  type JsonObject,
  type ReadingClaim,
} from './store.ts';
import type { DocumentMediaType } from './kinds.ts';

/** A review as stored with the document: the checks made, and what they found. */
export interface StoredReview {
  checks: ReviewCheck[];
  discrepancies: DocumentDiscrepancy[];
}

export interface ReaderDeps {
  db: Database;
  /**
   * Assesses declaration `id` again inside `tx` when it is still open for control (never lowering
   * its lane); returns its lane then, else undefined. Without it, discrepancies wait for the next
   * assessment.
   */
  reassess?: (tx: Sql, id: number) => Promise<string | undefined>;
  /** The classification aid, when the server has one: invoice lines against the declared headings. */
  descriptionCodes?: () => DescriptionCodes | undefined;
  /** How long a claim holds a document (ms); default 10 minutes. */
  leaseMs?: number;
  /** The limits PDFs are read under (default `defaultPdfLimits`). */
  pdfLimits?: PdfLimits;
}

/** What reading one document came to. */
export interface ReadOutcome {
  id: number;
  declarationId: number;
  read: boolean;
  error?: string;
  discrepancies: number;
  /** The declaration's lane after it was assessed again, when it was. */
  lane?: string;
  /**
   * Nothing was recorded: the reader's lease passed and another reader claimed the document (or it
   * was purged) before this reading finished; the newer claim's reading stands.
   */
  superseded?: true;
}

interface Claimed extends ReadingClaim {
  declarationId: number;
  kind: string;
  mediaType: DocumentMediaType;
  sha256: string;
}

export const defaultLeaseMs = 10 * 60_000;

const claimedColumns = `id::int8 AS id, declaration_id::int8 AS "declarationId", kind,
  media_type AS "mediaType", sha256, read_attempts AS attempts`;

/** Claims of one document after which its reading is given up: each before took its whole lease. */
export const maxAttempts = 3;

/**
 * Claims the oldest unread document no live claim holds (or document `id`, read or not), for
 * `leaseMs`: in a short transaction of its own, skipping rows another server is claiming.
 */
export async function claimNext(
  db: Database,
  leaseMs = defaultLeaseMs,
  id?: number,
): Promise<Claimed | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `SELECT id::int8 AS id FROM declaration_documents
       WHERE ${id === undefined ? 'read_at IS NULL' : 'id = $1'}
         AND (read_claimed_until IS NULL OR read_claimed_until < now())
       ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      id === undefined ? [] : [id],
    );
    if (!row) return null;
    const [claimed] = await tx.query<Claimed>(
      `UPDATE declaration_documents SET read_claimed_until = now() + $2 * interval '1 millisecond',
              read_attempts = read_attempts + 1
       WHERE id = $1 RETURNING ${claimedColumns}`,
      [row.id, leaseMs],
    );
    return claimed ?? null;
  });
}

/** The OCR engine a reader opens at its first image and keeps until it is closed. */
export function lazyOcr() {
  let engine: Promise<OcrEngine> | undefined;
  let opened: OcrEngine | undefined;
  return {
    get: () => {
      // an engine that ended itself on an image it could not read in time is replaced
      if (opened?.ended) engine = opened = undefined;
      return (engine ??= openOcr().then(
        (e) => (opened = e),
        (error: unknown) => {
          engine = undefined; // a failed start is tried again at the next image
          throw error;
        },
      ));
    },
    async close() {
      const opened = engine;
      engine = undefined;
      if (opened) await (await opened.catch(() => null))?.close();
    },
  };
}

/** Why a document without text could not be read. */
const noText = (type: DocumentMediaType) =>
  type === 'application/pdf'
    ? 'no text was found: the PDF has neither a text layer nor text OCR could read'
    : 'no text was found in the document';

/**
 * Why bytes could not be read, in words for the officer and the trader: the reading's own reasons,
 * never an internal error's text.
 */
const problemOf = (error: unknown) =>
  error instanceof DocumentError || (error instanceof Error && error.message.startsWith('no text was found'))
    ? error.message
    : 'the document could not be read: its content is damaged or of a kind the reader does not handle';

/** The review of an invoice against its declaration, with the aid's codes as of its date. */
function reviewOf(d: DeclarationInput, extraction: DocumentExtraction, codes: DescriptionCodes | undefined) {
  const classify = codes && ((text: string) => [...codes.codes(text, d.date)]);
  const options = classify ? { classify } : {};
  return {
    checks: reviewChecks(d, extraction.fields, options),
    discrepancies: reviewDocument(d, extraction.fields, options),
  } satisfies StoredReview;
}

/**
 * Reads a claimed document and records the reading: bytes that are no readable document record
 * why. Storage failing throws, leaving the claim to lapse so that the document is read again; a
 * claim another reader took over after its lease passed records nothing (`superseded`).
 */
export async function readClaimed(
  deps: ReaderDeps,
  doc: Claimed,
  ocr: ReturnType<typeof lazyOcr>,
): Promise<ReadOutcome> {
  const { db } = deps;
  const outcome = { id: doc.id, declarationId: doc.declarationId };
  const superseded = { ...outcome, read: false, discrepancies: 0, superseded: true } as const;
  if (doc.attempts > maxAttempts) {
    const error = `the document could not be read: ${maxAttempts} readings did not finish`;
    if (!(await recordReading(db, doc, { error }))) return superseded;
    return { ...outcome, read: false, error, discrepancies: 0 };
  }
  const content = await contentOf(db, doc.sha256);
  if (!content) throw new Error(`document ${doc.id} refers to content ${doc.sha256}, which is not stored`);
  let reading: DocumentReading;
  let discrepancies = 0;
  try {
    // the OCR engine is opened at the first image or scanned PDF page
    const extraction = await extractDocument(content, doc.mediaType, {
      ocr: ocr.get,
      ...(deps.pdfLimits ? { pdfLimits: deps.pdfLimits } : {}),
    });
    if (extraction.text.trim() === '') throw new Error(noText(doc.mediaType));
    const declaration =
      doc.kind === 'invoice' ? await repo.findById(db, doc.declarationId, { kind: 'all' }) : undefined;
    const review = declaration ? reviewOf(declaration, extraction, deps.descriptionCodes?.()) : null;
    discrepancies = review?.discrepancies.length ?? 0;
    reading = {
      extraction: extraction as unknown as JsonObject,
      review: review as unknown as JsonObject | null,
    };
  } catch (error) {
    reading = { error: problemOf(error) };
  }
  if ('error' in reading) {
    if (!(await recordReading(db, doc, reading))) return superseded;
    return { ...outcome, read: false, error: reading.error, discrepancies: 0 };
  }
  const reassess = deps.reassess;
  if (discrepancies === 0 || !reassess) {
    if (!(await recordReading(db, doc, reading))) return superseded;
    return { ...outcome, read: true, discrepancies };
  }
  // the reading and the assessment it leads to commit together; a superseded reading leads to none
  return db.transaction(async (tx) => {
    if (!(await recordReading(tx, doc, reading))) return superseded;
    const lane = await reassess(tx, doc.declarationId);
    return { ...outcome, read: true, discrepancies, ...(lane ? { lane } : {}) };
  });
}

/**
 * Reads unread documents one at a time until none is left unclaimed (or `stopped` says so), with
 * `ocr` for images; `onRead` hears of each.
 */
export async function readUnread(
  deps: ReaderDeps,
  ocr: ReturnType<typeof lazyOcr>,
  options: { stopped?: () => boolean; onRead?: (o: ReadOutcome) => void } = {},
): Promise<number> {
  let n = 0;
  while (!options.stopped?.()) {
    const doc = await claimNext(deps.db, deps.leaseMs);
    if (!doc) break;
    // read before telling: an absent listener must not skip the reading
    const outcome = await readClaimed(deps, doc, ocr);
    options.onRead?.(outcome);
    n++;
  }
  return n;
}

export interface ReaderLog {
  error(data: object, message: string): void;
}

/**
 * The server's reader: reads what is unread at start, after each attachment this process commits,
 * and every `everyMs` (documents attached through another server, claims whose lease passed). The
 * returned function stops it after the document being read, and closes its OCR engine and the
 * PDF worker kept between readings.
 */
export function startDocumentReader(deps: ReaderDeps, log: ReaderLog, everyMs = 60_000): () => Promise<void> {
  const ocr = lazyOcr();
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true; // an attachment committed during a round is read by the next
      return;
    }
    running = readUnread(deps, ocr, { stopped: () => stopped })
      .then(() => undefined)
      .catch((error: unknown) => {
        if (!stopped) log.error({ err: error }, 'reading documents failed');
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const unsubscribe = onAttached(run);
  const backstop = setInterval(run, everyMs);
  backstop.unref();
  const first = setTimeout(run, 0);
  first.unref();
  return async () => {
    stopped = true;
    unsubscribe();
    clearInterval(backstop);
    clearTimeout(first);
    await running;
    await ocr.close();
    await closePdfWorker();
  };
}
