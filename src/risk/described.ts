/**
 * What goods descriptions say of their declared codes, for risk: each item's agreement and the
 * heading it points to instead (the indicators rule profiles test), and the lowest agreement over a
 * declaration's items (the learned model's feature `descriptionAgreement`), from the
 * classification aid through its seam (declarations/description-codes.ts).
 */
import {
  headingAgreement,
  pointsElsewhere,
  type DescriptionCodes,
} from '../declarations/description-codes.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import type { RowExtras } from './features.ts';
import { rowExtrasOf } from './mirror.ts';
import type { DescribedItem, Indicators } from './profiles/fields.ts';

/** Each item's description against its declared code; undefined without the aid. */
export function describedItems(
  codes: DescriptionCodes | undefined,
  d: DeclarationInput,
): DescribedItem[] | undefined {
  if (!codes) return undefined;
  return d.items.map((it): DescribedItem => {
    if (!it.description) return { agreement: NaN, elsewhere: undefined };
    const answers = codes.codes(it.description, d.date);
    return {
      agreement: headingAgreement(answers, it.hsCode),
      elsewhere: pointsElsewhere(answers, it.hsCode)?.hs6,
    };
  });
}

/** The lowest agreement over the items that have one; NaN when none has (or without the aid). */
export function lowestAgreement(described: readonly (DescribedItem | undefined)[] | undefined): number {
  let lowest = NaN;
  for (const item of described ?? [])
    if (item && Number.isFinite(item.agreement) && !(item.agreement >= lowest)) lowest = item.agreement;
  return lowest;
}

/**
 * What the learned model reads besides the declaration: the mirror's figures, the descriptions'
 * agreement and the documents' discrepancies.
 */
export const rowExtrasOfIndicators = (
  x: Pick<Indicators, 'mirror' | 'described' | 'documents'>,
): RowExtras => ({
  ...rowExtrasOf(x.mirror),
  descriptionAgreement: lowestAgreement(x.described),
  documentDiscrepancies: x.documents?.discrepancies ?? 0,
});
