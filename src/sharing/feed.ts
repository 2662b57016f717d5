/**
 * The feed: a partner agency pages through the declarations one of its agreements in force covers,
 * each reduced to the granted fields (projection.ts), after an opaque cursor. Every page is
 * recorded as a delivery, in the transaction that reads it, before it is returned.
 *
 * A page is read under one agreement. Without `agreement`, the agency's only agreement in force is
 * used; an agency with several names the one it reads, so each page has one grant and one record.
 */
import type { Database } from '../db/database.ts';
import { declarationsRepository } from '../declarations/repository.ts';
import { pseudonymiser, type KeyError, type Pseudonymise } from '../governance/pseudonyms.ts';
import type { Actor } from '../governance/roles.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { coveredCondition, windowWithin } from './coverage.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { recordDelivery } from './deliveries.ts';
import {
  agreementOf,
  agreementsInForce,
  DeliveryChannel,
  SharingLevel,
  whyNotInForce,
  type SharingAgreement,
} from './in-force.ts';
import { releaseLabelOf } from './agreements.ts';
import { project, type SharedDeclaration } from './projection.ts';

export const maxFeedLimit = 1000;

export interface FeedRequest {
  actor: Actor;
  agreementId?: number;
  cursor?: string;
  /** Declaration dates, inclusive, YYYY-MM-DD; narrowed to the agreement's validity. */
  from?: string;
  to?: string;
  limit: number;
  /** The day agreements are in force on, YYYY-MM-DD. */
  today: string;
  pseudonymKey: () => Promise<Result<Buffer, KeyError>>;
}

export interface FeedPage {
  /** The agreement the page was read under; null for an agency with none in force. */
  agreement: SharingAgreement | null;
  items: SharedDeclaration[];
  /**
   * Where the next page starts: after the last declaration served (or where this one started, when
   * it was empty), so an agency polls with it for declarations stored later. Null without an agreement.
   */
  nextCursor: string | null;
  /** Whether more covered declarations follow at once. */
  hasMore: boolean;
}

export type FeedError = {
  code: 'invalid_request' | 'not_found' | 'agreement_not_in_force' | 'forbidden' | 'service_unavailable';
  message: string;
};

const refuse = (code: FeedError['code'], message: string) => err<FeedError>({ code, message });

/** The agreement a page is read under, checked for the feed, and where the page starts. */
export async function feedAgreement(
  db: Database,
  r: Pick<FeedRequest, 'actor' | 'agreementId' | 'cursor' | 'today'>,
): Promise<Result<{ agreement: SharingAgreement | null; after: number }, FeedError>> {
  const agency = r.actor.partyId;
  let agreementId = r.agreementId;
  let after = 0;
  if (r.cursor !== undefined) {
    const position = decodeCursor(r.cursor);
    if (!position.ok) return refuse('invalid_request', position.error.message);
    if (position.value.agency !== agency)
      return refuse('invalid_request', 'cursor was given to another agency');
    if (agreementId !== undefined && position.value.agreementId !== agreementId)
      return refuse(
        'invalid_request',
        `cursor belongs to agreement ${position.value.agreementId}, not to agreement ${agreementId}`,
      );
    agreementId = position.value.agreementId;
    after = position.value.after;
  }
  if (agency === null) {
    if (agreementId !== undefined)
      return refuse('not_found', `no agreement ${agreementId}: your account belongs to no agency`);
    return ok({ agreement: null, after });
  }
  let agreement: SharingAgreement | undefined;
  if (agreementId === undefined) {
    const inForce = await agreementsInForce(db, agency, r.today);
    if (inForce.length > 1)
      return refuse(
        'invalid_request',
        `agency ${agency} has ${inForce.length} agreements in force (${inForce.map((a) => a.id).join(', ')}): name one with agreement=ID`,
      );
    agreement = inForce[0];
    if (agreement === undefined) return ok({ agreement: null, after });
  } else {
    agreement = await agreementOf(db, agency, agreementId);
    if (agreement === undefined)
      return refuse('not_found', `agency ${agency} has no agreement ${agreementId}`);
  }
  const why = whyNotInForce(agreement, r.today);
  if (why !== null) return refuse('agreement_not_in_force', why);
  if (agreement.level === SharingLevel.Aggregated)
    return refuse(
      'forbidden',
      `agreement ${agreement.id} shares aggregates only, never declarations: read GET /api/sharing/aggregates?agreement=${agreement.id}`,
    );
  if (agreement.delivery === DeliveryChannel.Webhook)
    return refuse('forbidden', `agreement ${agreement.id} delivers by webhook, not by the feed`);
  return ok({ agreement, after });
}

/** One page of the feed, recorded as a delivery before it is returned. */
export async function readFeedPage(db: Database, r: FeedRequest): Promise<Result<FeedPage, FeedError>> {
  const resolved = await feedAgreement(db, r);
  if (!resolved.ok) return resolved;
  const { agreement, after } = resolved.value;
  if (agreement === null) return ok({ agreement: null, items: [], nextCursor: null, hasMore: false });
  let pseudonymise: Pseudonymise | undefined;
  if (agreement.level === SharingLevel.Pseudonymised) {
    const key = await r.pseudonymKey();
    if (!key.ok) return refuse('service_unavailable', key.error.message);
    pseudonymise = pseudonymiser(key.value, releaseLabelOf(agreement.id));
  }
  const window = windowWithin(agreement, r.from, r.to);
  const limit = Math.min(Math.max(1, r.limit), maxFeedLimit);
  return db.transaction(async (tx) => {
    let ids: number[] = [];
    let more = false;
    if (window !== null) {
      const params: unknown[] = [after, limit + 1];
      // Ids are drawn when a declaration is stored but seen when its transaction commits, so a
      // declaration stored in a transaction still running may get a lower id than one already
      // seen; the cursor would pass it for good. A page therefore ends before the first declaration
      // written since the oldest transaction still writing to this database began (`settled`
      // false): the rest follow once that transaction has ended.
      const rows = await tx.query<{ id: number; settled: boolean }>(
        `WITH running AS (
           SELECT max(age(backend_xid)) AS oldest FROM pg_stat_activity
           WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid())
         SELECT d.id, (running.oldest IS NULL OR age(d.xmin) > running.oldest) AS settled
         FROM declarations d, running
         WHERE d.id > $1 AND ${coveredCondition(agreement, window, params)}
         ORDER BY d.id LIMIT $2`,
        params,
      );
      const unsettled = rows.findIndex((row) => !row.settled);
      const ready = unsettled < 0 ? rows : rows.slice(0, unsettled);
      more = ready.length > limit;
      ids = ready.slice(0, limit).map((row) => Number(row.id));
    }
    const inputs = await declarationsRepository.findInputs(tx, ids);
    const items = ids.flatMap((id) => {
      const input = inputs.get(id);
      return input ? [project({ ...input, id }, agreement, pseudonymise)] : [];
    });
    await recordDelivery(tx, {
      agreementId: agreement.id,
      agency: agreement.agency,
      channel: DeliveryChannel.Feed,
      fields: agreement.fields,
      declarationIds: ids,
      actor: r.actor.username,
    });
    const nextCursor = encodeCursor({
      agency: agreement.agency,
      agreementId: agreement.id,
      after: ids.at(-1) ?? after,
    });
    return ok({ agreement, items, nextCursor, hasMore: more });
  });
}
