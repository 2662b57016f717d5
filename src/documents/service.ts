/**
 * Commercial documents on a declaration: attached by its trader or declarant of record while it is
 * not cancelled, within the limits (10 MiB each, 20 per declaration), their type read from their
 * content; read by whoever may read the declaration (declarations/scope.ts), so a trader never
 * sees another's. Every attachment is on the ledger in its transaction; officials' reads are
 * recorded by the read log (governance/ledger/read-log.ts). What reading a document found is for
 * officials; the trader learns the fields read and that it was reviewed, not what customs made of it.
 */
import { createHash } from 'node:crypto';
import type { Database, Sql } from '../db/database.ts';
import { scopeCondition, scopeFor } from '../declarations/scope.ts';
import { Status } from '../declarations/model.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { sanitiseFilename } from './filename.ts';
import {
  maxDocumentBytes,
  maxDocumentsPerDeclaration,
  maxDocumentWords,
  type DocumentKind,
} from './kinds.ts';
import { checkMediaType } from './media-type.ts';
import { noteAttached } from './read-signal.ts';
import {
  attachmentById,
  attachmentsOf,
  contentOf,
  countAttachments,
  insertAttachment,
  type StoredDocument,
} from './store.ts';

export type DocumentError =
  | { code: 'declaration_not_found'; message: string }
  | { code: 'document_not_found'; message: string }
  | { code: 'forbidden'; message: string }
  | { code: 'action_not_allowed'; message: string }
  | { code: 'too_many_documents'; message: string }
  | { code: 'empty_document'; message: string }
  | { code: 'document_too_large'; message: string }
  | { code: 'unsupported_media_type'; message: string };

/** A document as its reader sees it: parties without the discrepancies its review found. */
export type DocumentView = Omit<StoredDocument, 'extraction' | 'review'> &
  Partial<Pick<StoredDocument, 'extraction' | 'review'>>;

/** What a caller may do next with a declaration's documents. */
export type DocumentAction = 'attach';

export interface AttachInput {
  declarationId: number;
  kind: DocumentKind;
  filename: string;
  /** The Content-Type the document was sent with, if any. */
  declaredType: string | undefined;
  content: Buffer;
}

/** The declaration as attaching and reading documents need it. */
interface Subject {
  id: number;
  trader: string;
  declarant: string;
  status: string;
}

const isParty = (actor: Actor) => actor.role === Role.Trader || actor.role === Role.Declarant;

/** The trader whose declaration it is, or the declarant who lodged it. */
const isPartyOfRecord = (d: Subject, actor: Actor): boolean =>
  actor.partyId !== null &&
  (actor.role === Role.Trader ? d.trader === actor.partyId : d.declarant === actor.partyId);

/** The declaration if the caller may read it (locked for attaching when `lock`), else null. */
async function visibleDeclaration(sql: Sql, actor: Actor, id: number, lock = false): Promise<Subject | null> {
  const scope = scopeFor(actor);
  if (!scope) return null;
  const params: unknown[] = [id];
  const condition = scopeCondition(scope, params);
  const [row] = await sql.query<Subject>(
    `SELECT d.id::int8 AS id, d.trader_id AS trader, d.declarant_id AS declarant, d.status
     FROM declarations d WHERE d.id = $1 AND ${condition}${lock ? ' FOR UPDATE' : ''}`,
    params,
  );
  return row ?? null;
}

/** Why the caller may not attach to a declaration it can see, or null when it may (its count aside). */
function attachRefusal(d: Subject, actor: Actor): DocumentError | null {
  const what = `you cannot attach documents to declaration ${d.id}`;
  if (!isParty(actor)) return { code: 'forbidden', message: `${what}: its trader or declarant does` };
  if (!isPartyOfRecord(d, actor))
    return {
      code: 'forbidden',
      message: `${what}: declarant ${d.declarant} lodged it for trader ${d.trader}, and only they may attach documents`,
    };
  if (d.status === Status.Cancelled)
    return { code: 'action_not_allowed', message: `${what}: it is cancelled` };
  return null;
}

/**
 * A stored document as `actor` sees it. Officials see its reading whole; its trader and declarant
 * see the fields read and which checks the review made, not the discrepancies it found (risk
 * information, as partner agencies' words are: sharing/findings.ts).
 */
export function presentDocument(d: StoredDocument, actor: Actor): DocumentView {
  if (!isParty(actor)) return d;
  const checks = d.review && Array.isArray(d.review.checks) ? d.review.checks : [];
  return { ...d, review: d.review && { checks } };
}

/**
 * Attaches a document to a declaration the caller may see: refused when the caller is not its
 * trader or declarant of record (403), when it is cancelled or already carries 20 documents (409),
 * when the document is empty (400), too large (413) or not of an accepted type by its content, or
 * of another type than declared (415). The content is stored once per hash; the attachment and its
 * ledger entry commit together.
 */
export async function attachDocument(
  db: Database,
  actor: Actor,
  input: AttachInput,
): Promise<Result<DocumentView, DocumentError>> {
  if (input.content.length === 0)
    return err({
      code: 'empty_document',
      message: 'the document is empty: send the file as the request body',
    });
  if (input.content.length > maxDocumentBytes)
    return err({
      code: 'document_too_large',
      message: `the document is ${input.content.length} bytes; a document may be at most ${maxDocumentWords}`,
    });
  const type = checkMediaType(input.content, input.declaredType);
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  const attached = await db.transaction(async (tx): Promise<Result<DocumentView, DocumentError>> => {
    const d = await visibleDeclaration(tx, actor, input.declarationId, true);
    if (!d) return err({ code: 'declaration_not_found', message: `no declaration ${input.declarationId}` });
    const refusal = attachRefusal(d, actor);
    if (refusal) return err(refusal);
    if (!type.ok) return type;
    const count = await countAttachments(tx, d.id);
    if (count >= maxDocumentsPerDeclaration)
      return err({
        code: 'too_many_documents',
        message: `declaration ${d.id} carries ${count} documents, the most one declaration may carry (${maxDocumentsPerDeclaration})`,
      });
    const stored = await insertAttachment(tx, {
      declarationId: d.id,
      kind: input.kind,
      filename: sanitiseFilename(input.filename),
      mediaType: type.value,
      sha256,
      content: input.content,
      uploadedBy: actor.username,
    });
    await recordChange(tx, {
      actor: actor.username,
      action: 'document.attached',
      subjectKind: SubjectKind.Document,
      subjectId: String(stored.id),
      data: {
        declaration: d.id,
        kind: stored.kind,
        filename: stored.filename,
        mediaType: stored.mediaType,
        size: stored.size,
        sha256: stored.sha256,
      },
    });
    return ok(presentDocument(stored, actor));
  });
  // once committed, the readers of this process read it
  if (attached.ok) noteAttached();
  return attached;
}

/** A declaration's documents as the caller sees them, and whether it may attach more. */
export async function listDocuments(
  sql: Sql,
  actor: Actor,
  declarationId: number,
): Promise<Result<{ documents: DocumentView[]; allowed: DocumentAction[] }, DocumentError>> {
  const d = await visibleDeclaration(sql, actor, declarationId);
  if (!d) return err({ code: 'declaration_not_found', message: `no declaration ${declarationId}` });
  const stored = await attachmentsOf(sql, d.id);
  const mayAttach = attachRefusal(d, actor) === null && stored.length < maxDocumentsPerDeclaration;
  return ok({
    documents: stored.map((s) => presentDocument(s, actor)),
    allowed: mayAttach ? ['attach'] : [],
  });
}

/** One document of a declaration the caller may read; any other, existing or not, is not found. */
export async function readDocument(
  sql: Sql,
  actor: Actor,
  id: number,
): Promise<Result<StoredDocument, DocumentError>> {
  const notFound = err({ code: 'document_not_found' as const, message: `no document ${id}` });
  const stored = await attachmentById(sql, id);
  if (!stored) return notFound;
  if (!(await visibleDeclaration(sql, actor, stored.declarationId))) return notFound;
  return ok(stored);
}

/** A document's bytes, for a caller who may read it. */
export async function readContent(
  sql: Sql,
  actor: Actor,
  id: number,
): Promise<Result<{ document: StoredDocument; content: Buffer }, DocumentError>> {
  const found = await readDocument(sql, actor, id);
  if (!found.ok) return found;
  const content = await contentOf(sql, found.value.sha256);
  if (!content)
    throw new Error(`document ${id} refers to content ${found.value.sha256}, which is not stored`);
  return ok({ document: found.value, content });
}
