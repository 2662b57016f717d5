/**
 * The learned risk model: a feature encoder and two boosted-tree models, P(fraud) and
 * P(critical fraud), saved together as one versioned JSON document with its training window.
 */
import { FeatureEncoder, featureNames, type Labelled, type SerializedEncoder } from './features.ts';
import { loadGbdt, trainGbdt, type GbdtModel, type GbdtParams } from './gbdt/index.ts';

export const riskModelFormat = 'clearway-risk-model';
export const riskModelVersion = 1;

export interface TrainingWindow {
  rows: number;
  positives: number;
  critical: number;
  from: string;
  to: string;
}

export interface RiskModel {
  readonly encoder: FeatureEncoder;
  readonly fraud: GbdtModel;
  readonly critical: GbdtModel;
  readonly window: TrainingWindow;
  readonly createdAt: string;
}

export const riskParams: Partial<GbdtParams> = {
  trees: 400,
  learningRate: 0.05,
  maxLeaves: 31,
  maxDepth: 8,
  minChildWeight: 1,
  minSamplesLeaf: 20,
  l2: 1,
  subsample: 0.8,
  colsample: 0.8,
  earlyStoppingRounds: 40,
};

function windowOf(rows: readonly Labelled[]): TrainingWindow {
  const dates = rows.map((r) => r.declaration.date).sort();
  return {
    rows: rows.length,
    positives: rows.reduce((s, r) => s + r.fraud, 0),
    critical: rows.reduce((s, r) => s + r.critical, 0),
    from: dates[0] ?? '',
    to: dates.at(-1) ?? '',
  };
}

/** Trains on labelled declarations; `valid` (later in time) drives early stopping. */
export function trainRiskModel(
  train: readonly Labelled[],
  valid: readonly Labelled[] = [],
  params: Partial<GbdtParams> = riskParams,
): RiskModel {
  if (train.length < 50)
    throw new Error(`training needs at least 50 labelled declarations, got ${train.length}`);
  const { encoder, data } = FeatureEncoder.fit(train);
  const validData = valid.length ? encoder.encodeMany(valid.map((r) => r.declaration)) : undefined;
  const fit = (label: (r: Labelled) => number) =>
    trainGbdt(
      data,
      Float64Array.from(train, label),
      params,
      validData ? { data: validData, labels: Float64Array.from(valid, label) } : undefined,
    );
  return {
    encoder,
    fraud: fit((r) => r.fraud),
    critical: fit((r) => r.critical),
    window: windowOf(train),
    createdAt: new Date().toISOString(),
  };
}

export function serializeRiskModel(model: RiskModel) {
  return {
    format: riskModelFormat,
    version: riskModelVersion,
    createdAt: model.createdAt,
    window: model.window,
    features: featureNames,
    encoder: model.encoder.toJSON(),
    fraud: model.fraud.toJSON(),
    critical: model.critical.toJSON(),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Loads a saved model; refuses, with a clear message, a file that is corrupt or was trained on other features. */
export function loadRiskModel(json: unknown): RiskModel {
  if (!isRecord(json) || json.format !== riskModelFormat)
    throw new Error(`not a Clearway risk model (format must be "${riskModelFormat}")`);
  if (json.version !== riskModelVersion)
    throw new Error(
      `risk model version ${String(json.version)} is not supported (expected ${riskModelVersion})`,
    );
  const features = json.features;
  if (!Array.isArray(features) || features.join('\n') !== featureNames.join('\n')) {
    throw new Error('the model was trained on other features than this version computes: retrain it');
  }
  const encoder = json.encoder;
  if (
    !isRecord(encoder) ||
    typeof encoder.prior !== 'number' ||
    !Array.isArray(encoder.categories) ||
    !Array.isArray(encoder.hs6LogUnitValue)
  ) {
    throw new Error('the model file is corrupt: its feature encoder is missing or malformed');
  }
  const window = json.window;
  if (!isRecord(window) || typeof window.rows !== 'number')
    throw new Error('the model file is corrupt: its training window is missing');
  return {
    encoder: FeatureEncoder.fromJSON(encoder as unknown as SerializedEncoder),
    fraud: loadGbdt(json.fraud, featureNames),
    critical: loadGbdt(json.critical, featureNames),
    window: window as unknown as TrainingWindow,
    createdAt: String(json.createdAt),
  };
}
