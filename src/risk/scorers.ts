/**
 * The scorers selectivity combines, each turning a declaration and its indicators into a risk in
 * [0, 1] with reasons and the version that produced it: the active rule profiles, the learned
 * model, and unit values far from the price reference.
 */
import type { DeclarationInput } from '../declarations/model.ts';
import { featureNames } from './features.ts';
import { sigmoid } from './gbdt/index.ts';
import { evaluateProfile, type CompiledProfile } from './profiles/evaluate.ts';
import type { Indicators } from './profiles/fields.ts';
import type { Lane } from './profiles/profile.ts';
import { anomalyRow, type RiskModel } from './risk-model.ts';
import { originOf } from './indicators.ts';
import {
  explainContributions,
  stricter,
  type PricePoint,
  type Reason,
  type ScorerOutput,
} from './selectivity.ts';

/** Rule profiles: the score is the heaviest hit's weight; the lane the strictest hit's. */
export function scoreProfiles(
  profiles: readonly (CompiledProfile & { version: number })[],
  d: DeclarationInput,
  x: Indicators,
  date: string,
): ScorerOutput {
  let score = 0;
  let lane: Lane | undefined;
  const reasons: Reason[] = [];
  for (const p of profiles) {
    const hit = evaluateProfile(p, d, x, date);
    if (!hit) continue;
    score = Math.max(score, hit.weight / 100);
    lane = lane ? stricter(lane, hit.lane) : hit.lane;
    reasons.push({ kind: 'rule', code: hit.code, lane: hit.lane, weight: hit.weight, text: hit.reason });
  }
  const version = profiles.map((p) => `${p.definition.code}@${p.version}`).join(',');
  return { scorer: 'profiles', version, score, ...(lane ? { lane } : {}), reasons };
}

/**
 * The learned model: P(fraud), explained by its largest feature contributions and how they add up
 * with its base value and the other contributions (in log-odds); `row` is the encoded declaration.
 */
export function scoreModel(model: RiskModel, modelId: number, row: Float64Array): ScorerOutput {
  // base + contributions is the raw score, so one walk of the trees gives both
  const { base, values } = model.fraud.contributions(row);
  return modelOutput(modelId, base, values);
}

/** The learned model's output from a declaration's contributions (`GbdtModel.contributions`). */
export function modelOutput(modelId: number, base: number, contributions: ArrayLike<number>): ScorerOutput {
  let raw = base;
  for (let f = 0; f < contributions.length; f++) raw += contributions[f] ?? 0;
  return {
    scorer: 'model',
    version: String(modelId),
    score: sigmoid(raw),
    reasons: explainContributions(featureNames, base, contributions),
  };
}

/** Isolation scores up to this are ordinary (about 0.5 is typical of a random sample). */
const ordinaryIsolation = 0.6;

/**
 * The isolation forest: declarations unlike the training population (amounts, unit values, a
 * trader's first use of an HS code or a route) score above `ordinaryIsolation`; the risk rises from
 * 0 there to at most 0.5, explained by the features that isolated the declaration.
 */
export function scoreAnomalies(
  model: RiskModel,
  modelId: number,
  d: DeclarationInput,
  row: Float64Array,
): ScorerOutput {
  const picked = anomalyRow(model, d, row);
  return anomalyOutput(model, modelId, model.anomaly.score(picked), () => picked);
}

/**
 * The isolation forest's output from a declaration's isolation score; `picked` gives its row of the
 * forest's features, which explain an unusual declaration.
 */
export function anomalyOutput(
  model: RiskModel,
  modelId: number,
  isolation: number,
  picked: () => ArrayLike<number>,
): ScorerOutput {
  const version = `isolation-forest@${modelId}`;
  if (!(isolation > ordinaryIsolation)) return { scorer: 'anomaly', version, score: 0, reasons: [] };
  const score = Math.min(0.5, (isolation - ordinaryIsolation) * 2.5);
  const drivers = model.anomaly
    .explain(picked())
    .slice(0, 3)
    .map((f) => `${f.name} ${Math.round(f.share * 100)}%`);
  const text = `unlike the declarations the model learned from (isolation score ${isolation.toFixed(2)}), mostly by ${drivers.join(', ')}`;
  return {
    scorer: 'anomaly',
    version,
    score,
    reasons: [{ kind: 'anomaly', detector: 'isolation-forest', text, score }],
  };
}

/** The score of a unit value just outside its band; it rises by half for each tenfold beyond. */
const edgeScore = 0.25;

/**
 * Unit values outside the band the price reference publishes for their HS6 and origin (the
 * analyst's bounds where set): the further beyond it, the higher the score (at most 0.6).
 */
export function scoreUnitValues(d: DeclarationInput, x: Indicators): ScorerOutput {
  let score = 0;
  const reasons: Reason[] = [];
  x.unitValueBand.forEach((band, i) => {
    const item = d.items[i];
    if (!band || !item || !item.netMass || item.netMass <= 0) return;
    const unitValue = item.value / item.netMass;
    if (!(unitValue > 0) || (unitValue >= band.low && unitValue <= band.high)) return;
    const below = unitValue < band.low;
    const s = Math.min(0.6, edgeScore + Math.abs(Math.log10(unitValue / (below ? band.low : band.high))) / 2);
    score = Math.max(score, s);
    const hs6 = item.hsCode.slice(0, 6);
    const origin = originOf(d, i);
    const bySide = below ? band.setByAnalyst.low : band.setByAnalyst.high;
    const source = bySide
      ? "a risk analyst's bound"
      : band.level === 'origin'
        ? `the reference for origin ${origin}`
        : 'the reference over every origin';
    const text =
      `item ${item.sequence} (HS ${hs6}): unit value ${amount(unitValue)} ${d.currency}/kg is ${below ? 'below' : 'above'} ` +
      `the band ${amount(band.low)} to ${amount(band.high)} (${source})`;
    const price: PricePoint = {
      item: item.sequence,
      hs6,
      ...(origin ? { origin } : {}),
      currency: d.currency,
      unitValue,
      ratio: x.unitValueRatio[i] ?? NaN,
      low: band.low,
      high: band.high,
    };
    reasons.push({ kind: 'anomaly', detector: 'price-reference', text, score: s, price });
  });
  return { scorer: 'anomaly', version: 'price-reference', score, reasons };
}

const amount = (n: number) => (n >= 100 ? n.toFixed(0) : n.toPrecision(3));
