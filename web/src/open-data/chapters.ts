import { money } from '../format.ts';
import type { PublicCell } from './types.ts';

export interface ChapterRow {
  chapter: string;
  /** The value, or null when the cell is confidential. */
  value: number | null;
  valueText: string;
  declarations: number | null;
}

/**
 * A published table's HS chapters across all partners, the largest values first and the
 * confidential ones after them (their value unknown, so not ranked), at most `limit` rows.
 */
export function chapterRows(cells: PublicCell[], limit = 15): ChapterRow[] {
  const rows = cells
    .filter((c) => c.level === 'chapter' && c.partner === 'TOTAL')
    .map((c) => ({
      chapter: c.hs,
      value: c.confidential || c.value === null ? null : Number(c.value),
      valueText: c.confidential || c.value === null ? 'confidential' : money(Number(c.value)),
      declarations: c.confidential ? null : c.declarations,
    }));
  const known = rows.filter((r) => r.value !== null).sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  const confidential = rows.filter((r) => r.value === null).sort((a, b) => (a.chapter < b.chapter ? -1 : 1));
  return [...known, ...confidential].slice(0, limit);
}
