/** Small helpers for reading labelled values out of positioned lines. */
import type { Located } from './extraction.ts';
import type { TextCell, TextLine } from './text-lines.ts';

/** A value with its evidence: the cell it was read from, or the whole line. */
export function located<T>(value: T, line: TextLine, cell?: TextCell): Located<T> {
  const source = cell ?? line;
  return { value, page: line.page, text: source.text, box: source.box };
}

/** Where a label was found: the line, the cell, and the text after the label in that cell. */
export interface LabelHit {
  lineIndex: number;
  cellIndex: number;
  rest: string;
}

/** Every cell in which `label` matches, with the text that follows the label. */
export function findLabels(lines: readonly TextLine[], label: RegExp): LabelHit[] {
  const hits: LabelHit[] = [];
  lines.forEach((line, lineIndex) =>
    line.cells.forEach((cell, cellIndex) => {
      const match = label.exec(cell.text);
      if (match) {
        const rest = cell.text.slice(match.index + match[0].length).replace(/^[\s:#.\-/|]+/, '');
        hits.push({ lineIndex, cellIndex, rest });
      }
    }),
  );
  return hits;
}

/** A candidate value for a label: its text, and the line and cell it came from. */
export interface Candidate {
  text: string;
  line: TextLine;
  cell: TextCell;
}

/**
 * The value beside a label: the rest of its cell, else the next cell on its line, else the first
 * cell under it (the nearest left edge within two line heights, at most four lines down, specks
 * of fewer than two letters or digits passed over). `isLabel` tells
 * text that is only another label, which is no value.
 */
export function valueOf(
  lines: readonly TextLine[],
  hit: LabelHit,
  isLabel: (text: string) => boolean = () => false,
): Candidate[] {
  const line = lines[hit.lineIndex];
  const cell = line?.cells[hit.cellIndex];
  if (!line || !cell) return [];
  const found: Candidate[] = [];
  if (hit.rest !== '' && !isLabel(hit.rest)) found.push({ text: hit.rest, line, cell });
  const next = line.cells[hit.cellIndex + 1];
  if (next && !isLabel(next.text)) found.push({ text: next.text, line, cell: next });
  const height = cell.box.height;
  for (let i = hit.lineIndex + 1; i < Math.min(lines.length, hit.lineIndex + 5); i++) {
    const below = lines[i];
    if (!below || below.page !== line.page || below.box.y - cell.box.y > 6 * height) break;
    const under = below.cells
      .filter((c) => Math.abs(c.box.x - cell.box.x) <= 2 * height && /[A-Za-z0-9]{2}/.test(c.text))
      .sort((a, b) => Math.abs(a.box.x - cell.box.x) - Math.abs(b.box.x - cell.box.x))[0];
    if (under && !isLabel(under.text)) {
      found.push({ text: under.text, line: below, cell: under });
      break;
    }
  }
  return found;
}
