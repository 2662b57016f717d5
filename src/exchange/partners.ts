/**
 * Partner administrations: registered or changed by one administrator, in force once a second one
 * confirms (four-eyes); every proposal and confirmation on the ledger in its own transaction. The
 * second administrator is neither the proposer, nor one the proposer created, nor one created
 * after the proposal; and confirms the terms reviewed, named by the proposal's digest.
 */
import { createPublicKey } from 'node:crypto';
import { administrationCode } from '../config.ts';
import type { Database, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { endpointProblem, resolvedEndpointProblem, type EndpointPolicy } from './endpoint.ts';
import { messageTypes } from './envelope.ts';

export interface PartnerTerms {
  code: string;
  name: string;
  /** The partner's inbox: its POST /api/exchange/inbox. */
  endpoint: string;
  /** The partner's Ed25519 exchange public key (SPKI PEM), as its GET /api/exchange/public-key gives it. */
  publicKey: string;
  messageTypes: string[];
  agreementRef: string;
  validFrom: string;
  validTo: string | null;
}

export interface Partner extends PartnerTerms {
  proposedBy: string;
  confirmedBy: string;
  confirmedAt: string;
}

export interface Proposal {
  terms: PartnerTerms;
  proposedBy: string;
  proposedAt: string;
  /** Names this version of the proposal: a confirmation carries it and is refused if it changed. */
  digest: string;
}

export type PartnerError =
  | { code: 'invalid_partner'; message: string }
  | { code: 'partner_not_found'; message: string }
  | { code: 'proposal_not_found'; message: string }
  | { code: 'proposal_changed'; message: string }
  | { code: 'four_eyes'; message: string };

const partnerColumns = `code, name, endpoint, public_key AS "publicKey", message_types AS "messageTypes",
  agreement_ref AS "agreementRef", to_char(valid_from, 'YYYY-MM-DD') AS "validFrom",
  to_char(valid_to, 'YYYY-MM-DD') AS "validTo", proposed_by AS "proposedBy",
  confirmed_by AS "confirmedBy", confirmed_at AS "confirmedAt"`;

/** Every confirmed partner, by code. */
export function loadPartners(sql: Sql): Promise<Partner[]> {
  return sql.query<Partner>(`SELECT ${partnerColumns} FROM exchange_partners ORDER BY code`);
}

export async function findPartner(sql: Sql, code: string): Promise<Partner | undefined> {
  const [row] = await sql.query<Partner>(`SELECT ${partnerColumns} FROM exchange_partners WHERE code = $1`, [
    code,
  ]);
  return row;
}

const proposalColumns = `data AS terms, proposed_by AS "proposedBy", proposed_at AS "proposedAt",
  encode(sha256(convert_to(data::text || '|' || proposed_by || '|' ||
    (extract(epoch FROM proposed_at) * 1000000)::bigint::text, 'UTF8')), 'hex') AS digest`;

export function loadProposals(sql: Sql): Promise<Proposal[]> {
  return sql.query<Proposal>(`SELECT ${proposalColumns} FROM exchange_partner_proposals ORDER BY code`);
}

const day = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (s: string) => day.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** What is wrong with the terms of a partner, or null. */
export function termsProblem(
  t: PartnerTerms,
  self: string | undefined,
  policy: EndpointPolicy,
): string | null {
  if (!administrationCode.test(t.code))
    return `code must be 2 to 12 upper-case letters and digits starting with a letter, got "${t.code}"`;
  if (t.code === self) return `${t.code} is this administration's own code`;
  const endpoint = endpointProblem(t.endpoint, policy);
  if (endpoint) return endpoint;
  try {
    if (createPublicKey(t.publicKey).asymmetricKeyType !== 'ed25519')
      return 'publicKey must be an Ed25519 public key';
  } catch {
    return 'publicKey must be a PEM public key (SPKI), as GET /api/exchange/public-key gives it';
  }
  const unknown = t.messageTypes.filter((m) => !(messageTypes as readonly string[]).includes(m));
  if (t.messageTypes.length === 0 || unknown.length)
    return `messageTypes must list some of ${messageTypes.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`;
  if (!isDay(t.validFrom)) return `validFrom must be a day YYYY-MM-DD, got "${t.validFrom}"`;
  if (t.validTo !== null && !isDay(t.validTo)) return `validTo must be a day YYYY-MM-DD, got "${t.validTo}"`;
  if (t.validTo !== null && t.validTo < t.validFrom) return 'validTo is before validFrom';
  return null;
}

/** Whether the agreement with the partner is in force on `today` (YYYY-MM-DD). */
export const inForce = (p: PartnerTerms, today: string) =>
  p.validFrom <= today && (p.validTo === null || today <= p.validTo);

/** Proposes a partner's registration or a change of its terms; replaces an earlier proposal. */
export async function proposePartner(
  db: Database,
  terms: PartnerTerms,
  by: string,
  self: string | undefined,
  policy: EndpointPolicy,
): Promise<Result<Proposal, PartnerError>> {
  const problem =
    termsProblem(terms, self, policy) ?? (await resolvedEndpointProblem(terms.endpoint, policy));
  if (problem) return err({ code: 'invalid_partner', message: problem });
  const normal = { ...terms, messageTypes: [...new Set(terms.messageTypes)].sort() };
  return db.transaction(async (tx) => {
    const [row] = await tx.query<Proposal>(
      `INSERT INTO exchange_partner_proposals (code, data, proposed_by) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (code) DO UPDATE SET data = EXCLUDED.data, proposed_by = EXCLUDED.proposed_by, proposed_at = now()
       RETURNING ${proposalColumns}`,
      [normal.code, JSON.stringify(normal), by],
    );
    if (!row) throw new Error('proposal not stored');
    const existing = await findPartner(tx, normal.code);
    await recordChange(tx, {
      actor: by,
      action: existing ? 'exchange_partner.change_proposed' : 'exchange_partner.registration_proposed',
      subjectKind: SubjectKind.ExchangePartner,
      subjectId: normal.code,
      data: { ...normal },
    });
    return ok(row);
  });
}

/** A second administrator confirms the pending proposal: the partner's terms are then in force. */
export async function confirmPartner(
  db: Database,
  code: string,
  by: string,
  digest: string,
): Promise<Result<Partner, PartnerError>> {
  return db.transaction(async (tx) => {
    const [proposal] = await tx.query<Proposal>(
      `SELECT ${proposalColumns} FROM exchange_partner_proposals WHERE code = $1 FOR UPDATE`,
      [code],
    );
    if (!proposal)
      return err({ code: 'proposal_not_found', message: `no pending proposal for partner ${code}` });
    if (proposal.digest !== digest)
      return err({
        code: 'proposal_changed',
        // never the current digest: the confirmer has it from the proposer, by another channel
        message: `the proposal for ${code} is not the one reviewed (it changed since, or the digest is wrong); review its terms again and ask its proposer for their digest`,
      });
    const refusal = await notASecondPair(tx, proposal, by);
    if (refusal) return err({ code: 'four_eyes', message: refusal });
    const t = proposal.terms;
    await tx.query(
      `INSERT INTO exchange_partners (code, name, endpoint, public_key, message_types, agreement_ref,
         valid_from, valid_to, proposed_by, confirmed_by, confirmed_at)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7::date, $8::date, $9, $10, now())
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, endpoint = EXCLUDED.endpoint,
         public_key = EXCLUDED.public_key, message_types = EXCLUDED.message_types,
         agreement_ref = EXCLUDED.agreement_ref, valid_from = EXCLUDED.valid_from,
         valid_to = EXCLUDED.valid_to, proposed_by = EXCLUDED.proposed_by,
         confirmed_by = EXCLUDED.confirmed_by, confirmed_at = EXCLUDED.confirmed_at`,
      [
        t.code,
        t.name,
        t.endpoint,
        t.publicKey,
        t.messageTypes,
        t.agreementRef,
        t.validFrom,
        t.validTo,
        proposal.proposedBy,
        by,
      ],
    );
    await tx.query('DELETE FROM exchange_partner_proposals WHERE code = $1', [code]);
    await recordChange(tx, {
      actor: by,
      action: 'exchange_partner.confirmed',
      subjectKind: SubjectKind.ExchangePartner,
      subjectId: code,
      data: { ...t, proposedBy: proposal.proposedBy },
    });
    const partner = await findPartner(tx, code);
    if (!partner) throw new Error('confirmed partner vanished');
    return ok(partner);
  });
}

/**
 * Why `by` may not confirm `proposal`, or null: the confirming administrator is not the proposer,
 * was not created by the proposer (users.created_by, as the ledger's user.created entry),
 * and existed before the proposal was made.
 */
async function notASecondPair(sql: Sql, proposal: Proposal, by: string): Promise<string | null> {
  if (proposal.proposedBy === by)
    return `${by} proposed these terms; another administrator must confirm them`;
  const [user] = await sql.query<{ before: boolean; createdBy: string | null }>(
    `SELECT u.created_at < p.proposed_at AS before, u.created_by AS "createdBy"
     FROM users u, exchange_partner_proposals p WHERE u.username = $1 AND p.code = $2`,
    [by, proposal.terms.code],
  );
  if (!user) return `no user ${by}`;
  if (user.createdBy === proposal.proposedBy)
    return `${by} was created by ${proposal.proposedBy}, who proposed these terms; an administrator ${proposal.proposedBy} did not create must confirm them`;
  if (!user.before)
    return `${by} was created after these terms were proposed; an administrator who existed before must confirm them`;
  return null;
}

const partnerListSeconds = 30;

/**
 * The confirmed partners as last read (read again after 30 s or a change): the lodging's hook
 * consults it without a query.
 */
export function partnerCache(db: Database) {
  let list: Partner[] | null = null;
  let readAt = 0;
  const reload = async (sql: Sql = db) => {
    list = await loadPartners(sql);
    readAt = Date.now();
  };
  return {
    reload: () => reload(),
    /** The list, read first through `sql` (the caller's transaction) when it is stale. */
    async current(sql: Sql): Promise<Partner[]> {
      if (list === null || Date.now() - readAt > partnerListSeconds * 1000) await reload(sql);
      return list ?? [];
    },
  };
}
export type PartnerCache = ReturnType<typeof partnerCache>;
