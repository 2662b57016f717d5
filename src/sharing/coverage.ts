/**
 * Which declarations an agreement covers: dated within its validity (and the reader's window
 * inside it), past acceptance and not cancelled, and matching every filter it sets (an item's HS
 * code starting with one of its prefixes; procedure, office and type among its lists). One SQL
 * condition, for the feed and the aggregates alike.
 */
import { Status } from '../declarations/model.ts';
import type { SharingAgreement } from './in-force.ts';

/**
 * The statuses a shared declaration may have: accepted and every one after it. Cancelled
 * declarations are withdrawn by their trader and never shared; drafts and rejected declarations
 * are never stored.
 */
export const sharedStatuses: readonly Status[] = Object.values(Status).filter((s) => s !== Status.Cancelled);

/** Inclusive days, YYYY-MM-DD. */
export interface DayWindow {
  from: string;
  to: string;
}

/** The agreement's validity narrowed to the reader's days; null when they do not meet. */
export function windowWithin(a: SharingAgreement, from?: string, to?: string): DayWindow | null {
  const start = from !== undefined && from > a.validFrom ? from : a.validFrom;
  const end = to !== undefined && to < a.validTo ? to : a.validTo;
  return start <= end ? { from: start, to: end } : null;
}

/** The SQL condition on declarations `d` for the agreement's coverage; parameters appended to `params`. */
export function coveredCondition(a: SharingAgreement, window: DayWindow, params: unknown[]): string {
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = [
    `d.date >= ${p(window.from)}::date`,
    `d.date <= ${p(window.to)}::date`,
    `d.status = ANY(${p(sharedStatuses)}::text[])`,
  ];
  // a requested procedure (2 digits) covers every procedure code (4 digits) that starts with it
  if (a.procedures.length > 0) {
    const procedures = p(a.procedures);
    where.push(
      `(d.procedure = ANY(${procedures}::text[]) OR left(d.procedure, 2) = ANY(${procedures}::text[]))`,
    );
  }
  if (a.offices.length > 0) where.push(`d.office = ANY(${p(a.offices)}::text[])`);
  if (a.declarationTypes.length > 0) where.push(`d.type = ANY(${p(a.declarationTypes)}::text[])`);
  if (a.hsPrefixes.length > 0)
    where.push(
      `EXISTS (SELECT 1 FROM declaration_items i, unnest(${p(a.hsPrefixes)}::text[]) AS hs(prefix)
               WHERE i.declaration_id = d.id AND left(i.hs_code, length(hs.prefix)) = hs.prefix)`,
    );
  return where.join(' AND ');
}
