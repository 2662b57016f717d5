/**
 * Which comparisons of mirror analysis to mark. The items' pairing comes from the API (each match's
 * `pairs`, computed by src/exchange/mirror.ts), never worked out here again.
 */
import type { Gap, GapKind } from './types.ts';

/**
 * Whether a comparison of mirror analysis is a difference to show: beyond its threshold, or two
 * figures that are not the same (analysis also reports the figures it compared and found equal).
 */
export const differs = (g: Gap) => g.beyond || g.importFigure !== g.exportFigure;

/** The difference of `kind` at import item `item` (null: the whole declaration), if analysis found one. */
export const gapAt = (gaps: readonly Gap[], item: number | null, kind: GapKind) =>
  gaps.find((g) => g.item === item && g.kind === kind && differs(g));
