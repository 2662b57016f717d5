/** Layer 5, plausibility: vague goods descriptions and unit values far from what has been seen. */
import { dotted, pointsElsewhere, type DescriptionCodes } from '../description-codes.ts';
import type { UnitValueStats } from '../unit-values.ts';
import type { DeclarationDraft, Report } from './context.ts';
import { itemPath } from './context.ts';

/** Descriptions that say nothing about the goods (after ICS2's stop-word practice). */
export const vagueDescriptions = new Set([
  'gift',
  'gifts',
  'present',
  'parts',
  'spare parts',
  'part',
  'sample',
  'samples',
  'see invoice',
  'as per invoice',
  'per invoice',
  'goods',
  'general merchandise',
  'merchandise',
  'various',
  'various goods',
  'misc',
  'miscellaneous',
  'accessories',
  'personal effects',
  'stc',
  'said to contain',
  'consolidated',
  'freight',
  'equipment',
  'material',
  'materials',
  'products',
  'items',
  'stuff',
  'other',
  'n/a',
  'na',
]);

const normalise = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z/ ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
/** Longer descriptions are never only a stop phrase (allowing for padding and punctuation). */
const longestVague = Math.max(...[...vagueDescriptions].map((v) => v.length)) + 8;

/** What was found for descriptions already seen: an import repeats the same wording on many rows. */
const seen = new Map<string, boolean>();
const seenLimit = 10_000;

export function isVague(description: string): boolean {
  if (description.length > longestVague) return false;
  let vague = seen.get(description);
  if (vague === undefined) {
    vague = vagueDescriptions.has(normalise(description));
    if (seen.size >= seenLimit) seen.clear();
    seen.set(description, vague);
  }
  return vague;
}

/** How many distinct goods descriptions of one declaration are compared with their codes. */
export const comparedDescriptions = 50;

/** The warning at an item's HS code when its description points to another heading. */
export const suggestsOtherCode = 'description_suggests_other_code';

/**
 * Compares a declaration's descriptions with their declared codes, reporting
 * `description_suggests_other_code` at each item whose description points to another heading. Vague
 * descriptions are not compared (they have their own warning); each description costs the aid
 * milliseconds, so only a declaration's first `comparedDescriptions` distinct ones are. Validation
 * runs it; so does the pass over imported declarations (declarations/description-pass.ts).
 */
export function compareDescriptions(
  d: Pick<DeclarationDraft, 'date' | 'items'>,
  descriptionCodes: DescriptionCodes,
  report: Report,
): void {
  const compared = new Set<string>();
  const date = d.date;
  if (!date) return;
  d.items?.forEach((item, i) => {
    if (
      !item.description ||
      !item.hsCode ||
      !/^\d{6}/.test(item.hsCode) ||
      isVague(item.description) ||
      !(compared.has(item.description) || compared.size < comparedDescriptions)
    )
      return;
    compared.add(item.description);
    const elsewhere = pointsElsewhere(descriptionCodes.codes(item.description, date), item.hsCode);
    if (elsewhere) {
      report(
        itemPath(i, 'hsCode'),
        suggestsOtherCode,
        `the description suggests ${dotted(elsewhere.hs6)} (heading ${elsewhere.hs6.slice(0, 4)}, ${Math.round(elsewhere.confidence * 100)}% sure), ` +
          `declared ${dotted(item.hsCode.slice(0, 6))}: check the classification`,
        'warning',
      );
    }
  });
}

export function checkPlausibility(
  d: DeclarationDraft,
  report: Report,
  unitValues: UnitValueStats,
  descriptionCodes?: DescriptionCodes,
): void {
  d.items?.forEach((item, i) => {
    if (item.description !== undefined && isVague(item.description)) {
      report(
        itemPath(i, 'description'),
        'vague_description',
        `"${item.description}" does not say what the goods are: describe them precisely enough to classify`,
        'warning',
      );
    }
    if (
      item.hsCode &&
      d.currency &&
      item.value !== undefined &&
      item.netMass &&
      item.netMass > 0 &&
      item.value > 0
    ) {
      const band = unitValues.band(
        item.hsCode.slice(0, 6),
        item.originCountry ?? d.originCountry,
        d.currency,
      );
      const unitValue = item.value / item.netMass;
      if (band && (unitValue < band.low || unitValue > band.high)) {
        report(
          itemPath(i, 'value'),
          unitValue < band.low ? 'unit_value_low' : 'unit_value_high',
          `unit value ${fmt(unitValue)} ${d.currency}/kg is far ${unitValue < band.low ? 'below' : 'above'} ` +
            `the usual ${fmt(band.low)}-${fmt(band.high)} for HS ${item.hsCode.slice(0, 6)} (median ${fmt(band.median)}, n=${band.count})`,
          'warning',
        );
      }
    }
  });
  if (descriptionCodes) compareDescriptions(d, descriptionCodes, report);
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toPrecision(3));
