/**
 * Mirror analysis (ADR 0024): a partner's export record beside this administration's import of the
 * same consignment. Pure functions: the value gap (import customs value against export value, the
 * export raised by the freight-and-insurance margin between FOB and CIF), quantity and mass gaps,
 * HS mismatch at HS6 and origin mismatch, each with both sides' figures. Values are compared only
 * in one currency: there is no exchange rate here, so EUR against KRW is "not comparable", never a
 * finding.
 */

/** The thresholds of mirror analysis and the matching window (config.ts, CLEARWAY_MIRROR_*). */
export interface MirrorSettings {
  /** Days after the export's date within which an import may match it by parties. */
  windowDays: number;
  /** Freight and insurance allowed between the export's FOB and the import's CIF value (0.1 = 10%). */
  margin: number;
  /** A value ratio (import / export·(1+margin)) below this is a finding. */
  valueLow: number;
  /** A value ratio above this is a finding. */
  valueHigh: number;
  /** A quantity ratio further than this from 1 is a finding (0.05 = 5%). */
  quantityTolerance: number;
  /** A net mass ratio further than this from 1 is a finding. */
  massTolerance: number;
}

export const defaultMirrorSettings: MirrorSettings = {
  windowDays: 60,
  margin: 0.1,
  valueLow: 0.7,
  valueHigh: 1.5,
  quantityTolerance: 0.05,
  massTolerance: 0.1,
};

/** One side's goods item, as mirror analysis reads it. */
export interface MirrorItem {
  /** The goods item number on its declaration. */
  sequence: number;
  hsCode: string;
  description?: string;
  value: number;
  netMass?: number;
  quantity?: number;
  originCountry?: string;
}

/** One side of a matched pair: the import as lodged here, or the export as received. */
export interface MirrorSide {
  currency: string;
  items: readonly MirrorItem[];
}

export const GapKind = {
  Value: 'value',
  Quantity: 'quantity',
  Mass: 'mass',
  Hs: 'hs',
  Origin: 'origin',
} as const;
export type GapKind = (typeof GapKind)[keyof typeof GapKind];

export interface Gap {
  kind: GapKind;
  /** The import's goods item number; null for the whole declaration. */
  item: number | null;
  importFigure: number | string | null;
  exportFigure: number | string | null;
  /** import / export (value: import / (export·(1+margin))); null when not comparable. */
  ratio: number | null;
  /** The bound that was applied. */
  threshold: number | null;
  /** Every import item of the gap's pool, when its HS6 is on several items (`item` is the first). */
  items?: number[];
  /** A finding. */
  beyond: boolean;
  text: string;
}

/** What a matched pair gives the import's assessment (risk/profiles/fields.ts). */
export interface MirrorFigures {
  /** The value ratio; null when not comparable (currencies differ, no export value, a sum too large). */
  valueRatio: number | null;
  /** The import's value and the exports', summed over the items (NaN beyond a finite sum), and whether they are comparable. */
  importValue: number;
  exportValue: number;
  comparable: boolean;
  /** Whether any gap is a finding. */
  beyond: boolean;
}

export const hs6 = (code: string) => code.replace(/\D/g, '').slice(0, 6);

/** What pairing needs of an item: its number and HS code. */
export type PairedItem = Pick<MirrorItem, 'sequence' | 'hsCode'>;

/**
 * The pairs of items: each export item takes the first import item not yet taken with the same
 * HS6; the export items left take the import items left in order. Items without a partner have no
 * pair (their value still counts in the totals).
 */
export function pairItems<I extends PairedItem, E extends PairedItem>(
  imp: readonly I[],
  exp: readonly E[],
): { imp: I; exp: E }[] {
  const taken = new Set<number>();
  const pairs: ({ imp: I; exp: E } | undefined)[] = exp.map((e) => {
    const i = imp.findIndex((m, k) => !taken.has(k) && hs6(m.hsCode) === hs6(e.hsCode));
    if (i < 0) return undefined;
    taken.add(i);
    return { imp: imp[i] as I, exp: e };
  });
  const left = imp.filter((_, k) => !taken.has(k));
  return exp.flatMap((e, k) => {
    const paired = pairs[k];
    if (paired) return [paired];
    const m = left.shift();
    return m ? [{ imp: m, exp: e }] : [];
  });
}

/** One row of the items side by side: an import item and an export item (by number), or one alone. */
export interface ItemRow {
  importItem: number | null;
  exportItem: number | null;
}

/**
 * Every item of both sides as `pairItems` pairs them, in the import's order; an item without a
 * partner has a row alone (the export's after the import's).
 */
export function itemRows(imp: readonly PairedItem[], exp: readonly PairedItem[]): ItemRow[] {
  const pairs = pairItems(imp, exp);
  const partnerOf = new Map(pairs.map((p) => [p.imp.sequence, p.exp.sequence]));
  const paired = new Set(pairs.map((p) => p.exp.sequence));
  return [
    ...[...imp]
      .sort((a, b) => a.sequence - b.sequence)
      .map((m) => ({ importItem: m.sequence, exportItem: partnerOf.get(m.sequence) ?? null })),
    ...exp.filter((e) => !paired.has(e.sequence)).map((e) => ({ importItem: null, exportItem: e.sequence })),
  ];
}

/** The sum of the items' values; NaN when it is not a finite number (values beyond any sum). */
const total = (items: readonly MirrorItem[]) => {
  const sum = items.reduce((s, it) => s + it.value, 0);
  return Number.isFinite(sum) ? sum : NaN;
};
const figure = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
const percent = (r: number) => `${Math.round(r * 100)}%`;

/** The gap of one ratio against a tolerance around 1. */
function ratioGap(
  kind: 'quantity' | 'mass',
  item: number,
  imp: number | undefined,
  exp: number | undefined,
  tolerance: number,
): Gap | undefined {
  if (imp === undefined || exp === undefined || !(exp > 0)) return undefined;
  const ratio = imp / exp;
  if (!Number.isFinite(imp) || !Number.isFinite(exp) || !Number.isFinite(ratio)) return undefined;
  const below = ratio < 1;
  const threshold = below ? 1 - tolerance : 1 + tolerance;
  const beyond = below ? ratio < threshold : ratio > threshold;
  const unit = kind === 'mass' ? ' kg' : '';
  return {
    kind,
    item,
    importFigure: imp,
    exportFigure: exp,
    ratio,
    threshold,
    beyond,
    text:
      `item ${item}: ${kind === 'mass' ? 'net mass' : 'quantity'} ${figure(imp)}${unit} on the import, ` +
      `${figure(exp)}${unit} on the export (${percent(ratio)}${beyond ? `, beyond the ${percent(tolerance)} tolerance` : ''})`,
  };
}

/** The export side of an import's matches: one export, or several (a consignment split over them). */
export type ExportSides = MirrorSide | readonly MirrorSide[];
const sidesOf = (exp: ExportSides): readonly MirrorSide[] => ('items' in exp ? [exp] : exp);

/** The currencies of the export side, each once, in order. */
const currenciesOf = (sides: readonly MirrorSide[]) => [...new Set(sides.map((e) => e.currency))];

/** The value gap of the whole declaration against the sum of its exports' values. */
function valueGap(imp: MirrorSide, sides: readonly MirrorSide[], s: MirrorSettings): Gap {
  const importValue = total(imp.items);
  const exportValue = total(sides.flatMap((e) => e.items));
  const currencies = currenciesOf(sides);
  const exports = sides.length > 1 ? `the ${sides.length} exports` : 'the export';
  const base = { kind: GapKind.Value, item: null };
  if (currencies.length !== 1 || currencies[0] !== imp.currency) {
    const theirs = sides.map((e) => `${figure(total(e.items))} ${e.currency}`).join(' + ');
    return {
      ...base,
      importFigure: `${figure(importValue)} ${imp.currency}`,
      exportFigure: theirs,
      ratio: null,
      threshold: null,
      beyond: false,
      text: `value not comparable (${imp.currency} vs ${currencies.join(', ')}, no rate): ${figure(importValue)} ${imp.currency} on the import, ${theirs} on ${exports}`,
    };
  }
  const notComparable = (why: string): Gap => ({
    ...base,
    importFigure: Number.isFinite(importValue) ? importValue : null,
    exportFigure: Number.isFinite(exportValue) ? exportValue : null,
    ratio: null,
    threshold: null,
    beyond: false,
    text: `value not comparable: ${why}`,
  });
  if (!Number.isFinite(importValue) || !Number.isFinite(exportValue))
    return notComparable('a value is too large to compare');
  if (!(exportValue > 0)) return notComparable(`${exports} declare${sides.length > 1 ? '' : 's'} no value`);
  const expected = exportValue * (1 + s.margin);
  const ratio = importValue / expected;
  if (!Number.isFinite(ratio)) return notComparable('a value is too large to compare');
  const low = ratio < s.valueLow;
  const high = ratio > s.valueHigh;
  const threshold = high ? s.valueHigh : s.valueLow;
  const words = low
    ? `below ${figure(s.valueLow)} of it`
    : high
      ? `above ${figure(s.valueHigh)} times it`
      : 'within bounds';
  return {
    ...base,
    importFigure: importValue,
    exportFigure: exportValue,
    ratio,
    threshold,
    beyond: low || high,
    text:
      `customs value ${figure(importValue)} ${imp.currency} on the import against ${figure(exportValue)} ${imp.currency} ` +
      `on ${exports} (${figure(expected)} with ${percent(s.margin)} for freight and insurance): ratio ${ratio.toFixed(2)}, ${words}`,
  };
}

/** The items of one HS6 on one side, pooled: values, quantities and masses summed, origins listed. */
interface Pool {
  hs6: string;
  /** The import's goods item numbers pooled (the first names the pool in its gaps). */
  sequences: number[];
  quantity: number | undefined;
  netMass: number | undefined;
  origins: string[];
}

/** Sums a figure over items, undefined when any item lacks it (a partial sum would be a false gap). */
const sumOf = (items: readonly MirrorItem[], f: (it: MirrorItem) => number | undefined) => {
  let sum = 0;
  for (const it of items) {
    const v = f(it);
    if (v === undefined) return undefined;
    sum += v;
  }
  return sum;
};

function pools(items: readonly MirrorItem[]): Pool[] {
  const byHs = new Map<string, MirrorItem[]>();
  for (const it of items) {
    const key = hs6(it.hsCode);
    byHs.set(key, [...(byHs.get(key) ?? []), it]);
  }
  return [...byHs].map(([code, group]) => ({
    hs6: code,
    sequences: group.map((it) => it.sequence),
    quantity: sumOf(group, (it) => it.quantity),
    netMass: sumOf(group, (it) => it.netMass),
    origins: [...new Set(group.flatMap((it) => (it.originCountry ? [it.originCountry] : [])))].sort(),
  }));
}

/**
 * Every gap of an import against its matched exports: the value first (the import's customs value
 * against the sum of the exports' values), then, with the items of each side pooled by HS6 (a
 * consignment split over several exports, or over several items), each pair of pools' HS, origin,
 * quantity and mass. Pools pair by HS6 first, then in order; a gap names the import's first item of
 * its pool, and `items` all of them when there are several.
 */
export function mirrorGaps(
  imp: MirrorSide,
  exp: ExportSides,
  s: MirrorSettings = defaultMirrorSettings,
): Gap[] {
  const sides = sidesOf(exp);
  const gaps: Gap[] = [valueGap(imp, sides, s)];
  const importPools = pools(imp.items);
  const exportPools = pools(sides.flatMap((e) => e.items));
  const pairs = pairItems(
    importPools.map((p, k) => ({ sequence: k, hsCode: p.hs6, value: 0 })),
    exportPools.map((p, k) => ({ sequence: k, hsCode: p.hs6, value: 0 })),
  );
  for (const pair of pairs) {
    const m = importPools[pair.imp.sequence] as Pool;
    const e = exportPools[pair.exp.sequence] as Pool;
    const item = m.sequences[0] as number;
    const named = m.sequences.length > 1 ? { items: m.sequences } : {};
    const add = (g: Gap | undefined) => g && gaps.push({ ...g, ...named });
    if (m.hs6 !== e.hs6)
      add({
        kind: GapKind.Hs,
        item,
        importFigure: m.hs6,
        exportFigure: e.hs6,
        ratio: null,
        threshold: null,
        beyond: true,
        text: `item ${item}: HS ${m.hs6} on the import, ${e.hs6} on the export`,
      });
    const mo = m.origins.join('/');
    const eo = e.origins.join('/');
    if (mo && eo && mo !== eo)
      add({
        kind: GapKind.Origin,
        item,
        importFigure: mo,
        exportFigure: eo,
        ratio: null,
        threshold: null,
        beyond: true,
        text: `item ${item}: origin ${mo} on the import, ${eo} on the export`,
      });
    add(ratioGap('quantity', item, m.quantity, e.quantity, s.quantityTolerance));
    add(ratioGap('mass', item, m.netMass, e.netMass, s.massTolerance));
  }
  return gaps;
}

/**
 * The figures an import's gaps give its assessment and the statistics: the value ratio of the
 * aggregate, the import's value and the exports' (NaN when not a finite sum), comparable when the
 * value gap has a ratio.
 */
export function mirrorFigures(imp: MirrorSide, exp: ExportSides, gaps: readonly Gap[]): MirrorFigures {
  const value = gaps.find((g) => g.kind === GapKind.Value);
  const valueRatio = value?.ratio ?? null;
  return {
    valueRatio,
    importValue: total(imp.items),
    exportValue: total(sidesOf(exp).flatMap((e) => e.items)),
    comparable: valueRatio !== null,
    beyond: gaps.some((g) => g.beyond),
  };
}

/**
 * One match's share of its import's figures, as exchange_matches stores them: the export's own
 * value (0 when not a finite sum) and the import's value shared out in proportion to the exports'
 * values when comparable (else equally), so that the import's matches sum to its value once.
 */
export function matchShare(
  figures: MirrorFigures,
  own: MirrorSide,
  count: number,
): { importValue: number; exportValue: number } {
  const exportValue = total(own.items);
  const importValue = Number.isFinite(figures.importValue) ? figures.importValue : 0;
  if (!Number.isFinite(exportValue)) return { importValue: 0, exportValue: 0 };
  const share =
    figures.comparable && figures.exportValue > 0
      ? importValue * (exportValue / figures.exportValue)
      : importValue / count;
  return { importValue: share, exportValue };
}
