/**
 * Mirror analysis in the assessment of an import (ADR 0024): the partners' export records matched to
 * it (exchange_matches, written by exchange/matching.ts in the same transaction, before assessment)
 * become its mirror indicators, and the mirror scorer turns the gaps beyond their thresholds into
 * `mirror` reasons with both sides' figures: a value gap demands at least the yellow lane.
 */
import type { PreparedStatement, Sql } from '../db/database.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import type { RowExtras } from './features.ts';
import type { MirrorFinding, MirrorIndicators } from './profiles/fields.ts';
import { Lane } from './profiles/profile.ts';
import type { Reason, ScorerOutput } from './selectivity.ts';

interface StoredGap {
  kind: MirrorFinding['gap'];
  item: number | null;
  importFigure: number | string | null;
  exportFigure: number | string | null;
  ratio: number | null;
  threshold: number | null;
  items?: number[];
  beyond: boolean;
  text: string;
}

/** One match of an import as exchange_matches stores it (the columns mirror analysis reads). */
export interface MatchRow {
  declaration_id: number;
  sender: string;
  message_id: string;
  value_ratio: number | null;
  gaps: StoredGap[];
}

const matchesOf: PreparedStatement = {
  name: 'mirror_matches_of',
  text: `SELECT declaration_id, sender, message_id::text AS message_id, value_ratio, gaps FROM exchange_matches
         WHERE declaration_id = ANY($1::int8[]) ORDER BY declaration_id, matched_at, sender, message_id`,
};

/**
 * The mirror indicators of one matched import, from its matches; undefined when it has none. Every
 * match of an import stores the gaps of the import against all its exports (exchange/matching.ts):
 * a finding is counted once, under the first match that stores it.
 */
export function mirrorIndicatorsOf(
  d: DeclarationInput,
  rows: readonly MatchRow[],
): MirrorIndicators | undefined {
  if (rows.length === 0) return undefined;
  const position = new Map(d.items.map((it, i) => [it.sequence, i]));
  const hsMismatch = d.items.map(() => false);
  const originMismatch = d.items.map(() => false);
  const quantityRatio = d.items.map(() => NaN);
  const massRatio = d.items.map(() => NaN);
  let valueRatio = NaN;
  const findings: MirrorFinding[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.value_ratio !== null && !(r.value_ratio >= valueRatio)) valueRatio = r.value_ratio;
    for (const g of r.gaps) {
      for (const item of g.items ?? (g.item === null ? [] : [g.item])) {
        const at = position.get(item);
        if (at !== undefined && g.kind === 'hs') hsMismatch[at] = true;
        if (at !== undefined && g.kind === 'origin') originMismatch[at] = true;
        // every match stores the same gaps (of the import against all its exports): the first counts
        const ratios = g.kind === 'quantity' ? quantityRatio : g.kind === 'mass' ? massRatio : undefined;
        if (at !== undefined && ratios && g.ratio !== null && Number.isNaN(ratios[at]))
          ratios[at] = Number(g.ratio);
      }
      const key = `${g.kind}/${g.item}/${g.text}`;
      if (!g.beyond || seen.has(key)) continue;
      seen.add(key);
      findings.push({
        partner: r.sender,
        messageId: r.message_id,
        gap: g.kind,
        item: g.item,
        importFigure: g.importFigure,
        exportFigure: g.exportFigure,
        ratio: g.ratio,
        threshold: g.threshold,
        text: g.text,
      });
    }
  }
  return { valueRatio, hsMismatch, originMismatch, quantityRatio, massRatio, findings };
}

/** The mirror indicators of declarations by id (one indexed query); those without a match are absent. */
export async function readMirror(
  sql: Sql,
  list: readonly { id: number; input: DeclarationInput }[],
): Promise<Map<number, MirrorIndicators>> {
  const out = new Map<number, MirrorIndicators>();
  const imports = list.filter((x) => x.input.type === 'IM');
  if (imports.length === 0) return out;
  const rows = await sql.query<MatchRow>(matchesOf, [imports.map((x) => x.id)]);
  for (const { id, input } of imports) {
    const mine = rows.filter((r) => Number(r.declaration_id) === id);
    const m = mirrorIndicatorsOf(input, mine);
    if (m) out.set(id, m);
  }
  return out;
}

/** Of an import's per-item ratios, the one farthest from 1 either way (as a factor); NaN when none is finite. */
export function farthestRatio(ratios: readonly number[]): number {
  let out = NaN;
  for (const r of ratios)
    if (Number.isFinite(r) && r >= 0 && !(Math.abs(Math.log(r)) <= Math.abs(Math.log(out)))) out = r;
  return out;
}

const anyOf = (flags: readonly boolean[]) => (flags.some((f) => f) ? 1 : 0);

/**
 * What the learned model reads of an import beyond the declaration (features.ts), from its mirror
 * indicators: the value ratio (NaN without a match whose values are comparable), the quantity and
 * mass ratios of the item farthest from 1 (NaN when no item has one), and whether any item's HS6 or
 * origin differs from the export's (1 or 0); all NaN for an import without a match.
 */
export const rowExtrasOf = (m: MirrorIndicators | undefined): RowExtras => ({
  mirrorValueRatio: m?.valueRatio ?? NaN,
  mirrorQuantityRatio: m ? farthestRatio(m.quantityRatio) : NaN,
  mirrorMassRatio: m ? farthestRatio(m.massRatio) : NaN,
  mirrorHsMismatch: m ? anyOf(m.hsMismatch) : NaN,
  mirrorOriginMismatch: m ? anyOf(m.originMismatch) : NaN,
});

/** The score a value gap beyond its threshold gives (over the yellow threshold), and the others. */
const valueScore = 0.6;
const otherScore = 0.3;

/**
 * The mirror scorer: each finding a `mirror` reason; a value gap scores 0.6 and demands the yellow
 * lane at least, an HS, origin, quantity or mass gap scores 0.3. Undefined for an import without a
 * match (its assessment's versions stay as they were).
 */
export function scoreMirror(m: MirrorIndicators | undefined): ScorerOutput | undefined {
  if (!m) return undefined;
  let score = 0;
  let lane: Lane | undefined;
  const reasons: Reason[] = m.findings.map((f) => {
    score = Math.max(score, f.gap === 'value' ? valueScore : otherScore);
    if (f.gap === 'value') lane = Lane.Yellow;
    return {
      kind: 'mirror',
      partner: f.partner,
      messageId: f.messageId,
      gap: f.gap,
      item: f.item,
      importFigure: f.importFigure,
      exportFigure: f.exportFigure,
      ratio: f.ratio,
      threshold: f.threshold,
      text: `mirror with ${f.partner}'s export record: ${f.text}`,
    };
  });
  return { scorer: 'mirror', version: 'mirror@1', score, ...(lane ? { lane } : {}), reasons };
}
