/**
 * Training the classification aid: the nomenclature and tariff texts, and the goods descriptions
 * the administration has stored with their declared codes. A description counts more when a
 * control found the declaration compliant, and not at all when a control found it misclassified;
 * the same description and code add up by the traders who declared it (one trader counts once,
 * however often it declares it, so no trader can teach the aid alone), to a ceiling. The latest tenth of the
 * descriptions (by their last declaration day) is held out to measure the version, which is
 * registered inactive until a risk analyst activates it.
 */
import type { Database } from '../db/database.ts';
import { trainClassifier, type Classifier } from './classifier.ts';
import type { LabelledText } from './corpus.ts';
import { evaluateClassifier, type ClassificationEvaluation } from './evaluate.ts';
import { registerClassifier, type ClassificationModelVersion, type OriginHeadings } from './registry.ts';

/** What one description declared with one code weighs per trader: compliant controls count more; traders add up to `ceiling`. */
export const declaredWeights = { declared: 1, compliant: 3, ceiling: 10 } as const;
/** Fewer held-out descriptions than this give no metrics. */
export const minimumHoldout = 50;
/** At most this many distinct descriptions, the most recently declared first. */
export const maximumDescriptions = 300_000;

export interface DeclaredText extends LabelledText {
  /** The last day it was declared with this code. */
  latest: string;
}

/** The distinct descriptions declared with each HS6, weighted, the most recent first. */
export async function declaredTexts(db: Database, limit = maximumDescriptions): Promise<DeclaredText[]> {
  const rows = await db.query<{ text: string; hs6: string; weight: number; latest: string }>(
    `SELECT lower(btrim(i.description)) AS text, left(i.hs_code, 6) AS hs6,
            least(count(DISTINCT d.trader_id) * $2::float8
                    + count(DISTINCT d.trader_id) FILTER (WHERE c.outcome = 'compliant') * ($1::float8 - $2::float8),
                  $3::float8) AS weight,
            max(d.date)::text AS latest
     FROM declaration_items i
     JOIN declarations d ON d.id = i.declaration_id
     LEFT JOIN LATERAL (SELECT r.outcome, r.irregularity FROM control_results r
                        WHERE r.declaration_id = d.id AND r.superseded_at IS NULL
                        ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1) c ON true
     WHERE i.description IS NOT NULL AND length(btrim(i.description)) >= 3 AND d.status <> 'cancelled'
       AND length(i.hs_code) >= 6
       AND c.irregularity IS DISTINCT FROM 'misclassification'
     GROUP BY 1, 2
     ORDER BY latest DESC, 1, 2
     LIMIT $4`,
    [declaredWeights.compliant, declaredWeights.declared, declaredWeights.ceiling, limit],
  );
  return rows.map((r) => ({ text: r.text, hs6: r.hs6, weight: Number(r.weight), latest: r.latest }));
}

/** Headings kept per origin, and the goods items an origin needs before its shares are kept. */
export const originLimits = { headings: 300, items: 20 } as const;

/** Per country of origin with enough goods items, the share of them in each of its most declared headings. */
export async function originHeadings(db: Database): Promise<OriginHeadings> {
  const rows = await db.query<{ origin: string; hs4: string; n: number; total: number }>(
    `WITH counted AS (
       SELECT coalesce(i.origin_country, d.origin_country) AS origin, left(i.hs_code, 4) AS hs4, count(*)::float8 AS n
       FROM declaration_items i JOIN declarations d ON d.id = i.declaration_id
       WHERE d.status <> 'cancelled' AND coalesce(i.origin_country, d.origin_country) IS NOT NULL
       GROUP BY 1, 2
     ), ranked AS (
       SELECT origin, hs4, n, sum(n) OVER (PARTITION BY origin) AS total,
              row_number() OVER (PARTITION BY origin ORDER BY n DESC, hs4) AS k
       FROM counted
     )
     SELECT origin, hs4, n, total FROM ranked WHERE k <= $1 AND total >= $2 ORDER BY origin, k`,
    [originLimits.headings, originLimits.items],
  );
  const shares: OriginHeadings = {};
  for (const r of rows) (shares[r.origin] ??= {})[r.hs4] = Number(r.n) / Number(r.total);
  return shares;
}

export interface TrainedClassifier {
  model: Classifier;
  registered: ClassificationModelVersion;
  metrics: ClassificationEvaluation | null;
  holdout: number;
}

/**
 * A new version from the reference texts and the stored descriptions, registered inactive. With
 * enough descriptions, the latest tenth is measured on a version trained without it, and the
 * version registered learns from all of them.
 */
export async function trainFromDatabase(
  db: Database,
  reference: readonly LabelledText[],
  createdBy: string,
): Promise<TrainedClassifier> {
  const declared = await declaredTexts(db);
  const holdoutSize = Math.floor(declared.length / 10);
  let metrics: ClassificationEvaluation | null = null;
  if (holdoutSize >= minimumHoldout) {
    // `declared` is newest first: the held-out tenth is its head
    const held = declared.slice(0, holdoutSize);
    const measured = trainClassifier([...reference, ...declared.slice(holdoutSize)]);
    metrics = evaluateClassifier(
      measured,
      held.map((t) => ({ text: t.text, expected: t.hs6 })),
    );
  }
  const model = trainClassifier([...reference, ...declared]);
  const registered = await registerClassifier(db, model, {
    createdBy,
    source: declared.length > 0 ? 'database' : 'reference',
    texts: { reference: reference.length, declarations: declared.length },
    metrics,
    origins: await originHeadings(db),
  });
  return { model, registered, metrics, holdout: metrics ? holdoutSize : 0 };
}
