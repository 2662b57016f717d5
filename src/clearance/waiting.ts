/**
 * What waits at each stage of clearance, per office: every declaration whose goods still wait for
 * a decision (accepted, amended, controlled or detained) counted at the one stage it waits at, with
 * the oldest moment one of them came to wait there. The duty is the SQL form of duties.ts' rule.
 */
import type { Sql } from '../db/database.ts';
import { EventKind, liveStatuses } from '../declarations/lifecycle.ts';
import { itemDutySql } from './duties.ts';

/** The stages, in the order a declaration is counted at the first that holds for it. */
export const waitingStages = [
  'detained',
  'inspection_started',
  'inspection_scheduled',
  'documents_provided',
  'documents_requested',
  'awaiting_arrival',
  'awaiting_control',
  'awaiting_payment',
  'awaiting_release',
] as const;
export type WaitingStage = (typeof waitingStages)[number];

export interface Waiting {
  office: string;
  stage: WaitingStage;
  count: number;
  /** Since when the longest waiting of them waits at this stage. */
  oldestSince: string;
}

/**
 * The stage each waiting declaration is at, from its last document and inspection events, its
 * arrival, its control result, and its duty against what was paid or guaranteed: since the event
 * that put it there (acceptance for the arrival, its latest event for control, payment and release).
 */
const statement = `WITH w AS (
  SELECT d.office, d.status, d.lane, e.*,
    (SELECT coalesce(sum(${itemDutySql('i', 'd')}), 0) FROM declaration_items i WHERE i.declaration_id = d.id) AS duty
  FROM declarations d
  CROSS JOIN LATERAL (
    SELECT min(x.at) FILTER (WHERE x.kind = '${EventKind.Accepted}') AS accepted_at,
      bool_or(x.kind = '${EventKind.Arrived}') AS arrived,
      bool_or(x.kind = '${EventKind.Controlled}') AS controlled,
      (array_agg(x.kind ORDER BY x.seq DESC) FILTER (WHERE x.kind LIKE 'documents%'))[1] AS documents,
      max(x.at) FILTER (WHERE x.kind LIKE 'documents%') AS documents_at,
      (array_agg(x.kind ORDER BY x.seq DESC) FILTER (WHERE x.kind LIKE 'inspection%'))[1] AS inspection,
      max(x.at) FILTER (WHERE x.kind LIKE 'inspection%') AS inspection_at,
      max(x.at) FILTER (WHERE x.kind = '${EventKind.Detained}') AS detained_at,
      max(x.at) AS last_at,
      coalesce(sum((x.data->>'amount')::numeric) FILTER (WHERE x.kind IN ('${EventKind.Paid}', '${EventKind.Guaranteed}')), 0) AS settled
    FROM declaration_events x WHERE x.declaration_id = d.id
  ) e
  WHERE ($1::text[] IS NULL OR d.office = ANY($1::text[])) AND d.status = ANY($2::text[])
), s AS (
  SELECT office,
    CASE WHEN status = 'detained' THEN 'detained'
         WHEN inspection IN ('inspection_started', 'inspection_scheduled') THEN inspection
         WHEN documents IN ('documents_provided', 'documents_requested') THEN documents
         WHEN NOT arrived THEN 'awaiting_arrival'
         WHEN coalesce(lane, '') NOT IN ('green', 'blue') AND NOT controlled THEN 'awaiting_control'
         WHEN duty > settled THEN 'awaiting_payment'
         ELSE 'awaiting_release' END AS stage,
    CASE WHEN status = 'detained' THEN detained_at
         WHEN inspection IN ('inspection_started', 'inspection_scheduled') THEN inspection_at
         WHEN documents IN ('documents_provided', 'documents_requested') THEN documents_at
         WHEN NOT arrived THEN accepted_at
         ELSE last_at END AS since
  FROM w
)
SELECT office, stage, count(*)::int8 AS count, min(since) AS "oldestSince"
FROM s GROUP BY office, stage ORDER BY office, stage`;

/** What waits at each stage at these offices, or at every office (null); stages where nothing waits are left out. */
export async function waiting(sql: Sql, offices: readonly string[] | null): Promise<Waiting[]> {
  const rows = await sql.query<Waiting>(statement, [offices, liveStatuses]);
  const rank = (s: WaitingStage) => waitingStages.indexOf(s);
  return rows.sort((a, b) => a.office.localeCompare(b.office) || rank(a.stage) - rank(b.stage));
}
