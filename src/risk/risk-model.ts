/**
 * The learned risk model: a feature encoder, two boosted-tree models, P(fraud) and P(critical
 * fraud), and an isolation forest over numeric and behavioural features for anomalies, saved
 * together as one versioned JSON document with its training window.
 */
import type { DeclarationInput } from '../declarations/model.ts';
import { fitIsolationForest, loadIsolationForest, type IsolationForest } from './anomaly/isolation-forest.ts';
import { BehaviourEncoder, behaviourNames, type SerializedBehaviour } from './behaviour.ts';
import {
  appendedFeatures,
  FeatureEncoder,
  featureNames,
  type Labelled,
  type SerializedEncoder,
} from './features.ts';
import {
  defaultParams,
  loadGbdt,
  trainGbdt,
  type Dataset,
  type GbdtModel,
  type GbdtParams,
} from './gbdt/index.ts';

export const riskModelFormat = 'clearway-risk-model';
export const riskModelVersion = 2;

/**
 * The model features the isolation forest looks at: amounts and unit values, and behaviour (how
 * often the trader, its pairing with the HS6, the seller or the broker, and the route were seen
 * before; a count of 0 is a first use). `behaviourNames` follow them.
 */
const anomalyModelFeatures: readonly string[] = [
  'logValue',
  'logMass',
  'logUnitValue',
  'unitValueVsHs6',
  'dutyRate',
  'items',
  'trader:count',
  'trader×hs6:count',
  'origin×hs6:count',
  'seller×trader:count',
  'declarant×trader:count',
];
/** Every feature of the isolation forest, in the order of its rows. */
export const anomalyFeatures: readonly string[] = [...anomalyModelFeatures, ...behaviourNames];

/** Positions of the model features among `anomalyFeatures` in a feature row. */
const anomalyColumns: readonly number[] = anomalyModelFeatures.map((name) => {
  const at = featureNames.indexOf(name);
  if (at < 0) throw new Error(`anomaly feature ${name} is not a model feature`);
  return at;
});

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
  /** Isolation forest over `anomalyFeatures`. */
  readonly anomaly: IsolationForest;
  /** The trader-behaviour statistics the isolation forest's last features come from. */
  readonly behaviour: BehaviourEncoder;
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

/**
 * The settings of P(critical fraud): those of P(fraud), learning at a rate of at least 0.1. Its
 * positives are few, and validation chooses about half as many trees at twice the rate for the same
 * ranking on the latest declarations; the fraud model keeps its slower rate, which ranks better.
 */
export function criticalParams(params: Partial<GbdtParams>): Partial<GbdtParams> {
  return { ...params, learningRate: Math.max(params.learningRate ?? defaultParams.learningRate, 0.1) };
}

/** The settings of both tree models. */
interface Settings {
  fraud: Partial<GbdtParams>;
  critical: Partial<GbdtParams>;
}

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

/** Labelled declarations a model needs at least. */
export const minimumTrainingRows = 50;
/** The share of the latest declarations held out to choose the number of trees when no `valid` is given. */
export const holdoutShare = 0.1;

/**
 * Trains on labelled declarations; `valid` (later in time) drives early stopping. Without `valid`,
 * early stopping runs on the latest tenth of `train` in time, and both tree models are then
 * refitted on every row with the number of trees that chose. `params` are those of P(fraud);
 * P(critical) follows `criticalParams` of them.
 */
export function trainRiskModel(
  train: readonly Labelled[],
  valid: readonly Labelled[] = [],
  params: Partial<GbdtParams> = riskParams,
): RiskModel {
  if (train.length < minimumTrainingRows)
    throw new TrainingError(
      `training needs at least ${minimumTrainingRows} labelled declarations, got ${train.length}`,
    );
  const settings = { fraud: params, critical: criticalParams(params) };
  if (valid.length === 0 && params.earlyStoppingRounds !== undefined) return trainHoldingOut(train, settings);
  return fitRiskModel(train, valid, settings);
}

/** A training set that cannot make a model (too few rows, or too few to hold any out). */
export class TrainingError extends Error {}

/**
 * The rows in time order, cut where the latest `share` begins: `earlier` trains, `latest` chooses
 * (or measures). Ties in date keep the rows' order.
 */
export function splitInTime(
  rows: readonly Labelled[],
  share: number,
): { earlier: Labelled[]; latest: Labelled[] } {
  const inTime = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => compareDates(a.r, b.r) || a.i - b.i)
    .map(({ r }) => r);
  const cut = Math.floor(inTime.length * (1 - share));
  return { earlier: inTime.slice(0, cut), latest: inTime.slice(cut) };
}

/** Early stopping on the latest `holdoutShare` of the rows in time, then a refit on all of them. */
function trainHoldingOut(rows: readonly Labelled[], settings: Settings): RiskModel {
  const { earlier, latest } = splitInTime(rows, holdoutShare);
  if (earlier.length < minimumTrainingRows || latest.length === 0)
    throw new TrainingError(
      `training without validation data holds out the latest ${holdoutShare * 100}% and needs at least ` +
        `${minimumTrainingRows} declarations before it, got ${earlier.length} of ${rows.length}: give more, or --valid`,
    );
  // the trial only chooses the numbers of trees: no isolation forest for it
  const trial = fitTrees(earlier, latest, settings);
  const { earlyStoppingRounds: _fraud, ...fraud } = settings.fraud;
  const { earlyStoppingRounds: _critical, ...critical } = settings.critical;
  return fitRiskModel(
    rows,
    [],
    { fraud, critical },
    {
      fraud: Math.max(1, trial.fraud.treeCount),
      critical: Math.max(1, trial.critical.treeCount),
    },
  );
}

/**
 * Fits the encoder and the two tree models, P(fraud) and P(critical); `trees` fixes each model's
 * number of trees, `valid` stops them early.
 */
function fitTrees(
  train: readonly Labelled[],
  valid: readonly Labelled[],
  settings: Settings,
  trees?: { fraud: number; critical: number },
): { encoder: FeatureEncoder; data: Dataset; fraud: GbdtModel; critical: GbdtModel } {
  const { encoder, data } = FeatureEncoder.fit(train);
  const validData = valid.length
    ? encoder.encodeMany(
        valid.map((r) => r.declaration),
        valid.map((r) => r.extras),
      )
    : undefined;
  const fit = (label: (r: Labelled) => number, params: Partial<GbdtParams>, count: number | undefined) =>
    trainGbdt(
      data,
      Float64Array.from(train, label),
      count === undefined ? params : { ...params, trees: count },
      validData ? { data: validData, labels: Float64Array.from(valid, label) } : undefined,
    );
  return {
    encoder,
    data,
    fraud: fit((r) => r.fraud, settings.fraud, trees?.fraud),
    critical: fit((r) => r.critical, settings.critical, trees?.critical),
  };
}

/** Fits the encoder and models, and the isolation forest; `trees` fixes each model's number of trees. */
function fitRiskModel(
  train: readonly Labelled[],
  valid: readonly Labelled[],
  settings: Settings,
  trees?: { fraud: number; critical: number },
): RiskModel {
  const { encoder, data, fraud, critical } = fitTrees(train, valid, settings, trees);
  const order = train.map((_, i) => i).sort((a, b) => compareDates(train[a], train[b]) || a - b);
  const behaviour = BehaviourEncoder.fit(
    train.map((r) => r.declaration),
    order,
  );
  return {
    encoder,
    fraud,
    critical,
    anomaly: fitAnomalies(data, behaviour.columns),
    behaviour: behaviour.encoder,
    window: windowOf(train),
    createdAt: new Date().toISOString(),
  };
}

function compareDates(a: Labelled | undefined, b: Labelled | undefined): number {
  const x = a?.declaration.date ?? '';
  const y = b?.declaration.date ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function fitAnomalies(data: Dataset, behaviour: Float64Array[]): IsolationForest {
  const columns = [...anomalyColumns.map((c) => data.columns[c] as Float64Array), ...behaviour];
  return fitIsolationForest(columns, [...anomalyFeatures], { trees: 100, sampleSize: 256, seed: 1 });
}

/** The isolation forest's row for a declaration whose model features are `row`. */
export function anomalyRow(model: RiskModel, d: DeclarationInput, row: ArrayLike<number>): Float64Array {
  const out = new Float64Array(anomalyFeatures.length);
  anomalyColumns.forEach((c, i) => (out[i] = row[c] ?? NaN));
  const tail = new Float64Array(behaviourNames.length);
  model.behaviour.encodeInto(d, tail);
  out.set(tail, anomalyColumns.length);
  return out;
}

/**
 * The isolation forest's rows of many declarations, column-major, whose model features are `data`
 * (`encoder.encodeMany`): row i is `anomalyRow` of declaration i.
 */
export function anomalyColumnsOf(
  model: RiskModel,
  declarations: readonly DeclarationInput[],
  data: Dataset,
): Float64Array[] {
  const picked = anomalyColumns.map((c) => data.columns[c] ?? new Float64Array(data.rows).fill(NaN));
  const tail = behaviourNames.map(() => new Float64Array(declarations.length));
  const row = new Float64Array(behaviourNames.length);
  declarations.forEach((d, i) => {
    model.behaviour.encodeInto(d, row);
    tail.forEach((column, f) => (column[i] = row[f] ?? NaN));
  });
  return [...picked, ...tail];
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
    anomaly: model.anomaly.toJSON(),
    behaviour: model.behaviour.toJSON(),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Loads a saved model; refuses, with a clear message, a file that is corrupt or was trained on other
 * features. A model whose features are the first of this version's (trained before the others were
 * appended) loads and scores as it did: its trees never reach the features it lacks.
 */
export function loadRiskModel(json: unknown): RiskModel {
  if (!isRecord(json) || json.format !== riskModelFormat)
    throw new Error(`not a Clearway risk model (format must be "${riskModelFormat}")`);
  if (json.version !== riskModelVersion)
    throw new Error(
      `risk model version ${String(json.version)} is not supported (expected ${riskModelVersion}): retrain it`,
    );
  // a model trained before features were appended reads as one over them all, which it never uses
  const features = json.features;
  if (
    !Array.isArray(features) ||
    features.length > featureNames.length ||
    features.length < featureNames.length - appendedFeatures.length ||
    features.some((name, i) => name !== featureNames[i])
  ) {
    throw new Error('the model was trained on other features than this version computes: retrain it');
  }
  const trainedOn = featureNames.slice(0, features.length);
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
    fraud: loadGbdt(json.fraud, trainedOn, { extendTo: featureNames }),
    critical: loadGbdt(json.critical, trainedOn, { extendTo: featureNames }),
    anomaly: loadIsolationForest(json.anomaly, anomalyFeatures),
    behaviour: BehaviourEncoder.fromJSON(json.behaviour as SerializedBehaviour),
    window: window as unknown as TrainingWindow,
    createdAt: String(json.createdAt),
  };
}
