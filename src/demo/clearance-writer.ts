/**
 * Gives stored demo declarations their clearance: the stage events of clearance-times.ts in bulk,
 * one transaction per batch, with the officers' control results the yellow and red lanes imply and
 * the status the events leave (the lifecycle's deriveStatus). Only declarations imported by the
 * given actor (the seed's `demo`) whose history is still what their assessment left (lodged,
 * accepted, assessed, duties_assessed, and the automatic release of a green or blue one with
 * nothing to pay) are touched: the times of the first three events are set to the declaration's own
 * day (stored moments ago, they are simulated history), and the assessment's events after
 * `assessed` are replaced by the simulation's, which begin with the same `duties_assessed`. The
 * ledger hashes no event times (its entries name declarations and figures), so this changes nothing
 * it sealed; each batch adds one entry.
 */
import type { Database, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import {
  simulateClearance,
  StageKind,
  type ClearanceSubject,
  type SimulatedClearance,
} from './clearance-times.ts';

export interface StoredClearanceRun {
  seed: number;
  /** The simulated clock stops here: later stages have not happened yet. */
  until: Date;
  /** The actor whose imported declarations are the demo's (declarations.lodged_by). */
  lodgedBy: string;
  /** Who the ledger names, and who records the officers' and traders' steps. */
  actor: string;
  batchSize?: number;
  /** The latest red or yellow declarations per office left waiting for an officer (clearance-times.ts). */
  awaitingOfficers?: number;
}

export interface StoredClearanceSummary {
  declarations: number;
  events: number;
  controlResults: number;
  statuses: Record<string, number>;
}

const pageSize = 5000;
const defaultBatch = 2000;
/**
 * The history of a declaration nothing has happened to since its assessment (probed on the events'
 * primary key): exactly lodged, accepted, assessed, duties_assessed, and then either nothing
 * (status accepted) or the system's release at assessment (status released).
 */
const untouched = `d.lane IS NOT NULL
    AND EXISTS (SELECT 1 FROM declaration_events e WHERE e.declaration_id = d.id AND e.seq = 4)
    AND NOT EXISTS (SELECT 1 FROM declaration_events e WHERE e.declaration_id = d.id
      AND (e.seq > 5 OR e.kind IS DISTINCT FROM (ARRAY['lodged', 'accepted', 'assessed', 'duties_assessed', 'released']::text[])[e.seq]
           OR (e.seq = 5 AND (e.actor <> 'system' OR e.data IS DISTINCT FROM '{"automatic": true}'::jsonb))))
    AND d.status = CASE WHEN EXISTS (SELECT 1 FROM declaration_events e WHERE e.declaration_id = d.id AND e.seq = 5)
                        THEN 'released' ELSE 'accepted' END`;

/** Simulates and stores the clearance of the demo declarations that have none yet. */
export async function simulateStoredClearance(
  db: Database,
  run: StoredClearanceRun,
): Promise<StoredClearanceSummary> {
  const subjects = await readSubjects(db, run.lodgedBy, run.until);
  const cleared = simulateClearance(subjects, {
    seed: run.seed,
    until: run.until.getTime(),
    actor: run.actor,
    ...(run.awaitingOfficers ? { awaitingOfficers: run.awaitingOfficers } : {}),
  });
  const summary: StoredClearanceSummary = { declarations: 0, events: 0, controlResults: 0, statuses: {} };
  const size = run.batchSize ?? defaultBatch;
  for (let k = 0; k < cleared.length; k += size) {
    const written = await db.transaction((tx) => writeBatch(tx, cleared.slice(k, k + size), run));
    summary.declarations += written.declarations;
    summary.events += written.events;
    summary.controlResults += written.controlResults;
    for (const [status, n] of Object.entries(written.statuses))
      summary.statuses[status] = (summary.statuses[status] ?? 0) + n;
  }
  return summary;
}

interface SubjectRow {
  id: number;
  date: string;
  office: string;
  lane: string;
  transport_mode: string | null;
  duty: { currency: string; duty: number } | null;
  outcome: 'compliant' | 'non_compliant' | null;
  irregularity: string | null;
}

/**
 * The demo declarations dated up to `until` with nothing after their assessment, with the duty
 * their assessment assessed (its `duties_assessed`) and their truth.
 */
async function readSubjects(db: Database, lodgedBy: string, until: Date): Promise<ClearanceSubject[]> {
  const subjects: ClearanceSubject[] = [];
  for (let after = 0; ;) {
    const rows = await db.query<SubjectRow>(
      `SELECT d.id, d.date::text AS date, d.office, d.lane, d.transport_mode,
              (SELECT e.data FROM declaration_events e WHERE e.declaration_id = d.id AND e.seq = 4) AS duty,
              c.outcome, c.irregularity
       FROM declarations d
       LEFT JOIN LATERAL (SELECT r.outcome, r.irregularity FROM control_results r
                          WHERE r.declaration_id = d.id AND r.superseded_at IS NULL
                          ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1) c ON true
       WHERE d.id > $1 AND d.lodged_by = $2 AND d.date <= $3::date AND ${untouched}
       ORDER BY d.id LIMIT $4`,
      [after, lodgedBy, until.toISOString().slice(0, 10), pageSize],
    );
    for (const r of rows) subjects.push(subjectOf(r));
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return subjects;
    after = Number(last.id);
  }
}

function subjectOf(r: SubjectRow): ClearanceSubject {
  return {
    id: Number(r.id),
    date: r.date,
    office: r.office,
    lane: r.lane,
    transportMode: r.transport_mode,
    duty: { amount: Number(r.duty?.duty ?? 0), currency: String(r.duty?.currency ?? '') },
    truth: r.outcome ? { outcome: r.outcome, irregularity: r.irregularity } : null,
  };
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * One batch: still untouched declarations locked, results, times and statuses, the assessment's
 * events after `assessed` replaced, one ledger entry. The times are set before the events are
 * replaced: the release's trigger (migration 0037) reads the declaration's stage times into
 * clearance_times when the `released` event is inserted, and forgets them when it is deleted.
 */
async function writeBatch(
  tx: Sql,
  batch: readonly SimulatedClearance[],
  run: StoredClearanceRun,
): Promise<StoredClearanceSummary> {
  const locked = await tx.query<{ id: number }>(
    `SELECT d.id FROM declarations d WHERE d.id = ANY($1::int8[]) AND ${untouched}
     ORDER BY d.id FOR UPDATE`,
    [batch.map((c) => c.id)],
  );
  const ids = new Set(locked.map((r) => Number(r.id)));
  const list = batch.filter((c) => ids.has(c.id));
  const statuses: Record<string, number> = {};
  for (const c of list) statuses[c.status] = (statuses[c.status] ?? 0) + 1;
  if (list.length === 0) return { declarations: 0, events: 0, controlResults: 0, statuses };
  const resultIds = await insertControlResults(tx, list, run.actor);
  await restamp(tx, list);
  const events = await replaceEvents(tx, list, resultIds);
  await recordChange(tx, {
    actor: run.actor,
    action: 'declarations.clearance_simulated',
    subjectKind: SubjectKind.Declarations,
    subjectId: null,
    data: {
      count: list.length,
      firstId: list[0]?.id ?? null,
      lastId: list.at(-1)?.id ?? null,
      seed: run.seed,
      until: run.until.toISOString(),
      statuses,
      controlResults: resultIds.size,
    },
  });
  return { declarations: list.length, events, controlResults: resultIds.size, statuses };
}

/** The officers' results of the controlled declarations, as recordControlResult stores one. */
async function insertControlResults(
  tx: Sql,
  list: readonly SimulatedClearance[],
  actor: string,
): Promise<Map<number, number>> {
  const controlled = list.flatMap((c) => (c.control ? [{ id: c.id, r: c.control }] : []));
  if (controlled.length === 0) return new Map();
  const rows = await tx.query<{ id: number; declaration_id: number }>(
    `INSERT INTO control_results (declaration_id, outcome, irregularity, severity, seizure, notes, source, recorded_by, recorded_at)
     SELECT r.id, r.outcome, r.irregularity, r.severity, r.seizure, CASE WHEN r.seizure THEN 'goods seized' END,
            'officer', $7, r.at
     FROM unnest($1::int8[], $2::text[], $3::text[], $4::int2[], $5::bool[], $6::timestamptz[])
       AS r(id, outcome, irregularity, severity, seizure, at)
     RETURNING id, declaration_id`,
    [
      controlled.map((c) => c.id),
      controlled.map((c) => c.r.outcome),
      controlled.map((c) => c.r.irregularity),
      controlled.map((c) => c.r.severity),
      controlled.map((c) => c.r.seizure),
      controlled.map((c) => iso(c.r.at)),
      actor,
    ],
  );
  return new Map(rows.map((r) => [Number(r.declaration_id), Number(r.id)]));
}

/**
 * The events after `assessed` (seq 4 on) replaced by the simulated ones, the `controlled` ones
 * naming their result.
 */
async function replaceEvents(
  tx: Sql,
  list: readonly SimulatedClearance[],
  resultIds: ReadonlyMap<number, number>,
): Promise<number> {
  const ids: number[] = [];
  const seqs: number[] = [];
  const kinds: string[] = [];
  const ats: string[] = [];
  const actors: string[] = [];
  const data: string[] = [];
  for (const c of list) {
    c.events.forEach((e, k) => {
      ids.push(c.id);
      seqs.push(4 + k);
      kinds.push(e.kind);
      ats.push(iso(e.at));
      actors.push(e.actor);
      const resultId = e.kind === StageKind.Controlled ? resultIds.get(c.id) : undefined;
      data.push(JSON.stringify(resultId === undefined ? e.data : { ...e.data, resultId }));
    });
  }
  await tx.query(`DELETE FROM declaration_events WHERE declaration_id = ANY($1::int8[]) AND seq > 3`, [
    list.map((c) => c.id),
  ]);
  await tx.query(
    `INSERT INTO declaration_events (declaration_id, seq, kind, at, actor, data)
     SELECT id, seq, kind, at, actor, data::jsonb
     FROM unnest($1::int8[], $2::int4[], $3::text[], $4::timestamptz[], $5::text[], $6::text[])
       AS e(id, seq, kind, at, actor, data)`,
    [ids, seqs, kinds, ats, actors, data],
  );
  return ids.length;
}

/**
 * Lodging, acceptance and assessment moved to the declaration's day (its events, the lodging time
 * and the assessment's time), and the status the new events leave.
 */
async function restamp(tx: Sql, list: readonly SimulatedClearance[]): Promise<void> {
  const ids = list.map((c) => c.id);
  const lodged = list.map((c) => iso(c.lodgedAt));
  const assessed = list.map((c) => iso(c.assessedAt));
  await tx.query(
    `UPDATE declaration_events e SET at = u.at
     FROM unnest($1::int8[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[]) AS t(id, lodged, accepted, assessed),
          LATERAL (VALUES (1, t.lodged), (2, t.accepted), (3, t.assessed)) AS u(seq, at)
     WHERE e.declaration_id = t.id AND e.seq = u.seq`,
    [ids, lodged, list.map((c) => iso(c.acceptedAt)), assessed],
  );
  await tx.query(
    `UPDATE risk_assessments a SET assessed_at = t.at FROM unnest($1::int8[], $2::timestamptz[]) AS t(id, at)
     WHERE a.declaration_id = t.id`,
    [ids, assessed],
  );
  await tx.query(
    `UPDATE declarations d SET status = t.status, lodged_at = t.lodged, updated_at = t.updated
     FROM unnest($1::int8[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS t(id, status, lodged, updated)
     WHERE d.id = t.id`,
    [ids, list.map((c) => c.status), lodged, list.map((c) => iso(c.events.at(-1)?.at ?? c.assessedAt))],
  );
}
