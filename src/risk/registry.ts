/** The model registry: versions of the learned risk model in the database; one is active at a time. */
import type { Database, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange, withinTransaction } from '../governance/ledger/record.ts';
import type { ModelMetrics } from './evaluate.ts';
import { featureNames } from './features.ts';
import { loadRiskModel, serializeRiskModel, type RiskModel } from './risk-model.ts';

export interface RegisteredModel {
  id: number;
  createdAt: string;
  createdBy: string;
  source: string;
  windowFrom: string | null;
  windowTo: string | null;
  rows: number;
  positives: number;
  features: string[];
  metrics: ModelMetrics | null;
  active: boolean;
  activatedBy: string | null;
  activatedAt: string | null;
}

const columns = `id, created_at AS "createdAt", created_by AS "createdBy", source, window_from AS "windowFrom", window_to AS "windowTo",
  rows, positives, features, metrics, active, activated_by AS "activatedBy", activated_at AS "activatedAt"`;

export async function registerModel(
  sql: Sql | Database,
  model: RiskModel,
  meta: { createdBy: string; source: string; metrics?: ModelMetrics },
): Promise<RegisteredModel> {
  const w = model.window;
  return withinTransaction(sql, async (tx) => {
    const [row] = await tx.query<RegisteredModel>(
      `INSERT INTO risk_models (created_by, source, window_from, window_to, rows, positives, features, metrics, model)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9) RETURNING ${columns}`,
      [
        meta.createdBy,
        meta.source,
        w.from || null,
        w.to || null,
        w.rows,
        w.positives,
        JSON.stringify(featureNames),
        meta.metrics ? JSON.stringify(meta.metrics) : null,
        JSON.stringify(serializeRiskModel(model)),
      ],
    );
    if (!row) throw new Error('the model was not registered');
    await recordChange(tx, {
      actor: meta.createdBy,
      action: 'model.registered',
      subjectKind: SubjectKind.Model,
      subjectId: String(row.id),
      data: { source: meta.source, rows: w.rows, positives: w.positives },
    });
    return row;
  });
}

export async function listModels(sql: Sql): Promise<RegisteredModel[]> {
  return sql.query<RegisteredModel>(`SELECT ${columns} FROM risk_models ORDER BY id DESC`);
}

/** Makes a version the active one; returns it, or null if there is no such version. */
export async function activateModel(
  db: Database,
  id: number,
  actor: string,
): Promise<RegisteredModel | null> {
  return db.transaction(async (tx) => {
    // activations one at a time: two at once would both clear the active one and collide on it
    await tx.query('LOCK TABLE risk_models IN SHARE ROW EXCLUSIVE MODE');
    const exists = await tx.query('SELECT id FROM risk_models WHERE id = $1 FOR UPDATE', [id]);
    if (exists.length === 0) return null;
    await tx.query('UPDATE risk_models SET active = false WHERE active AND id <> $1', [id]);
    const [row] = await tx.query<RegisteredModel>(
      `UPDATE risk_models SET active = true, activated_by = $2, activated_at = now() WHERE id = $1 RETURNING ${columns}`,
      [id, actor],
    );
    if (!row) return null;
    await recordChange(tx, {
      actor,
      action: 'model.activated',
      subjectKind: SubjectKind.Model,
      subjectId: String(id),
      data: null,
    });
    return row;
  });
}

/**
 * The active model, loaded and checked, or null when none is active. A registered model never
 * changes, so `known`, when it is still the active one, is returned as it is: reading and checking
 * a model takes a hundred milliseconds and more, where asking which one is active takes one.
 */
export async function activeModel(
  sql: Sql,
  known?: { id: number; model: RiskModel } | null,
): Promise<{ id: number; model: RiskModel } | null> {
  if (known) {
    const [active] = await sql.query<{ id: number }>('SELECT id FROM risk_models WHERE active');
    if (active?.id === known.id) return known;
  }
  const [row] = await sql.query<{ id: number; model: string }>(
    'SELECT id, model FROM risk_models WHERE active',
  );
  return row ? { id: row.id, model: loadRiskModel(JSON.parse(row.model)) } : null;
}

/** A registered model by id, loaded and checked, or null when there is none. Models never change. */
export async function modelById(sql: Sql, id: number): Promise<RiskModel | null> {
  const [row] = await sql.query<{ model: string }>('SELECT model FROM risk_models WHERE id = $1', [id]);
  return row ? loadRiskModel(JSON.parse(row.model)) : null;
}
