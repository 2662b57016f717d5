/**
 * What a rule profile may test: declaration header fields, goods item fields (a profile hits when
 * one item meets all its item conditions) and computed indicators. Each has a kind that decides
 * which operators apply.
 */
import type { DeclarationInput, GoodsItem } from '../../declarations/model.ts';
import type { PriceBand } from '../price-reference.ts';

export type FieldKind = 'text' | 'number' | 'boolean';

/** Indicators computed before rules run: price reference, trader history, description quality. */
export interface Indicators {
  /** Declared unit value of each item divided by the reference median for its HS6 and origin; NaN when unknown. */
  unitValueRatio: readonly number[];
  /** The band the price reference publishes for each item's HS6 and origin (analysts' bounds first); undefined when there is none. */
  unitValueBand: readonly (PriceBand | undefined)[];
  /** Whether the trader declares each item's HS6 for the first time. */
  firstUseOfHs: readonly boolean[];
  /** Whether the trader declares each item's origin for the first time. */
  firstUseOfOrigin: readonly boolean[];
  /** Declarations the trader lodged before this one. */
  traderDeclarations: number;
  /** Share of the trader's controls that found an irregularity; NaN without controls. */
  traderHitRate: number;
  /** Findings partner agencies sent on this declaration (sharing/findings.ts); absent counts as none. */
  agencyFindings?: number;
  /** Findings partner agencies sent on the trader's earlier declarations in the last 365 days. */
  traderAgencyFindings?: number;
  /** A partner administration's export records matched to this import (risk/mirror.ts); absent when none. */
  mirror?: MirrorIndicators;
  /**
   * Per item: what its goods description says of its declared code (the classification aid); absent
   * without the aid, and an item's entry undefined without a description or an answer.
   */
  described?: readonly (DescribedItem | undefined)[];
  /** What the reviews of the declaration's read documents found (documents/reader.ts); absent counts as none. */
  documents?: DocumentIndicators;
}

/** An item's description against its declared code. */
export interface DescribedItem {
  /** The confidence the aid gives the declared heading, 0 to 1. */
  agreement: number;
  /** The subheading the description points to instead, sure enough (declarations/description-codes.ts); else undefined. */
  elsewhere: string | undefined;
}

/** The discrepancies the reviews of a declaration's documents found against it. */
export interface DocumentIndicators {
  /** How many, over its read documents. */
  discrepancies: number;
  /** Their codes (documents/review.ts DiscrepancyCode), each once. */
  codes: readonly string[];
}

const documentFound = (x: Indicators, ...codes: string[]) =>
  codes.some((c) => x.documents?.codes.includes(c) ?? false);

/** What mirror analysis found for an import matched to partners' export records (ADR 0024). */
export interface MirrorIndicators {
  /** The lowest value ratio over the matches comparable in value (import / export·(1+margin)); NaN when none is. */
  valueRatio: number;
  /** Per item (by position): whether a matched export item has another HS6. */
  hsMismatch: readonly boolean[];
  /** Per item (by position): whether a matched export item has another origin. */
  originMismatch: readonly boolean[];
  /**
   * Per item (by position): the quantity of the item's HS6 pool on the import ÷ on the exports, as the
   * quantity gap has it; NaN when the item has no quantity gap (no paired pool, or a side lacks it).
   */
  quantityRatio: readonly number[];
  /** Per item (by position): the net mass of its HS6 pool on the import ÷ on the exports; NaN likewise. */
  massRatio: readonly number[];
  /** The gaps beyond their thresholds, with the partner that sent the export. */
  findings: readonly MirrorFinding[];
}

export interface MirrorFinding {
  partner: string;
  messageId: string;
  gap: 'value' | 'quantity' | 'mass' | 'hs' | 'origin';
  item: number | null;
  importFigure: number | string | null;
  exportFigure: number | string | null;
  ratio: number | null;
  threshold: number | null;
  text: string;
}

interface FieldSpec {
  kind: FieldKind;
  scope: 'header' | 'item';
  get(
    d: DeclarationInput,
    item: GoodsItem,
    index: number,
    x: Indicators,
  ): string | number | boolean | undefined;
}

const header = (
  kind: FieldKind,
  get: (d: DeclarationInput, x: Indicators) => string | number | boolean | undefined,
): FieldSpec => ({
  kind,
  scope: 'header',
  get: (d, _item, _i, x) => get(d, x),
});
const item = (
  kind: FieldKind,
  get: (
    it: GoodsItem,
    i: number,
    x: Indicators,
    d: DeclarationInput,
  ) => string | number | boolean | undefined,
): FieldSpec => ({
  kind,
  scope: 'item',
  get: (d, it, i, x) => get(it, i, x, d),
});

/** A figure that is not a finite number is none (a condition on it does not hold). */
const finiteOrNone = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n : undefined);

export const fields: Record<string, FieldSpec> = {
  type: header('text', (d) => d.type),
  trader: header('text', (d) => d.trader),
  declarant: header('text', (d) => d.declarant),
  seller: header('text', (d) => d.seller),
  office: header('text', (d) => d.office),
  transportMode: header('text', (d) => d.transportMode),
  dispatchCountry: header('text', (d) => d.dispatchCountry),
  originCountry: header('text', (d) => d.originCountry),
  currency: header('text', (d) => d.currency),
  procedure: header('text', (d) => d.procedure),
  invoiceTotal: header('number', (d) => d.invoiceTotal),
  itemCount: header('number', (d) => d.items.length),
  'item.hsCode': item('text', (it) => it.hsCode),
  'item.originCountry': item('text', (it, _i, _x, d) => it.originCountry ?? d.originCountry),
  'item.description': item('text', (it) => it.description),
  'item.value': item('number', (it) => it.value),
  'item.netMass': item('number', (it) => it.netMass),
  'item.dutyRate': item('number', (it) => it.dutyRate),
  /** Value per kilogram of net mass, in the declaration's currency; none without a net mass. */
  'item.unitValue': item('number', (it) => (it.netMass ? it.value / it.netMass : undefined)),
  'indicator.unitValueRatio': item('number', (_it, i, x) => x.unitValueRatio[i]),
  'indicator.firstUseOfHs': item('boolean', (_it, i, x) => x.firstUseOfHs[i]),
  'indicator.firstUseOfOrigin': item('boolean', (_it, i, x) => x.firstUseOfOrigin[i]),
  'indicator.traderDeclarations': header('number', (_d, x) => x.traderDeclarations),
  'indicator.traderHitRate': header('number', (_d, x) => x.traderHitRate),
  'indicator.agencyFindings': header('number', (_d, x) => x.agencyFindings ?? 0),
  'indicator.traderAgencyFindings': header('number', (_d, x) => x.traderAgencyFindings ?? 0),
  'indicator.descriptionAgreement': item('number', (_it, i, x) => finiteOrNone(x.described?.[i]?.agreement)),
  'indicator.descriptionSuggestsOtherCode': item(
    'boolean',
    (_it, i, x) => x.described?.[i]?.elsewhere !== undefined,
  ),
  'indicator.documentDiscrepancies': header('number', (_d, x) => x.documents?.discrepancies ?? 0),
  'indicator.invoiceTotalMismatch': header('boolean', (_d, x) => documentFound(x, 'invoice_total')),
  'indicator.invoiceCurrencyMismatch': header('boolean', (_d, x) => documentFound(x, 'currency')),
  'indicator.invoiceSellerMismatch': header('boolean', (_d, x) => documentFound(x, 'seller')),
  'indicator.invoiceQuantityMismatch': header('boolean', (_d, x) =>
    documentFound(x, 'quantity', 'line_count'),
  ),
  'indicator.invoiceDescriptionMismatch': header('boolean', (_d, x) => documentFound(x, 'description_hs')),
  'indicator.mirrorMatched': header('boolean', (_d, x) => x.mirror !== undefined),
  'indicator.mirrorValueRatio': header('number', (_d, x) => finiteOrNone(x.mirror?.valueRatio)),
  'indicator.mirrorHsMismatch': item('boolean', (_it, i, x) => x.mirror?.hsMismatch[i] ?? false),
  'indicator.mirrorOriginMismatch': item('boolean', (_it, i, x) => x.mirror?.originMismatch[i] ?? false),
  'indicator.mirrorQuantityRatio': item('number', (_it, i, x) => finiteOrNone(x.mirror?.quantityRatio[i])),
  'indicator.mirrorMassRatio': item('number', (_it, i, x) => finiteOrNone(x.mirror?.massRatio[i])),
};

export const fieldNames = Object.keys(fields);
