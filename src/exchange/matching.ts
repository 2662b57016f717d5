/**
 * Matching received export declarations to this administration's imports (ADR 0024). Keys, in
 * order: the UCR, the transport document, then the parties (the export's exporter is the import's
 * exporter or seller, the export's buyer is the import's trader, both compared in upper case with
 * letters and digits only), with at least one HS6 in common and the import's date within the window
 * after the export's. Matching runs at receipt (against imports already lodged) and when an import is
 * lodged (against waiting messages), in the transaction that stores the message or the import.
 *
 * Concurrency: receipt takes the matching lock exclusively before it stores its message, a lodging
 * takes it shared before it looks for waiting messages, so a message and an import stored at once
 * are never both blind to each other; the waiting messages are locked (`FOR UPDATE`) and marked
 * matched by a conditional update, and exchange_matches' primary key is one row per message, so
 * two lodgings never match one message twice.
 *
 * Who may match: a message's sender, when it is a country, must be the import's dispatch country
 * (an administration code that is not a country cannot be checked), and the export's destination
 * must be this administration (the message's receiver). An import takes at most `maxMatches`.
 *
 * Gaps: an import is compared with the aggregate of all its matched exports (mirror.ts), computed
 * again for every match of the import whenever a match joins or the import is amended; each row
 * stores the version of the import it was computed against and a digest of what it stores in its
 * ledger entry.
 */
import { createHash } from 'node:crypto';
import type { Sql } from '../db/database.ts';
import { DeclarationType, type DeclarationInput, type GoodsItem } from '../declarations/model.ts';
import type { DeclarationDraft } from '../declarations/validate/index.ts';
import { canonicalJson, SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { MessageType } from './envelope.ts';
import { isCountryCode } from '../reference/reference-data.ts';
import {
  hs6,
  matchShare,
  mirrorFigures,
  mirrorGaps,
  type Gap,
  type MirrorItem,
  type MirrorSettings,
  type MirrorSide,
} from './mirror.ts';
import { currencyCode, exportRecord, isCalendarDay, type ExportRecord } from './export-record.ts';

export const MatchedBy = { Ucr: 'ucr', TransportDocument: 'transport_document', Parties: 'parties' } as const;
export type MatchedBy = (typeof MatchedBy)[keyof typeof MatchedBy];

/** A party's name or identifier as matching compares it: upper case, letters and digits only. */
export const partyKey = (s: string | undefined): string | undefined => {
  const key = s?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return key ? key : undefined;
};

/** The most export messages one import takes (a partner flooding one UCR cannot fan it out further). */
export const maxMatches = 50;

/** The transaction-scoped advisory lock of matching (receipt exclusive, lodging shared). */
const matchingLock = 0x4d4952524f52; // "MIRROR"

/** The columns of exchange_inbox matching reads, taken from a received message at receipt. */
export interface MatchKeys {
  reference: string | null;
  ucr: string | null;
  transportDocument: string | null;
  exporterKeys: string[];
  /** The export's buyer as sent, and as compared. */
  importer: string | null;
  importerKey: string | null;
  hs6: string[];
  exportDate: string | null;
  currency: string | null;
  exportValue: number | null;
  hsChapter: string | null;
}

const text = (s: string | undefined) => (s && s.trim() !== '' ? s.trim() : null);

/** What matching needs of a received export, read once from its parsed message. */
export function matchKeys(draft: DeclarationDraft): MatchKeys {
  const items = draft.items ?? [];
  const values = items.map((it) =>
    typeof it.value === 'number' && Number.isFinite(it.value) ? it.value : 0,
  );
  let principal = -1;
  values.forEach((v, i) => {
    if (principal < 0 || v > (values[principal] ?? 0)) principal = i;
  });
  const codes = items.map((it) => hs6(it.hsCode ?? '')).filter((c) => c.length === 6);
  const chapter = hs6(items[principal]?.hsCode ?? '').slice(0, 2);
  const sum = values.reduce((s, v) => s + v, 0);
  return {
    reference: text(draft.functionalReference),
    ucr: text(draft.ucr),
    transportDocument: text(draft.transportDocument),
    exporterKeys: [
      ...new Set([draft.trader, draft.exporter, draft.seller].flatMap((p) => partyKey(p) ?? [])),
    ],
    importer: text(draft.buyer),
    importerKey: partyKey(draft.buyer) ?? null,
    hs6: [...new Set(codes)],
    exportDate: isCalendarDay(draft.date) ? draft.date : null,
    currency: currencyCode(draft.currency),
    // a sum beyond any number (two items of 1e308) is no value
    exportValue: items.length && Number.isFinite(sum) ? sum : null,
    hsChapter: chapter.length === 2 ? chapter : null,
  };
}

/** Takes the matching lock exclusively: a receipt, before it stores its message. */
export async function lockForReceipt(tx: Sql): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::int8)', [matchingLock]);
}

/** The import side of mirror analysis. */
export function importSide(d: DeclarationInput): MirrorSide {
  return {
    currency: d.currency,
    items: d.items.map((it: GoodsItem) => ({
      sequence: it.sequence,
      hsCode: it.hsCode,
      ...(it.description ? { description: it.description } : {}),
      value: it.value,
      ...(it.netMass !== undefined ? { netMass: it.netMass } : {}),
      ...(it.supplementaryQuantity !== undefined ? { quantity: it.supplementaryQuantity } : {}),
      ...((it.originCountry ?? d.originCountry)
        ? { originCountry: it.originCountry ?? d.originCountry }
        : {}),
    })),
  };
}

export interface Match {
  sender: string;
  messageId: string;
  declarationId: number;
  matchedBy: MatchedBy;
  beyond: boolean;
}

/**
 * Records a match: the message is marked matched (only if it still waits and its export is bound
 * for this administration, the message's receiver) and its row stored; its gaps are computed by
 * `recompute` once the import's matches are all recorded. Returns undefined when another
 * transaction matched it first, or when it is not for us.
 */
async function recordMatch(
  tx: Sql,
  message: { sender: string; id: string },
  declarationId: number,
  matchedBy: MatchedBy,
): Promise<Match | undefined> {
  const [row] = await tx.query<{ payload: Uint8Array; payload_sha256: string; receiver: string | null }>(
    `SELECT payload, payload_sha256, acknowledgement->>'receiver' AS receiver FROM exchange_inbox
     WHERE sender = $1 AND id = $2 AND match_state = 'unmatched' FOR UPDATE`,
    [message.sender, message.id],
  );
  if (!row) return undefined;
  if (exportRecord(row.payload).destinationCountry !== row.receiver) return undefined;
  const marked = await tx.query(
    `UPDATE exchange_inbox SET match_state = 'matched' WHERE sender = $1 AND id = $2 AND match_state = 'unmatched'
     RETURNING 1`,
    [message.sender, message.id],
  );
  if (marked.length === 0) return undefined;
  await tx.query(
    `INSERT INTO exchange_matches (sender, message_id, declaration_id, matched_by, gaps, beyond, value_ratio,
       import_value, export_value, comparable)
     VALUES ($1, $2, $3, $4, '[]'::jsonb, false, NULL, 0, 0, false)`,
    [message.sender, message.id, declarationId, matchedBy],
  );
  return { sender: message.sender, messageId: message.id, declarationId, matchedBy, beyond: false };
}

/** What a match row stores of its import's mirror analysis, as its ledger entry's digest covers it. */
export interface StoredFigures {
  declarationId: number;
  importVersion: number | null;
  gaps: Gap[];
  beyond: boolean;
  valueRatio: number | null;
  importValue: number;
  exportValue: number;
  comparable: boolean;
}

/** The SHA-256 of a match row's stored figures (canonical JSON): in its ledger entries, to check it by. */
export function matchDigest(f: StoredFigures): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        declarationId: Number(f.declarationId),
        importVersion: f.importVersion === null ? null : Number(f.importVersion),
        gaps: f.gaps,
        beyond: f.beyond,
        valueRatio: f.valueRatio,
        importValue: f.importValue,
        exportValue: f.exportValue,
        comparable: f.comparable,
      }),
    )
    .digest('hex');
}

/**
 * Computes the gaps of an import against the aggregate of all its matched exports and stores them
 * on each of its matches, with the version of the import, its share of the import's value and the
 * export's own value; each row whose figures change gets a ledger entry with their digest
 * (`exchange_message.matched` for the matches in `joined`, `exchange_message.rematched` for the
 * others). Returns whether the aggregate has a finding.
 */
export async function recompute(
  tx: Sql,
  declarationId: number,
  imp: DeclarationInput,
  settings: MirrorSettings,
  actor: string,
  joined: readonly Match[] = [],
): Promise<boolean> {
  const rows = await tx.query<{
    sender: string;
    message_id: string;
    matched_by: MatchedBy;
    payload: Uint8Array;
    payload_sha256: string;
    import_version: number | null;
    gaps: Gap[];
    beyond: boolean;
    value_ratio: number | null;
    import_value: number;
    export_value: number;
    comparable: boolean;
  }>(
    `SELECT m.sender, m.message_id::text AS message_id, m.matched_by, i.payload, i.payload_sha256, m.import_version,
       m.gaps, m.beyond, m.value_ratio, m.import_value, m.export_value, m.comparable
     FROM exchange_matches m JOIN exchange_inbox i ON i.sender = m.sender AND i.id = m.message_id
     WHERE m.declaration_id = $1 ORDER BY m.matched_at, m.sender, m.message_id FOR UPDATE OF m`,
    [declarationId],
  );
  if (rows.length === 0) return false;
  const [version] = await tx.query<{ version: number }>('SELECT version FROM declarations WHERE id = $1', [
    declarationId,
  ]);
  const importVersion = version ? Number(version.version) : null;
  const exports = rows.map((r) => exportSide(exportRecord(r.payload, r.payload_sha256)));
  const side = importSide(imp);
  const gaps = mirrorGaps(side, exports, settings);
  const figures = mirrorFigures(side, exports, gaps);
  const findings = gaps.filter((g) => g.beyond).map((g) => g.kind);
  const isNew = new Set(joined.map((m) => `${m.sender}/${m.messageId}`));
  for (const [k, r] of rows.entries()) {
    const share = matchShare(figures, exports[k] as MirrorSide, rows.length);
    const stored: StoredFigures = {
      declarationId,
      importVersion,
      gaps,
      beyond: figures.beyond,
      valueRatio: figures.valueRatio,
      importValue: share.importValue,
      exportValue: share.exportValue,
      comparable: figures.comparable,
    };
    const digest = matchDigest(stored);
    const fresh = isNew.has(`${r.sender}/${r.message_id}`);
    const before = matchDigest({
      declarationId,
      importVersion: r.import_version,
      gaps: r.gaps,
      beyond: r.beyond,
      valueRatio: r.value_ratio,
      importValue: r.import_value,
      exportValue: r.export_value,
      comparable: r.comparable,
    });
    if (!fresh && before === digest) continue;
    await tx.query(
      `UPDATE exchange_matches SET gaps = $3::jsonb, beyond = $4, value_ratio = $5, import_value = $6,
         export_value = $7, comparable = $8, import_version = $9
       WHERE sender = $1 AND message_id = $2`,
      [
        r.sender,
        r.message_id,
        JSON.stringify(gaps),
        stored.beyond,
        stored.valueRatio,
        stored.importValue,
        stored.exportValue,
        stored.comparable,
        importVersion,
      ],
    );
    await recordChange(tx, {
      actor,
      action: fresh ? 'exchange_message.matched' : 'exchange_message.rematched',
      subjectKind: SubjectKind.ExchangeMessage,
      subjectId: r.message_id,
      data: {
        sender: r.sender,
        declarationId,
        importVersion,
        matchedBy: r.matched_by,
        matches: rows.length,
        beyond: figures.beyond,
        findings,
        digest,
      },
    });
  }
  return figures.beyond;
}

/** Whether a message of `sender` may match an import dispatched from `dispatch` (or a code that is no country). */
const mayMatch = (sender: string, dispatch: string | undefined) =>
  sender === dispatch || !isCountryCode(sender);

/** The export side of mirror analysis, from the record as received. */
export function exportSide(r: ExportRecord): MirrorSide {
  return {
    currency: r.currency,
    items: r.items.map((it, i): MirrorItem => ({
      sequence: i + 1,
      hsCode: it.hsCode,
      value: it.value,
      ...(it.netMass !== null ? { netMass: it.netMass } : {}),
      ...(it.quantity !== null ? { quantity: it.quantity } : {}),
      ...(it.originCountry !== null ? { originCountry: it.originCountry } : {}),
    })),
  };
}

interface Waiting {
  sender: string;
  id: string;
}

const waitingColumns = `sender, id::text AS id FROM exchange_inbox
  WHERE match_state = 'unmatched' AND type = '${MessageType.ExportDeclaration}'`;

/**
 * Matches an import being lodged (stored in `tx`, not yet assessed) to the exports waiting for it:
 * every waiting message of its UCR, else of its transport document, else the closest by parties
 * (the latest export date not after the import's within the window, then by sender and id), up to
 * `maxMatches` in all; then computes the gaps of all its matches again. Returns the new matches.
 */
export async function matchImport(
  tx: Sql,
  id: number,
  d: DeclarationInput,
  settings: MirrorSettings,
  actor: string,
): Promise<Match[]> {
  if (d.type !== DeclarationType.Import) return [];
  await tx.query('SELECT pg_advisory_xact_lock_shared($1::int8)', [matchingLock]);
  const [held] = await tx.query<{ n: string | number }>(
    'SELECT count(*) AS n FROM exchange_matches WHERE declaration_id = $1',
    [id],
  );
  const room = maxMatches - Number(held?.n ?? 0);
  const matches = room > 0 ? await takeWaiting(tx, id, d, settings, room) : [];
  if (matches.length > 0) await recompute(tx, id, d, settings, actor, matches);
  return matches;
}

/**
 * An amended import (in the amendment's transaction, before it is assessed again): it keeps its
 * matches, takes the messages now waiting for it (its UCR or transport document may have changed),
 * and the gaps of all its matches are computed against the amended import.
 */
export async function matchAmended(
  tx: Sql,
  id: number,
  d: DeclarationInput,
  settings: MirrorSettings,
  actor: string,
): Promise<Match[]> {
  const matches = await matchImport(tx, id, d, settings, actor);
  if (matches.length === 0) await recompute(tx, id, d, settings, actor);
  return matches;
}

async function takeWaiting(
  tx: Sql,
  id: number,
  d: DeclarationInput,
  settings: MirrorSettings,
  room: number,
): Promise<Match[]> {
  // the senders are checked here, not in the queries: a condition on the sender would lead
  // PGlite's planner away from the waiting-message indexes
  const order = 'ORDER BY sender, id FOR UPDATE';
  const tries: [MatchedBy, () => Promise<Waiting[]>][] = [
    [
      MatchedBy.Ucr,
      async () => (d.ucr ? tx.query<Waiting>(`SELECT ${waitingColumns} AND ucr = $1 ${order}`, [d.ucr]) : []),
    ],
    [
      MatchedBy.TransportDocument,
      async () =>
        d.transportDocument
          ? tx.query<Waiting>(`SELECT ${waitingColumns} AND transport_document = $1 ${order}`, [
              d.transportDocument,
            ])
          : [],
    ],
    [MatchedBy.Parties, () => waitingByParties(tx, d, settings)],
  ];
  for (const [by, find] of tries) {
    const waiting = (await find())
      .filter((w) => mayMatch(w.sender, d.dispatchCountry))
      .slice(0, by === MatchedBy.Parties ? 1 : room);
    if (waiting.length === 0) continue;
    const matches: Match[] = [];
    for (const w of waiting) {
      const m = await recordMatch(tx, w, id, by);
      if (m) matches.push(m);
    }
    if (matches.length > 0) return matches;
  }
  return [];
}

/** An import stored in bulk, as its batch knows it before reading it back. */
export interface StoredImport {
  id: number;
  trader: string;
  ucr?: string | undefined;
  transportDocument?: string | undefined;
}

/**
 * Matches imports stored in bulk (in `tx`, not yet assessed) to the exports waiting for them, each by
 * matchImport as a lodged import is. First, under the shared matching lock, one query finds which
 * UCRs, transport documents and importers of the batch a waiting message names: only the imports
 * named (a superset of those matchImport can match) are read back by `load` and matched, in id
 * order. A batch costs one index probe when nothing waits, that one query when nothing waits for it.
 */
export async function matchImports(
  tx: Sql,
  imports: readonly StoredImport[],
  settings: MirrorSettings,
  actor: string,
  load: (ids: number[]) => Promise<Map<number, DeclarationInput>>,
): Promise<Match[]> {
  if (imports.length === 0) return [];
  await tx.query('SELECT pg_advisory_xact_lock_shared($1::int8)', [matchingLock]);
  const waiting = `FROM exchange_inbox WHERE match_state = 'unmatched' AND type = '${MessageType.ExportDeclaration}'`;
  // nothing waiting at all (the usual case between receipts): one index probe, no arrays sent
  if ((await tx.query(`SELECT 1 AS one ${waiting} LIMIT 1`)).length === 0) return [];
  const distinct = (keys: (string | undefined)[]) => [...new Set(keys.flatMap((k) => k ?? []))];
  const ucrs = distinct(imports.map((i) => i.ucr));
  const documents = distinct(imports.map((i) => i.transportDocument));
  const importers = distinct(imports.map((i) => partyKey(i.trader)));
  const named = await tx.query<{ kind: string; key: string }>(
    `SELECT DISTINCT 'ucr' AS kind, ucr AS key ${waiting} AND ucr = ANY($1::text[])
     UNION SELECT DISTINCT 'document', transport_document ${waiting} AND transport_document = ANY($2::text[])
     UNION SELECT DISTINCT 'importer', importer_key ${waiting} AND importer_key = ANY($3::text[])`,
    [ucrs, documents, importers],
  );
  if (named.length === 0) return [];
  const keys = new Set(named.map((n) => `${n.kind}\u0000${n.key}`));
  const has = (kind: string, key: string | undefined) => key !== undefined && keys.has(`${kind}\u0000${key}`);
  const candidates = imports
    .filter(
      (i) => has('ucr', i.ucr) || has('document', i.transportDocument) || has('importer', partyKey(i.trader)),
    )
    .map((i) => i.id)
    .sort((a, b) => a - b);
  const inputs = await load(candidates);
  const matches: Match[] = [];
  for (const id of candidates) {
    const d = inputs.get(id);
    if (d) matches.push(...(await matchImport(tx, id, d, settings, actor)));
  }
  return matches;
}

function waitingByParties(tx: Sql, d: DeclarationInput, settings: MirrorSettings): Promise<Waiting[]> {
  const importer = partyKey(d.trader);
  const exporters = [d.exporter, d.seller].flatMap((p) => partyKey(p) ?? []);
  if (!importer || exporters.length === 0) return Promise.resolve([]);
  return tx.query<Waiting>(
    `SELECT ${waitingColumns} AND importer_key = $1
       AND export_date BETWEEN $2::date - $3::int AND $2::date
       AND hs6 && $4::text[] AND exporter_keys && $5::text[]
     ORDER BY export_date DESC, sender, id LIMIT ${maxMatches} FOR UPDATE`,
    [importer, d.date, settings.windowDays, d.items.map((it) => hs6(it.hsCode)), exporters],
  );
}

interface Candidate {
  id: number;
}

/** An import's trader as a party key, in SQL (the index declarations_trader_key). */
const traderKey = `regexp_replace(upper(d.trader_id), '[^A-Z0-9]', '', 'g')`;

/**
 * Matches a message just received (stored in `tx`, under the exclusive matching lock) to the
 * import it belongs to: by UCR, else transport document, else parties; among several, the import
 * dated closest to the export (then the lowest id). Only imports dispatched from the sender (when
 * the sender is a country) with fewer than `maxMatches` matches are candidates. Returns the match,
 * if any, once the gaps of all the import's matches are computed again.
 */
export async function matchReceived(
  tx: Sql,
  message: { sender: string; id: string },
  keys: MatchKeys,
  settings: MirrorSettings,
  load: (tx: Sql, id: number) => Promise<DeclarationInput | undefined>,
  actor: string,
): Promise<Match | undefined> {
  const closest = `ORDER BY abs(d.date - coalesce($2::date, d.date)), d.id LIMIT 1`;
  // $3: the sender, when it is a country, is the import's dispatch country
  const imports = `SELECT d.id FROM declarations d WHERE d.type = '${DeclarationType.Import}' AND d.status <> 'cancelled'
    AND ($3::text IS NULL OR d.dispatch_country = $3)
    AND (SELECT count(*) FROM exchange_matches x WHERE x.declaration_id = d.id) < ${maxMatches}`;
  const dispatch = isCountryCode(message.sender) ? message.sender : null;
  const tries: [MatchedBy, () => Promise<Candidate[]>][] = [
    [
      MatchedBy.Ucr,
      async () =>
        keys.ucr
          ? tx.query<Candidate>(`${imports} AND d.ucr = $1 ${closest}`, [keys.ucr, keys.exportDate, dispatch])
          : [],
    ],
    [
      MatchedBy.TransportDocument,
      async () =>
        keys.transportDocument
          ? tx.query<Candidate>(`${imports} AND d.transport_document = $1 ${closest}`, [
              keys.transportDocument,
              keys.exportDate,
              dispatch,
            ])
          : [],
    ],
    [MatchedBy.Parties, () => importsByParties(tx, keys, settings, dispatch)],
  ];
  for (const [by, find] of tries) {
    const [candidate] = await find();
    if (!candidate) continue;
    const id = Number(candidate.id);
    const d = await load(tx, id);
    if (!d) continue;
    const match = await recordMatch(tx, message, id, by);
    if (!match) return undefined;
    const beyond = await recompute(tx, id, d, settings, actor, [match]);
    return { ...match, beyond };
  }
  return undefined;
}

async function importsByParties(
  tx: Sql,
  keys: MatchKeys,
  settings: MirrorSettings,
  dispatch: string | null,
): Promise<Candidate[]> {
  if (!keys.importerKey || !keys.exportDate || keys.exporterKeys.length === 0 || keys.hs6.length === 0)
    return [];
  // the import's trader is compared as a key, as the export's buyer is: whichever arrives first
  const rows = await tx.query<{ id: number; exporter: string | null; seller: string | null }>(
    `SELECT d.id, d.exporter, d.seller FROM declarations d
     WHERE d.type = '${DeclarationType.Import}' AND d.status <> 'cancelled' AND ${traderKey} = $1
       AND d.date BETWEEN $2::date AND $2::date + $3::int
       AND EXISTS (SELECT 1 FROM declaration_items i WHERE i.declaration_id = d.id AND left(i.hs_code, 6) = ANY($4::text[]))
       AND ($5::text IS NULL OR d.dispatch_country = $5)
       AND (SELECT count(*) FROM exchange_matches x WHERE x.declaration_id = d.id) < ${maxMatches}
     ORDER BY d.date, d.id`,
    [keys.importerKey, keys.exportDate, settings.windowDays, keys.hs6, dispatch],
  );
  const exporters = new Set(keys.exporterKeys);
  return rows.filter((r) =>
    [r.exporter, r.seller].some((p) => {
      const k = partyKey(p ?? undefined);
      return k !== undefined && exporters.has(k);
    }),
  );
}
