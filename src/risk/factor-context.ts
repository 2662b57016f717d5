/**
 * What a model factor looked at, in the terms an officer checks: the declaration's own value of the
 * feature and the reference it stands against. The unit value against the HS6's median stands
 * against the median the model compared it with: the median unit value of the HS6's main items in
 * its training data (features.ts), in the currencies those declarations were made in, unconverted.
 * The plain unit value, which the model compared with nothing, stands beside the published price
 * reference for the main item's HS6 and origin in the declaration's currency (the HS6 over every
 * origin when the origin has none). A categorical feature's value stands against what the model
 * learned of it (training declarations with the value and irregularities found, beside the overall
 * rate). The mirror figures, from outside the declaration (the value, quantity and mass ratios, and
 * 1 or 0 for an HS or origin mismatch), are those its extras give (the import's matches as they stand
 * now); none without a match.
 */
import type { DeclarationInput } from '../declarations/model.ts';
import { declarationTotals as totals, mainItem, weekday, type RowExtras } from './features.ts';
import { originOf } from './indicators.ts';
import type { PriceReference } from './price-reference.ts';
import type { RiskModel } from './risk-model.ts';

export type FactorReference =
  | {
      kind: 'price_median';
      median: number;
      hs6: string;
      /** The origin whose statistics answered; null for those over every origin. */
      origin: string | null;
      currency: string;
      observations: number;
    }
  | {
      kind: 'training_median';
      /** The median unit value (per kg) of the HS6's main items in the model's training data. */
      median: number;
      hs6: string;
      /**
       * Always null: the training data's unit values are each in its declaration's own currency,
       * not converted, so the median has no single currency.
       */
      currency: null;
    }
  | { kind: 'history'; declarations: number; irregular: number; overallRate: number };

export interface FactorContext {
  /** The declaration's value of what the feature measures (its unit in `unit`); null when it has none. */
  value: number | null;
  unit: string | null;
  /** For a categorical feature: the value(s) the history is of (a trader, an HS6, an origin and an HS6). */
  subject: string[] | null;
  reference: FactorReference | null;
}

const none: FactorContext = { value: null, unit: null, subject: null, reference: null };

const finite = (n: number) => (Number.isFinite(n) ? n : null);

/** The published price reference for the main item's HS6 and origin, in the declaration's currency. */
function priceReference(d: DeclarationInput, prices: PriceReference): FactorReference | null {
  const main = mainItem(d);
  const hs6 = main.hsCode.slice(0, 6);
  const origin = originOf(d, d.items.indexOf(main)) || undefined;
  const found = prices.lookup(hs6, origin, d.currency);
  if (!found) return null;
  return {
    kind: 'price_median',
    median: found.p50,
    hs6,
    origin: found.level === 'origin' ? found.origin : null,
    currency: d.currency,
    observations: found.n,
  };
}

/** The training median the model compared the unit value with (features.ts `numeric`). */
function trainingReference(d: DeclarationInput, model: RiskModel): FactorReference | null {
  const hs6 = mainItem(d).hsCode.slice(0, 6);
  const median = model.encoder.medianUnitValue(hs6);
  return median === undefined ? null : { kind: 'training_median', median, hs6, currency: null };
}

/** The context of one feature (a name of `featureNames`) for a declaration, with its row's extras. */
export function factorContext(
  feature: string,
  d: DeclarationInput,
  model: RiskModel,
  prices: PriceReference,
  extras: RowExtras = {},
): FactorContext {
  const t = totals(d);
  switch (feature) {
    case 'logValue':
      return { ...none, value: t.value, unit: d.currency };
    case 'logMass':
      return { ...none, value: t.mass, unit: 'kg' };
    case 'logUnitValue':
      return {
        ...none,
        value: finite(t.unitValue),
        unit: `${d.currency}/kg`,
        reference: priceReference(d, prices),
      };
    case 'unitValueVsHs6':
      return {
        ...none,
        value: finite(t.unitValue),
        unit: `${d.currency}/kg`,
        reference: trainingReference(d, model),
      };
    case 'dutyRate':
      return { ...none, value: mainItem(d).dutyRate ?? null, unit: '%' };
    case 'logDuty':
      return { ...none, value: t.duty, unit: d.currency };
    case 'items':
      return { ...none, value: d.items.length };
    case 'month':
      return { ...none, value: Number(d.date.slice(5, 7)) };
    case 'weekday':
      return { ...none, value: weekday(d.date) };
    case 'mirrorValueRatio':
    case 'mirrorQuantityRatio':
    case 'mirrorMassRatio':
    case 'mirrorHsMismatch':
    case 'mirrorOriginMismatch':
    case 'descriptionAgreement':
    case 'documentDiscrepancies':
      return { ...none, value: finite(extras[feature] ?? NaN) };
  }
  const category = /^(.+):(rate|count|code)$/.exec(feature)?.[1];
  if (category === undefined) return none;
  const history = model.encoder.history(d, category);
  if (!history) return none;
  const { subject, ...learned } = history;
  return { ...none, subject, reference: { kind: 'history', ...learned } };
}
