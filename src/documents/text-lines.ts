/**
 * Positioned text as the fields reader sees it: lines of a page, each cut into cells where a wide
 * gap separates its words (the columns of a table, a label and its value). Both the PDF text layer
 * and OCR give fragments with boxes; they meet here.
 */
import type { Box } from './extraction.ts';

/** A run of text with its region (a PDF text item, or an OCR word). */
export interface Fragment {
  text: string;
  box: Box;
}

/** Words of a line that stand together: a table cell, a label with its value. */
export interface TextCell {
  text: string;
  box: Box;
}

/** A line of a page, top to bottom, with its cells from left to right. */
export interface TextLine {
  page: number;
  text: string;
  box: Box;
  cells: TextCell[];
  /** OCR confidence of the line, 0 to 100. */
  confidence?: number;
}

/** A gap wider than this share of the line's height starts a new cell (a word space is about 0.3). */
const cellGap = 0.9;

/** The smallest box holding all of `boxes`. */
export function union(boxes: readonly Box[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width);
    y1 = Math.max(y1, b.y + b.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Cells of one line's fragments (already on one line), cut at wide gaps. */
export function cellsOf(fragments: readonly Fragment[]): TextCell[] {
  const sorted = fragments.filter((f) => f.text.trim() !== '').sort((a, b) => a.box.x - b.box.x);
  const height = Math.max(1, median(sorted.map((f) => f.box.height)));
  const cells: { parts: Fragment[] }[] = [];
  let right = -Infinity;
  for (const fragment of sorted) {
    const last = cells.at(-1);
    if (last && fragment.box.x - right <= cellGap * height) last.parts.push(fragment);
    else cells.push({ parts: [fragment] });
    right = Math.max(right, fragment.box.x + fragment.box.width);
  }
  return cells.map(({ parts }) => ({
    text: parts
      .map((p) => p.text.trim())
      .join(' ')
      .replace(/\s+/g, ' '),
    box: union(parts.map((p) => p.box)),
  }));
}

/** A line from its cells: the text joins cells with two spaces, so a cell's edge stays visible. */
export function lineOf(page: number, cells: TextCell[], confidence?: number): TextLine {
  return {
    page,
    text: cells.map((c) => c.text).join('  '),
    box: union(cells.map((c) => c.box)),
    cells,
    ...(confidence === undefined ? {} : { confidence }),
  };
}

/**
 * Groups a page's fragments into lines: a fragment joins the line whose vertical middle is within
 * half its height of its own (PDF text items come in drawing order, not reading order).
 */
export function linesFromFragments(page: number, fragments: readonly Fragment[]): TextLine[] {
  const rows: { middle: number; height: number; parts: Fragment[] }[] = [];
  const sorted = fragments
    .filter((f) => f.text.trim() !== '' && f.box.height > 0)
    .sort((a, b) => a.box.y + a.box.height / 2 - (b.box.y + b.box.height / 2));
  for (const fragment of sorted) {
    const middle = fragment.box.y + fragment.box.height / 2;
    const row = rows.find((r) => Math.abs(r.middle - middle) <= Math.min(r.height, fragment.box.height) / 2);
    if (row) row.parts.push(fragment);
    else rows.push({ middle, height: fragment.box.height, parts: [fragment] });
  }
  return rows.sort((a, b) => a.middle - b.middle).map((row) => lineOf(page, cellsOf(row.parts)));
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
