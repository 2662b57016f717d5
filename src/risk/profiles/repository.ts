/**
 * Profile versions in storage, and the four-eyes workflow: draft, submitted (pending), then
 * approved (active, replacing the previous active version) or rejected by another risk analyst.
 * Every change is one conditional UPDATE on the expected status.
 */
import type { Database, Sql } from '../../db/database.ts';
import { SubjectKind } from '../../governance/ledger/entry.ts';
import { recordChange } from '../../governance/ledger/record.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { ProfileDefinition } from './profile.ts';

export const ProfileStatus = {
  Draft: 'draft',
  Pending: 'pending',
  Active: 'active',
  Retired: 'retired',
  Rejected: 'rejected',
} as const;
export type ProfileStatus = (typeof ProfileStatus)[keyof typeof ProfileStatus];

export interface StoredProfile {
  id: number;
  code: string;
  version: number;
  definition: ProfileDefinition;
  status: ProfileStatus;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  stats: { selections: number; controls: number; positives: number; hitRate: number | null };
}

export type ProfileError =
  | { code: 'profile_not_found' }
  | { code: 'four_eyes'; message: string }
  | { code: 'action_not_allowed'; message: string };

const select = `SELECT p.id, p.code, p.version, p.definition, p.status, p.created_by AS "createdBy", p.created_at AS "createdAt",
    p.decided_by AS "decidedBy", p.decided_at AS "decidedAt", p.decision_note AS "decisionNote",
    coalesce(s.selections, 0) AS selections, coalesce(s.controls, 0) AS controls, coalesce(s.positives, 0) AS positives
  FROM risk_profiles p LEFT JOIN LATERAL (
    SELECT count(*)::int8 AS selections,
           count(c.outcome)::int8 AS controls,
           count(*) FILTER (WHERE c.outcome = 'non_compliant')::int8 AS positives
    FROM profile_hits h
    LEFT JOIN LATERAL (SELECT outcome FROM control_results r WHERE r.declaration_id = h.declaration_id
                       AND r.superseded_at IS NULL
                       ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1) c ON true
    WHERE h.profile_id = p.id) s ON true`;

type Row = Omit<StoredProfile, 'stats'> & { selections: number; controls: number; positives: number };

const toProfile = ({ selections, controls, positives, ...p }: Row): StoredProfile => ({
  ...p,
  stats: { selections, controls, positives, hitRate: controls ? positives / controls : null },
});

export const profilesRepository = {
  async create(db: Database, definition: ProfileDefinition, actor: string): Promise<StoredProfile> {
    return db.transaction((tx) => this.createIn(tx, definition, actor));
  },

  /** A new draft version in the caller's transaction (drafting one from a monitoring alert). */
  async createIn(tx: Sql, definition: ProfileDefinition, actor: string): Promise<StoredProfile> {
    // versions of one code are numbered in order; the lock keeps two drafts from taking one number
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`profile:${definition.code}`]);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO risk_profiles (code, version, definition, status, created_by)
       VALUES ($1, (SELECT coalesce(max(version), 0) + 1 FROM risk_profiles WHERE code = $1), $2::jsonb, 'draft', $3) RETURNING id`,
      [definition.code, JSON.stringify(definition), actor],
    );
    if (!row) throw new Error('the profile was not stored');
    const stored = await mustFind(tx, row.id);
    await recordProfile(tx, actor, 'created', stored, { code: stored.code, version: stored.version });
    return stored;
  },

  async find(sql: Sql, id: number): Promise<StoredProfile | undefined> {
    const [row] = await sql.query<Row>(`${select} WHERE p.id = $1`, [id]);
    return row && toProfile(row);
  },

  /** The newest version of every profile, and every active one. */
  async list(sql: Sql): Promise<StoredProfile[]> {
    const rows = await sql.query<Row>(
      `${select} WHERE p.status = 'active' OR p.version = (SELECT max(version) FROM risk_profiles q WHERE q.code = p.code)
       ORDER BY p.code, p.version DESC`,
    );
    return rows.map(toProfile);
  },

  /** The active version of a code, if one is. */
  async inForce(sql: Sql, code: string): Promise<StoredProfile | undefined> {
    const [row] = await sql.query<Row>(`${select} WHERE p.code = $1 AND p.status = 'active'`, [code]);
    return row && toProfile(row);
  },

  async active(sql: Sql): Promise<StoredProfile[]> {
    return (await sql.query<Row>(`${select} WHERE p.status = 'active' ORDER BY p.code`)).map(toProfile);
  },

  async submit(db: Database, id: number, actor: string): Promise<Result<StoredProfile, ProfileError>> {
    const done = await db.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE risk_profiles SET status = 'pending', submitted_at = now() WHERE id = $1 AND status = 'draft' AND created_by = $2 RETURNING id`,
        [id, actor],
      );
      if (rows.length > 0) await recordProfile(tx, actor, 'submitted', await mustFind(tx, id));
      return rows.length > 0;
    });
    if (!done) return refusal(db, id, 'only the author submits a draft for approval');
    return ok(await mustFind(db, id));
  },

  /** Approves (activating, and retiring the previous active version) or rejects a pending version. */
  async decide(
    db: Database,
    id: number,
    actor: string,
    approve: boolean,
    note: string | null,
  ): Promise<Result<StoredProfile, ProfileError>> {
    const current = await this.find(db, id);
    if (!current) return err({ code: 'profile_not_found' });
    if (current.createdBy === actor)
      return err({
        code: 'four_eyes',
        message: 'a profile is approved or rejected by another risk analyst than its author',
      });
    if (current.status !== ProfileStatus.Pending)
      return err({
        code: 'action_not_allowed',
        message: `profile version ${id} is ${current.status}, not pending`,
      });
    const done = await db.transaction(async (tx) => {
      if (approve) {
        await tx.query(`UPDATE risk_profiles SET status = 'retired' WHERE code = $1 AND status = 'active'`, [
          current.code,
        ]);
      }
      const rows = await tx.query(
        `UPDATE risk_profiles SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4
         WHERE id = $1 AND status = 'pending' AND created_by <> $3 RETURNING id`,
        [id, approve ? 'active' : 'rejected', actor, note],
      );
      if (rows.length > 0) {
        await recordProfile(tx, actor, approve ? 'approved' : 'rejected', current, note ? { note } : {});
      }
      return rows.length > 0;
    });
    if (!done)
      return err({
        code: 'action_not_allowed',
        message: `profile version ${id} changed while it was being decided`,
      });
    return ok(await mustFind(db, id));
  },

  async retire(db: Database, id: number, actor: string): Promise<Result<StoredProfile, ProfileError>> {
    const done = await db.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE risk_profiles SET status = 'retired', decision_note = coalesce(decision_note, '') || $2 WHERE id = $1 AND status = 'active' RETURNING id`,
        [id, ` retired by ${actor}`],
      );
      if (rows.length > 0) await recordProfile(tx, actor, 'retired', await mustFind(tx, id));
      return rows.length > 0;
    });
    if (!done) return refusal(db, id, 'only an active profile is retired');
    return ok(await mustFind(db, id));
  },
};

/** A profile version's change in the ledger: its code and version, and what else the step decided. */
async function recordProfile(
  tx: Sql,
  actor: string,
  step: string,
  p: StoredProfile,
  data: Record<string, unknown> = {},
): Promise<void> {
  await recordChange(tx, {
    actor,
    action: `profile.${step}`,
    subjectKind: SubjectKind.Profile,
    subjectId: String(p.id),
    data: { code: p.code, version: p.version, ...data },
  });
}

async function mustFind(sql: Sql, id: number): Promise<StoredProfile> {
  const found = await profilesRepository.find(sql, id);
  if (!found) throw new Error(`profile ${id} vanished`);
  return found;
}

async function refusal(sql: Sql, id: number, rule: string): Promise<Result<StoredProfile, ProfileError>> {
  const found = await profilesRepository.find(sql, id);
  if (!found) return err({ code: 'profile_not_found' });
  return err({ code: 'action_not_allowed', message: `profile version ${id} is ${found.status}: ${rule}` });
}
