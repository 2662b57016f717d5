/**
 * The registry of HS classification models: versions in the database, one active at a time, each
 * registered inactive and activated by a risk analyst, on the ledger (as risk/registry.ts does for
 * the risk model).
 */
import type { Database, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange, withinTransaction } from '../governance/ledger/record.ts';
import { describeClassifier, loadClassifier, serializeClassifier, type Classifier } from './classifier.ts';
import type { ClassificationEvaluation } from './evaluate.ts';

/** How many labelled texts of each source a version learned from. */
export interface TrainingTexts {
  reference: number;
  declarations: number;
}

export interface ClassificationModelVersion {
  id: number;
  createdAt: string;
  createdBy: string;
  source: 'reference' | 'database';
  texts: TrainingTexts;
  codes: number;
  metrics: ClassificationEvaluation | null;
  size: number;
  active: boolean;
  activatedBy: string | null;
  activatedAt: string | null;
}

const columns = `id, created_at AS "createdAt", created_by AS "createdBy", source, texts, codes, metrics, size,
  active, activated_by AS "activatedBy", activated_at AS "activatedAt"`;

export async function registerClassifier(
  sql: Sql | Database,
  model: Classifier,
  meta: {
    createdBy: string;
    source: ClassificationModelVersion['source'];
    texts: TrainingTexts;
    metrics?: ClassificationEvaluation | null;
    origins?: OriginHeadings;
  },
): Promise<ClassificationModelVersion> {
  const bytes = serializeClassifier(model);
  const { codes } = describeClassifier(model);
  return withinTransaction(sql, async (tx) => {
    const [row] = await tx.query<ClassificationModelVersion>(
      `INSERT INTO classification_models (created_by, source, texts, codes, metrics, size, model, origins)
       VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6, $7, $8::jsonb) RETURNING ${columns}`,
      [
        meta.createdBy,
        meta.source,
        JSON.stringify(meta.texts),
        codes,
        meta.metrics ? JSON.stringify(meta.metrics) : null,
        bytes.byteLength,
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        JSON.stringify(meta.origins ?? {}),
      ],
    );
    if (!row) throw new Error('the classification model was not registered');
    await recordChange(tx, {
      actor: meta.createdBy,
      action: 'classification_model.registered',
      subjectKind: SubjectKind.ClassificationModel,
      subjectId: String(row.id),
      data: { source: meta.source, texts: meta.texts, codes, metrics: meta.metrics ?? null },
    });
    return row;
  });
}

export async function listClassifiers(sql: Sql): Promise<ClassificationModelVersion[]> {
  return sql.query<ClassificationModelVersion>(
    `SELECT ${columns} FROM classification_models ORDER BY id DESC`,
  );
}

/** Makes a version the active one; returns it, or null if there is no such version. */
export async function activateClassifier(
  db: Database,
  id: number,
  actor: string,
): Promise<ClassificationModelVersion | null> {
  return db.transaction(async (tx) => {
    // activations one at a time: two at once would both clear the active one and collide on it
    await tx.query('LOCK TABLE classification_models IN SHARE ROW EXCLUSIVE MODE');
    const exists = await tx.query('SELECT id FROM classification_models WHERE id = $1 FOR UPDATE', [id]);
    if (exists.length === 0) return null;
    await tx.query('UPDATE classification_models SET active = false WHERE active AND id <> $1', [id]);
    const [row] = await tx.query<ClassificationModelVersion>(
      `UPDATE classification_models SET active = true, activated_by = $2, activated_at = now()
       WHERE id = $1 RETURNING ${columns}`,
      [id, actor],
    );
    if (!row) return null;
    await recordChange(tx, {
      actor,
      action: 'classification_model.activated',
      subjectKind: SubjectKind.ClassificationModel,
      subjectId: String(id),
      data: null,
    });
    return row;
  });
}

/** Per country of origin, the share of its declared goods items in each of its most declared headings. */
export type OriginHeadings = Record<string, Record<string, number>>;

export interface LoadedClassifier {
  id: number;
  model: Classifier;
  origins: OriginHeadings;
}

/**
 * The active model, loaded, or null when none is active. A registered model never changes, so
 * `known`, while it is still the active one, is returned as it is without reading its bytes.
 */
export async function activeClassifier(
  sql: Sql,
  known?: LoadedClassifier | null,
): Promise<LoadedClassifier | null> {
  const [active] = await sql.query<{ id: number }>('SELECT id FROM classification_models WHERE active');
  if (!active) return null;
  if (known && Number(active.id) === known.id) return known;
  return classifierById(sql, Number(active.id));
}

/** A registered version by id, loaded, or null when there is none. */
export async function classifierById(sql: Sql, id: number): Promise<LoadedClassifier | null> {
  const [row] = await sql.query<{ model: Uint8Array; origins: OriginHeadings }>(
    'SELECT model, origins FROM classification_models WHERE id = $1',
    [id],
  );
  return row ? { id, model: loadClassifier(row.model), origins: row.origins } : null;
}
