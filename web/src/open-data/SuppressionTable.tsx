import { useMemo } from 'react';
import { country, money } from '../format.ts';
import type { CellStatus, CheckCell } from './types.ts';

/** How each status is marked: a letter and a word besides the colour, so colour is never the only sign. */
export const marks: Record<CellStatus, { letter: string; word: string }> = {
  published: { letter: '', word: 'published' },
  primary: { letter: 'P', word: 'primary: confidential itself' },
  secondary: { letter: 'S', word: 'secondary: withheld to protect a primary cell' },
};

/** Why a primary cell is confidential, in words: `traders` or `dominance:n,k`. */
export function reasonText(reason: string | null, traders: number): string {
  if (!reason) return '';
  if (reason === 'traders') return `${traders} trader${traders === 1 ? '' : 's'}, too few`;
  const d = /^dominance:(\d+),([\d.]+)$/.exec(reason);
  if (d) return `the ${d[1]} largest trader${d[1] === '1' ? '' : 's'} hold over ${d[2]}% of the value`;
  return reason;
}

const rowsShown = 400;

/**
 * A table's suppression pattern as the supervisor checks it: HS rows (total, chapters, headings,
 * subheadings) by partner columns, each cell its value and its mark (P primary, S secondary), the
 * reason of a primary cell in its title and in the list below the grid.
 */
export function SuppressionTable({
  cells,
  currency,
  title,
}: {
  cells: CheckCell[];
  currency: string;
  title: string;
}) {
  const { rows, cols, at } = useMemo(() => {
    const rows: string[] = [];
    const cols: string[] = [];
    const seenRows = new Set<string>();
    const seenCols = new Set<string>();
    const at = new Map<string, CheckCell>();
    for (const c of cells) {
      if (!seenRows.has(c.hs)) {
        seenRows.add(c.hs);
        rows.push(c.hs);
      }
      if (!seenCols.has(c.partner)) {
        seenCols.add(c.partner);
        cols.push(c.partner);
      }
      at.set(`${c.hs}|${c.partner}`, c);
    }
    // the total column first, then partners in code order
    cols.sort((a, b) => (a === 'TOTAL' ? -1 : b === 'TOTAL' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    return { rows, cols, at };
  }, [cells]);
  const primary = cells.filter((c) => c.status === 'primary');
  const indent = (hs: string) => (hs === 'TOTAL' ? 0 : hs.length === 2 ? 1 : hs.length === 4 ? 2 : 3);

  return (
    <>
      <ul className="legend" aria-label="Legend">
        <li>
          <span className="cell-mark published">1,234.00</span> published
        </li>
        <li>
          <span className="cell-mark primary">P 1,234.00</span> {marks.primary.word}
        </li>
        <li>
          <span className="cell-mark secondary">S 1,234.00</span> {marks.secondary.word}
        </li>
        <li>an empty cell holds no goods (a known zero)</li>
      </ul>
      <div className="scroll">
        <table className="suppression">
          <caption>
            {title}: value in {currency} per HS code (rows) and partner (columns)
            {rows.length > rowsShown ? `, the first ${rowsShown} of ${rows.length} rows` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">HS</th>
              {cols.map((p) => (
                <th key={p} scope="col" title={p === 'TOTAL' ? 'all partners' : country(p)}>
                  {p === 'TOTAL' ? 'Total' : p}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, rowsShown).map((hs) => (
              <tr key={hs}>
                <th scope="row" className={`hs level-${indent(hs)}`}>
                  {hs === 'TOTAL' ? 'Total' : hs}
                </th>
                {cols.map((p) => {
                  const c = at.get(`${hs}|${p}`);
                  if (!c) return <td key={p} />;
                  const mark = marks[c.status];
                  const why = c.status === 'primary' ? reasonText(c.reason, c.traders) : mark.word;
                  return (
                    <td
                      key={p}
                      className={`number cell-mark ${c.status}`}
                      title={`${c.traders} traders; ${why}`}
                      data-status={c.status}
                    >
                      {mark.letter && <abbr title={mark.word}>{mark.letter}</abbr>} {money(c.value / 100)}
                      {c.status !== 'published' && <span className="visually-hidden">, {why}</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {primary.length > 0 && (
        <details>
          <summary>Why each primary cell is confidential ({primary.length})</summary>
          <table className="reasons">
            <thead>
              <tr>
                <th scope="col">HS</th>
                <th scope="col">Partner</th>
                <th scope="col">Traders</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {primary.slice(0, 1000).map((c) => (
                <tr key={`${c.hs}|${c.partner}`}>
                  <td>{c.hs === 'TOTAL' ? 'Total' : c.hs}</td>
                  <td>{c.partner === 'TOTAL' ? 'Total' : country(c.partner)}</td>
                  <td className="number">{c.traders}</td>
                  <td>{reasonText(c.reason, c.traders)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </>
  );
}
