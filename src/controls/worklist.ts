/**
 * What waits for control: the open declarations routed to the lanes of an office (or of several),
 * highest risk first, in keyset pages; and the queues per office and lane with how old their work is.
 */
import type { Sql } from '../db/database.ts';

export interface WorkItem {
  id: number;
  functionalReference: string;
  trader: string;
  office: string;
  date: string;
  lane: string;
  riskScore: number;
  status: string;
  lodgedAt: string;
  invoiceTotal: number | null;
  currency: string;
  items: number;
  assignedTo: string | null;
}

export interface WorklistQuery {
  /** One office, or several (an official's own offices). */
  offices: readonly string[];
  lanes: readonly string[];
  /** Keyset cursor: the risk score and id of the last item of the previous page. */
  after?: { score: number; id: number };
  /** Only the work of this officer, or (null) only work nobody holds. */
  assignee?: string | null;
  limit: number;
}

/** Open declarations (accepted or amended, not yet controlled) in the lanes, highest risk first. */
export async function worklist(sql: Sql, q: WorklistQuery): Promise<WorkItem[]> {
  // one office (the common case) as an equality, which the worklist index serves directly
  const [only] = q.offices;
  const params: unknown[] = [q.offices.length === 1 ? only : q.offices, q.lanes, q.limit];
  const atOffice = q.offices.length === 1 ? 'd.office = $1::text' : 'd.office = ANY($1::text[])';
  let keyset = '';
  if (q.after) {
    params.push(q.after.score, q.after.id);
    keyset = `AND (d.risk_score, d.id) < ($${params.length - 1}, $${params.length})`;
  }
  let held = '';
  if (q.assignee === null) held = 'AND d.assigned_to IS NULL';
  else if (q.assignee !== undefined) {
    params.push(q.assignee);
    held = `AND d.assigned_to = $${params.length}`;
  }
  return sql.query<WorkItem>(
    `SELECT d.id, d.functional_reference AS "functionalReference", d.trader_id AS trader, d.office, d.date,
            d.lane, d.risk_score AS "riskScore", d.status, d.lodged_at AS "lodgedAt",
            d.invoice_total AS "invoiceTotal", d.currency, d.assigned_to AS "assignedTo",
            (SELECT count(*) FROM declaration_items i WHERE i.declaration_id = d.id)::int8 AS items
     FROM declarations d
     WHERE ${atOffice} AND d.lane = ANY($2::text[]) AND d.status IN ('accepted', 'amended') ${keyset} ${held}
     ORDER BY d.risk_score DESC, d.id DESC LIMIT $3`,
    params,
  );
}

export interface Queue {
  office: string;
  lane: string;
  open: number;
  oldestLodgedAt: string;
  /** Open declarations lodged more than a day ago. */
  olderThanADay: number;
}

/** Open red and yellow work per office and lane, with its age; one office, or every office. */
export async function queues(sql: Sql, office?: string): Promise<Queue[]> {
  return sql.query<Queue>(
    `SELECT office, lane, count(*)::int8 AS open, min(lodged_at) AS "oldestLodgedAt",
            count(*) FILTER (WHERE lodged_at < now() - interval '1 day')::int8 AS "olderThanADay"
     FROM declarations
     WHERE lane IN ('red', 'yellow') AND status IN ('accepted', 'amended') AND ($1::text IS NULL OR office = $1)
     GROUP BY office, lane ORDER BY office, lane`,
    [office ?? null],
  );
}
