/**
 * Injected irregularities: the frauds the demo data carries as labels, so that risk profiles and
 * models have something to find. Each one changes an honest declaration the way a trader would.
 */
import type { GoodsItem } from '../declarations/model.ts';
import type { Product } from './catalogue.ts';
import { falseOriginTargets, preferentialOrigins } from './countries.ts';
import type { Random } from './random.ts';

export const Irregularity = {
  Undervaluation: 'undervaluation',
  Misclassification: 'misclassification',
  FalseOrigin: 'false_origin',
} as const;
export type Irregularity = (typeof Irregularity)[keyof typeof Irregularity];

/** Every irregularity kind. */
export const irregularities: readonly Irregularity[] = Object.values(Irregularity);

/** The honest items of a declaration, with the catalogue product behind each one. */
export interface DraftItems {
  items: GoodsItem[];
  products: Product[];
  dispatchCountry: string;
  hsDigits: number;
}

/** The product's HS code as a trader writing `digits` digits (6, 8 or 10) declares it. */
export function nationalCode(product: Product, digits: number): string {
  if (digits === 10) return product.hsCode10;
  return digits === 8 ? product.hsCode8 : product.hsCode;
}

/** True when the item has a lower-duty subheading to hide behind and pays full duty. */
function misclassifiable(item: GoodsItem, product: Product | undefined): boolean {
  return product?.lowerDuty !== undefined && !preferentialOrigins.has(item.originCountry ?? '');
}

/** True when `kind` can be committed on these items. */
export function canCommit(kind: Irregularity, draft: DraftItems): boolean {
  if (kind === Irregularity.Misclassification) {
    return draft.items.some((item, i) => misclassifiable(item, draft.products[i]));
  }
  if (kind === Irregularity.FalseOrigin) {
    return draft.items.every((item) => !preferentialOrigins.has(item.originCountry ?? ''));
  }
  return true;
}

/**
 * Commits `kind` on the items in place, or undervaluation when `kind` cannot be committed here;
 * returns the irregularity actually committed.
 */
export function commitIrregularity(random: Random, kind: Irregularity, draft: DraftItems): Irregularity {
  const committed = canCommit(kind, draft) ? kind : Irregularity.Undervaluation;
  if (committed === Irregularity.Misclassification) misclassify(draft);
  else if (committed === Irregularity.FalseOrigin) falsifyOrigin(random, draft);
  else undervalue(random, draft.items);
  return committed;
}

/** Declared value cut to 20-50% of the real one. */
function undervalue(random: Random, items: GoodsItem[]): void {
  const share = random.between(0.2, 0.5);
  for (const item of items) item.value = Math.max(0.01, Math.round(item.value * share * 100) / 100);
}

/** HS code replaced by a related subheading with a lower duty; the description stays true. */
function misclassify(draft: DraftItems): void {
  draft.items.forEach((item, i) => {
    const lower = draft.products[i]?.lowerDuty;
    if (lower === undefined || !misclassifiable(item, draft.products[i])) return;
    item.hsCode = nationalCode(lower, draft.hsDigits);
    item.dutyRate = lower.dutyRate;
  });
}

/** Origin replaced by a preferential country (claiming its zero rate); dispatch stays where it was. */
function falsifyOrigin(random: Random, draft: DraftItems): void {
  const targets = falseOriginTargets.filter((c) => c !== draft.dispatchCountry);
  const claimed = random.pick(targets);
  for (const item of draft.items) {
    item.originCountry = claimed;
    item.dutyRate = 0;
  }
}
