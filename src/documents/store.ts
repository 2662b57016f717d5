/**
 * The documents' repository: contents stored once by their SHA-256, attachments to declarations,
 * and the seam of reading them (recordReading: what extraction found and the review against the
 * declaration, or why the document could not be read). Scoping and permissions are the service's.
 */
import type { Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange, withinTransaction } from '../governance/ledger/record.ts';
import type { Database } from '../db/database.ts';
import type { DocumentKind, DocumentMediaType } from './kinds.ts';

/** A JSON object as stored in a jsonb column. */
export type JsonObject = { [key: string]: unknown };

/** An attachment as stored, with what reading it found when it has been read. */
export interface StoredDocument {
  id: number;
  declarationId: number;
  kind: DocumentKind;
  filename: string;
  mediaType: DocumentMediaType;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  /** When the document was read (its text extracted and reviewed), successfully or not. */
  readAt: string | null;
  /** Why it could not be read, when it could not. */
  readError: string | null;
  /** The fields its text gave (documents' extraction), once read. */
  extraction: JsonObject | null;
  /** Its review against the declaration (documents' review), once read. */
  review: JsonObject | null;
}

const moment = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const columns = `x.id::int8 AS id, x.declaration_id::int8 AS "declarationId", x.kind, x.filename,
  x.media_type AS "mediaType", x.size, x.sha256, x.uploaded_by AS "uploadedBy",
  ${moment('x.uploaded_at')} AS "uploadedAt", ${moment('x.read_at')} AS "readAt",
  x.read_error AS "readError", x.extraction, x.review`;

/** What attaching stores. */
export interface NewAttachment {
  declarationId: number;
  kind: DocumentKind;
  filename: string;
  mediaType: DocumentMediaType;
  sha256: string;
  content: Buffer;
  uploadedBy: string;
}

/**
 * Stores the content unless a content with its hash is stored already, then the attachment. The
 * content row is locked either way (an upsert), so archival cannot delete it as unreferenced
 * before the attachment referring to it commits.
 */
export async function insertAttachment(tx: Sql, a: NewAttachment): Promise<StoredDocument> {
  await tx.query(
    `INSERT INTO document_contents (sha256, media_type, size, content) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sha256) DO UPDATE SET size = EXCLUDED.size`,
    [a.sha256, a.mediaType, a.content.length, a.content],
  );
  const [row] = await tx.query<StoredDocument>(
    `WITH x AS (
       INSERT INTO declaration_documents (declaration_id, kind, filename, media_type, sha256, size, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *)
     SELECT ${columns} FROM x`,
    [a.declarationId, a.kind, a.filename, a.mediaType, a.sha256, a.content.length, a.uploadedBy],
  );
  if (!row) throw new Error('the document was not stored');
  return row;
}

/** How many documents a declaration carries. */
export async function countAttachments(sql: Sql, declarationId: number): Promise<number> {
  const [row] = await sql.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM declaration_documents WHERE declaration_id = $1',
    [declarationId],
  );
  return row?.n ?? 0;
}

/** A declaration's documents in the order they were attached. */
export async function attachmentsOf(sql: Sql, declarationId: number): Promise<StoredDocument[]> {
  return sql.query<StoredDocument>(
    `SELECT ${columns} FROM declaration_documents x WHERE x.declaration_id = $1 ORDER BY x.id`,
    [declarationId],
  );
}

/** One document, if it exists. */
export async function attachmentById(sql: Sql, id: number): Promise<StoredDocument | null> {
  const [row] = await sql.query<StoredDocument>(
    `SELECT ${columns} FROM declaration_documents x WHERE x.id = $1`,
    [id],
  );
  return row ?? null;
}

/** The bytes stored under a hash. */
export async function contentOf(sql: Sql, sha256: string): Promise<Buffer | null> {
  const [row] = await sql.query<{ content: Uint8Array }>(
    'SELECT content FROM document_contents WHERE sha256 = $1',
    [sha256],
  );
  // bytea comes back as a Buffer from node-postgres and as a Uint8Array from PGlite
  return row ? Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength) : null;
}

/** What reading a document gave: its fields and its review, or why it could not be read. */
export type DocumentReading = { extraction: JsonObject; review: JsonObject | null } | { error: string };

/** Who records readings in the ledger. */
export const readingActor = 'document-reading';

/**
 * The claim a reader holds on a document (documents/reader.ts claimNext): the document and its
 * claim's number, read_attempts as the claim set it. Each claim counts one more, under the row's
 * lock, so a claim taken again after its lease passed carries a number the earlier one does not.
 */
export interface ReadingClaim {
  id: number;
  attempts: number;
}

/**
 * Records what reading the claimed document gave, replacing an earlier reading, with its ledger
 * entry in the same transaction: the seam where text extraction and review (documents'
 * extraction and review modules) hand their result to storage. Only the claim the document
 * carries now may record: false, and nothing written, when the document is gone (purged with its
 * declaration meanwhile) or another reader claimed it since (this reader's lease passed), so a
 * late reader never writes over a newer reading.
 */
export async function recordReading(
  sql: Sql | Database,
  claim: ReadingClaim,
  reading: DocumentReading,
): Promise<boolean> {
  const failed = 'error' in reading;
  return withinTransaction(sql, async (tx) => {
    const [row] = await tx.query<{ declarationId: number }>(
      `UPDATE declaration_documents
       SET extraction = $3::jsonb, review = $4::jsonb, read_error = $5, read_at = now(), read_claimed_until = NULL
       WHERE id = $1 AND read_attempts = $2 RETURNING declaration_id::int8 AS "declarationId"`,
      [
        claim.id,
        claim.attempts,
        failed ? null : JSON.stringify(reading.extraction),
        failed || reading.review === null ? null : JSON.stringify(reading.review),
        failed ? reading.error : null,
      ],
    );
    if (!row) return false;
    await recordChange(tx, {
      actor: readingActor,
      action: 'document.reading_recorded',
      subjectKind: SubjectKind.Document,
      subjectId: String(claim.id),
      data: { declaration: row.declarationId, read: !failed, ...(failed ? { error: reading.error } : {}) },
    });
    return true;
  });
}
