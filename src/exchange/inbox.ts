/**
 * Receiving a message from a partner administration: first that its sender is a partner and its
 * signature verifies with the partner's registered key (until then every refusal is the same
 * `message_not_authenticated`, revealing nothing), then the receiver, the agreement's validity and
 * types, the timestamp's freshness and the payload (an export declaration is a readable DEC-DMS 2
 * message, whose schema findings are stored with it); it is stored once per (sender, id), with the ledger
 * entry of its receipt, and a repeated id gets the first acknowledgement again. Received export
 * declarations wait in exchange_inbox with match_state `unmatched`, where matching them to this
 * administration's imports picks them up.
 */
import { createHash } from 'node:crypto';
import type { Database, Sql } from '../db/database.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { parseWcoMessage } from '../declarations/formats/wco-xml/index.ts';
import { checkSignature, MessageType, type Envelope } from './envelope.ts';
import { cursorSql } from './list-cursor.ts';
import { findPartner, inForce } from './partners.ts';
import { lockForReceipt, matchKeys, matchReceived, type Match, type MatchKeys } from './matching.ts';
import type { MirrorSettings } from './mirror.ts';
import { exportContentType } from './payload.ts';

export type InboxError = { code: InboxErrorCode; message: string; reason?: string };
export type InboxErrorCode =
  | 'exchange_not_configured'
  | 'message_not_authenticated'
  | 'wrong_receiver'
  | 'message_type_not_agreed'
  | 'agreement_not_in_force'
  | 'stale_timestamp'
  | 'unsupported_content_type'
  | 'unreadable_message'
  | 'message_id_reused';

export interface Acknowledgement {
  messageId: string;
  sender: string;
  receiver: string;
  receivedAt: string;
  status: 'received';
}

export interface InboxOptions {
  administration: string | undefined;
  clockSkewSeconds: number;
  now?: () => Date;
  /** Matching a received export to an import already lodged (matching.ts); without it, messages wait. */
  matching?: ReceiptMatching;
}

/** What matching at receipt needs of the declarations: reading an import, and acting on a match. */
export interface ReceiptMatching {
  settings: MirrorSettings;
  load(tx: Sql, id: number): Promise<DeclarationInput | undefined>;
  /** Called in the receipt's transaction after a match (the import's assessment again). */
  matched(tx: Sql, match: Match): Promise<unknown>;
}

/** The one refusal of a message not shown to come from a partner: it says nothing more. */
const unauthenticated: InboxError = {
  code: 'message_not_authenticated',
  message: 'the message is not signed by a partner of this administration with the key registered for it',
};

export async function receiveMessage(
  db: Database,
  envelope: Envelope,
  options: InboxOptions,
): Promise<Result<Acknowledgement, InboxError>> {
  const self = options.administration;
  if (self === undefined)
    return err({
      code: 'exchange_not_configured',
      message: 'this installation has no CLEARWAY_ADMINISTRATION',
    });
  // until the signature verifies, every refusal is the same: nothing about partners, pending
  // registrations or agreements is revealed to whoever posts
  const partner = await findPartner(db, envelope.sender);
  if (!partner || !partner.publicKey) return err(unauthenticated);
  if (checkSignature(envelope, partner.publicKey)) return err(unauthenticated);
  if (envelope.receiver !== self)
    return err({
      code: 'wrong_receiver',
      message: `this is administration ${self}, not ${envelope.receiver}`,
    });
  const now = (options.now ?? (() => new Date()))();
  const today = now.toISOString().slice(0, 10);
  if (!inForce(partner, today))
    return err({
      code: 'agreement_not_in_force',
      message: `the agreement ${partner.agreementRef} with ${partner.code} is in force from ${partner.validFrom}${partner.validTo ? ` to ${partner.validTo}` : ''}, not on ${today}`,
    });
  if (!partner.messageTypes.includes(envelope.type))
    return err({
      code: 'message_type_not_agreed',
      message: `the agreement with ${partner.code} does not cover ${envelope.type}`,
    });
  const sentAt = Date.parse(envelope.timestamp);
  if (!Number.isFinite(sentAt))
    return err({
      code: 'stale_timestamp',
      message: `the timestamp ${envelope.timestamp} is not a time this server can read (a leap second or malformed)`,
    });
  if (Math.abs(now.getTime() - sentAt) > options.clockSkewSeconds * 1000)
    return err({
      code: 'stale_timestamp',
      message: `the timestamp ${envelope.timestamp} is more than ${options.clockSkewSeconds} s from this server's clock (${now.toISOString()})`,
    });
  const payload = Buffer.from(envelope.payload, 'base64');
  let findings: unknown[] = [];
  let keys: MatchKeys | undefined;
  if (envelope.type === MessageType.ExportDeclaration) {
    if (envelope.contentType !== exportContentType)
      return err({
        code: 'unsupported_content_type',
        message: `export_declarations must be ${exportContentType} (a DEC-DMS 2 message), not ${envelope.contentType}`,
      });
    const read = parseWcoMessage(payload.toString('utf8'));
    if (!read.ok)
      return err({
        code: 'unreadable_message',
        message: `the payload is not a readable DEC-DMS 2 message: ${read.error.message}`,
        reason: read.error.code,
      });
    // schema findings do not refuse the message: they are stored with it, for the matching to weigh
    findings = read.value.findings;
    keys = matchKeys(read.value.draft);
  }
  const digest = createHash('sha256').update(payload).digest('hex');
  const acknowledgement: Acknowledgement = {
    messageId: envelope.id,
    sender: envelope.sender,
    receiver: self,
    receivedAt: now.toISOString(),
    status: 'received',
  };
  return db.transaction(async (tx) => {
    // before the message is stored: a lodging under way finishes first, or sees it (matching.ts)
    if (keys && options.matching) await lockForReceipt(tx);
    const [stored] = await tx.query<{ acknowledgement: Acknowledgement }>(
      `INSERT INTO exchange_inbox (sender, id, type, sent_at, received_at, content_type, payload, payload_sha256,
         signature, acknowledgement, findings, reference, ucr, transport_document, exporter_keys, importer,
         importer_key, hs6, export_date, currency, export_value, hs_chapter)
       VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13, $14,
         $15::text[], $16, $17, $18::text[], $19::date, $20, $21, $22)
       ON CONFLICT (sender, id) DO NOTHING RETURNING acknowledgement`,
      [
        envelope.sender,
        envelope.id,
        envelope.type,
        envelope.timestamp,
        acknowledgement.receivedAt,
        envelope.contentType,
        payload,
        digest,
        envelope.signature,
        JSON.stringify(acknowledgement),
        JSON.stringify(findings),
        keys?.reference ?? null,
        keys?.ucr ?? null,
        keys?.transportDocument ?? null,
        keys?.exporterKeys ?? [],
        keys?.importer ?? null,
        keys?.importerKey ?? null,
        keys?.hs6 ?? [],
        keys?.exportDate ?? null,
        keys?.currency ?? null,
        keys?.exportValue ?? null,
        keys?.hsChapter ?? null,
      ],
    );
    if (stored) {
      await recordChange(tx, {
        actor: `administration:${envelope.sender}`,
        action: 'exchange_message.received',
        subjectKind: SubjectKind.ExchangeMessage,
        subjectId: envelope.id,
        data: {
          sender: envelope.sender,
          type: envelope.type,
          payloadSha256: digest,
          sentAt: envelope.timestamp,
          findings: findings.length,
        },
      });
      const matching = options.matching;
      if (keys && matching) {
        const match = await matchReceived(
          tx,
          { sender: envelope.sender, id: envelope.id },
          keys,
          matching.settings,
          matching.load,
          `administration:${envelope.sender}`,
        );
        if (match) await matching.matched(tx, match);
      }
      return ok(acknowledgement);
    }
    const [first] = await tx.query<{
      acknowledgement: Acknowledgement;
      payload_sha256: string;
      type: string;
    }>('SELECT acknowledgement, payload_sha256, type FROM exchange_inbox WHERE sender = $1 AND id = $2', [
      envelope.sender,
      envelope.id,
    ]);
    if (!first) throw new Error('a received message vanished');
    if (first.payload_sha256 !== digest || first.type !== envelope.type)
      return err({
        code: 'message_id_reused',
        message: `message ${envelope.id} from ${envelope.sender} was received before with other content`,
      });
    return ok(first.acknowledgement);
  });
}

export interface ReceivedMessage {
  sender: string;
  id: string;
  type: string;
  sentAt: string;
  receivedAt: string;
  contentType: string;
  payloadSha256: string;
  matchState: string;
  /** How many schema findings its payload had. */
  findingCount: number;
  /** The import declaration it was matched to (exchange_matches); reference null once archived. */
  importDeclaration: { id: number; reference: string | null } | null;
  /** Where a page of the list that ends with it ends (list-cursor.ts). */
  cursor: string;
}

/**
 * The latest received messages, newest first, for administrators; only those in `matchState` when
 * given, and only those before `before` (a cursor's receipt time, sender and id).
 */
export async function listInbox(
  db: Sql,
  limit: number,
  matchState?: string,
  before?: { at: string; sender: string; id: string },
): Promise<ReceivedMessage[]> {
  const rows = await db.query<
    Omit<ReceivedMessage, 'importDeclaration'> & {
      importId: string | number | null;
      importReference: string | null;
    }
  >(
    `SELECT i.sender, i.id, i.type, i.sent_at AS "sentAt", i.received_at AS "receivedAt",
       i.content_type AS "contentType", i.payload_sha256 AS "payloadSha256", i.match_state AS "matchState",
       jsonb_array_length(i.findings) AS "findingCount",
       m.declaration_id AS "importId", d.functional_reference AS "importReference",
       ${cursorSql('i.received_at', ['i.sender', 'i.id'])} AS cursor
     FROM exchange_inbox i
     LEFT JOIN exchange_matches m ON m.sender = i.sender AND m.message_id = i.id
     LEFT JOIN declarations d ON d.id = m.declaration_id
     WHERE ($2::text IS NULL OR i.match_state = $2)
       AND ($3::timestamptz IS NULL OR (i.received_at, i.sender, i.id) < ($3::timestamptz, $4::text, $5::uuid))
     ORDER BY i.received_at DESC, i.sender DESC, i.id DESC LIMIT $1`,
    [limit, matchState ?? null, before?.at ?? null, before?.sender ?? null, before?.id ?? null],
  );
  return rows.map(({ importId, importReference, ...r }) => ({
    ...r,
    importDeclaration: importId === null ? null : { id: Number(importId), reference: importReference },
  }));
}
