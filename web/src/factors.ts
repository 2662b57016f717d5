/**
 * The learned model's factors in an officer's words: each feature by a readable name, and a
 * sentence with the declaration's value and the reference it stood against ("Unit value 0.49
 * USD/kg beside the published price reference: a median of 2.09 USD/kg for HS 7013.49 from China").
 */
import { country, countryName, hsCode, money, monthName, percent, quantity, weekdayName } from './format.ts';

export type FactorReference =
  | {
      kind: 'price_median';
      median: number;
      hs6: string;
      origin: string | null;
      currency: string;
      observations: number;
    }
  /** The median unit value of the HS6 in the training data, its declarations' currencies unconverted. */
  | { kind: 'training_median'; median: number; hs6: string; currency: null }
  | { kind: 'history'; declarations: number; irregular: number; overallRate: number };

/** A factor as the assessment API gives it; the context is there in the latest assessment. */
export interface Factor {
  feature: string;
  contribution: number;
  value?: number | null;
  unit?: string | null;
  subject?: string[] | null;
  reference?: FactorReference | null;
}

const numeric: Record<string, string> = {
  logValue: 'Declared value',
  logMass: 'Net mass',
  logUnitValue: 'Unit value',
  unitValueVsHs6: "Unit value against the HS subheading's median",
  dutyRate: 'Duty rate',
  logDuty: 'Duty payable',
  items: 'Number of items',
  month: 'Month of the declaration',
  weekday: 'Day of the week',
  mirrorValueRatio: "Declared value against the partner's export record",
  mirrorQuantityRatio: "Declared quantity against the partner's export record",
  mirrorMassRatio: "Declared net mass against the partner's export record",
  mirrorHsMismatch: "HS subheading against the partner's export record",
  mirrorOriginMismatch: "Origin against the partner's export record",
  descriptionAgreement: 'Goods description against the declared heading',
  documentDiscrepancies: 'Attached documents against the declaration',
};

/** Per categorical feature: what its value is, as the subject of "…'s history". */
const categories: Record<string, string> = {
  trader: 'Trader',
  declarant: 'Declarant',
  seller: 'Seller',
  courier: 'Courier',
  hs6: 'HS subheading',
  hs4: 'HS heading',
  hs2: 'HS chapter',
  office: 'Office',
  processingMode: 'Processing mode',
  procedure: 'Procedure',
  additionalProcedure: 'Additional procedure',
  paymentMethod: 'Payment method',
  transportMode: 'Transport mode',
  dutyTaxType: 'Duty type',
  originIndicator: 'Origin indicator',
  dispatchCountry: 'Dispatch country',
  originCountry: 'Origin',
};

/** Pairs: the history of the first with the second. */
const pairs: Record<string, string> = {
  'trader×hs6': "Trader's history with this HS subheading",
  'origin×hs6': "This origin's history for the HS subheading",
  'declarant×trader': "Declarant's history for this trader",
  'seller×trader': "Seller's history with this trader",
};
const pairCounts: Record<string, string> = {
  'trader×hs6': "Trader's declarations of this HS subheading",
  'origin×hs6': 'Earlier declarations of the HS subheading from this origin',
  'declarant×trader': "Declarant's declarations for this trader",
  'seller×trader': "Seller's declarations with this trader",
};

/** A feature's readable name: "Unit value", "HS subheading's history", "Trader's number of declarations". */
export function factorName(feature: string): string {
  const known = numeric[feature];
  if (known) return known;
  const m = /^(.+):(rate|count|code)$/.exec(feature);
  if (!m) return feature;
  const [, category = '', stat] = m;
  const pair = stat === 'rate' ? pairs[category] : pairCounts[category];
  if (pair) return pair;
  const name = categories[category];
  if (!name) return feature;
  // a count is of the model's training data, as its reference says, not of this trader's past
  if (stat === 'count') return `${name}'s number of declarations`;
  // a code ranks the field's values by their rate of irregularities in training
  return stat === 'code' ? `${name}'s rank by irregularities` : `${name}'s history`;
}

/** The readable name, with what a first use means for the counts of an unseen value. */
function nameFor(f: Factor): string {
  if (f.reference?.kind === 'history' && f.reference.declarations === 0 && f.feature.endsWith(':count')) {
    if (f.feature === 'trader×hs6:count') return "Trader's first use of this HS subheading";
    if (f.feature === 'seller×trader:count') return "Trader's first declaration with this seller";
    if (f.feature === 'declarant×trader:count') return "Declarant's first declaration for this trader";
  }
  return factorName(f.feature);
}

/** A value of a categorical feature as an officer reads it: HS codes with points, countries named. */
function subjectText(feature: string, subject: string[]): string {
  const category = feature.replace(/:(rate|count|code)$/, '');
  const parts = category.split('×');
  return subject
    .map((value, i) => {
      const field = parts[i] ?? '';
      if (field.startsWith('hs')) return `HS ${hsCode(value)}`;
      if (field === 'originCountry' || field === 'dispatchCountry' || field === 'origin')
        return country(value);
      return value;
    })
    .join(' · ');
}

function valueText(f: Factor): string {
  const { value, unit } = f;
  if (f.feature === 'mirrorValueRatio')
    return value === null || value === undefined
      ? "no partner's export record to compare with"
      : `${percent(value)} of the export's value with freight and insurance`;
  if (f.feature === 'mirrorQuantityRatio' || f.feature === 'mirrorMassRatio')
    return value === null || value === undefined
      ? "no partner's export record with a figure to compare with"
      : `${percent(value)} of the export's ${f.feature === 'mirrorMassRatio' ? 'net mass' : 'quantity'}, on the item that differs most`;
  if (f.feature === 'mirrorHsMismatch' || f.feature === 'mirrorOriginMismatch')
    return value === null || value === undefined
      ? "no partner's export record to compare with"
      : value > 0
        ? 'differs on an item'
        : 'the same on every item';
  if (f.feature === 'documentDiscrepancies')
    return value === null || value === undefined || value === 0
      ? 'no discrepancy found in the attached documents'
      : `${quantity(value)} ${value === 1 ? 'discrepancy' : 'discrepancies'} found in the attached documents`;
  if (f.feature === 'descriptionAgreement')
    return value === null || value === undefined
      ? 'no description to compare with'
      : `the classification aid gives the declared heading ${percent(value)}, on the item that agrees least`;
  if (value === null || value === undefined) return 'not declared';
  if (f.feature === 'month') return monthName(value);
  if (f.feature === 'weekday') return weekdayName(value);
  if (unit === '%') return `${quantity(value)}%`;
  if (unit && /^[A-Z]{3}$/.test(unit)) return money(value, unit);
  if (unit && unit.endsWith('/kg')) return `${quantity(Number(value.toPrecision(3)))} ${unit}`;
  return quantity(value, unit);
}

const unitValue = (n: number) => quantity(Number(n.toPrecision(3)));

function referenceText(r: FactorReference): string {
  switch (r.kind) {
    case 'price_median': {
      const from = r.origin ? `from ${countryName(r.origin) ?? r.origin}` : 'from every origin';
      return `beside the published price reference: a median of ${unitValue(r.median)} ${r.currency}/kg for HS ${hsCode(r.hs6)} ${from} (${quantity(r.observations)} declarations)`;
    }
    case 'training_median':
      return `compared with the median of ${unitValue(r.median)} per kg for HS ${hsCode(r.hs6)} in the model's training data (in the currencies declared, not converted)`;
    case 'history':
      return r.declarations === 0
        ? `not in the model's training data (${percent(r.overallRate)} found irregular over all its declarations)`
        : `in the model's training data: ${quantity(r.declarations)} declarations, ${quantity(r.irregular)} found irregular (${percent(r.irregular / r.declarations)}) against ${percent(r.overallRate)} over all its declarations`;
  }
}

/**
 * A factor in a sentence: "Unit value against the HS subheading's median 0.49 USD/kg compared with the
 * median of 2.09 per kg for HS 7013.49 in the model's training data (...)", "Trader's history:
 * TR-001, in the model's training data: 12 declarations, 3 found irregular (25%) against 8% over all
 * its declarations". Without context (earlier assessments), its name.
 */
export function factorSentence(f: Factor): string {
  const name = nameFor(f);
  if (f.subject && f.reference)
    return `${name}: ${subjectText(f.feature, f.subject)}, ${referenceText(f.reference)}`;
  if (!('value' in f)) return name;
  return f.reference ? `${name} ${valueText(f)} ${referenceText(f.reference)}` : `${name}: ${valueText(f)}`;
}

/** Whether a factor raised or lowered the risk, in words. */
export const direction = (f: Factor) => (f.contribution > 0 ? 'raises the risk' : 'lowers the risk');
