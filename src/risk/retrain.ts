/**
 * Training the next model on the control results recorded in the database (the feedback loop):
 * declarations in time order, the latest tenth held out to stop training and to measure the model,
 * which is registered inactive until a risk analyst activates it. With the classification aid, the
 * rows carry how far their descriptions agree with their declared headings.
 */
import type { Database } from '../db/database.ts';
import type { DescriptionCodes } from '../declarations/description-codes.ts';
import { modelMetrics, type ModelMetrics } from './evaluate.ts';
import { registerModel, type RegisteredModel } from './registry.ts';
import { trainRiskModel, type RiskModel } from './risk-model.ts';
import { controlledDeclarations } from './training-data.ts';

/** Fewer controlled declarations than this make no model. */
export const minimumControls = 100;

export type Retrained =
  | { ok: true; model: RiskModel; registered: RegisteredModel; metrics: ModelMetrics; holdout: number }
  | { ok: false; controls: number };

export async function trainOnControls(
  db: Database,
  createdBy: string,
  codes?: DescriptionCodes,
): Promise<Retrained> {
  const rows = (await controlledDeclarations(db, codes)).sort((a, b) =>
    a.declaration.date < b.declaration.date ? -1 : a.declaration.date > b.declaration.date ? 1 : 0,
  );
  if (rows.length < minimumControls) return { ok: false, controls: rows.length };
  const cut = Math.floor(rows.length * 0.9);
  const model = trainRiskModel(rows.slice(0, cut), rows.slice(cut));
  const holdout = rows.slice(cut);
  // ranking and Brier score of P(fraud) on the held-out latest tenth, kept with the version
  const metrics = modelMetrics(
    model.fraud.predictMany(
      model.encoder.encodeMany(
        holdout.map((r) => r.declaration),
        holdout.map((r) => r.extras),
      ),
    ),
    Float64Array.from(holdout, (r) => r.fraud),
  );
  const registered = await registerModel(db, model, { createdBy, source: 'database', metrics });
  return { ok: true, model, registered, metrics, holdout: holdout.length };
}
