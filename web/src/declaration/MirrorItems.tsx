import { country, hsCode, money, quantity } from '../format.ts';
import { gapAt } from '../mirror/gaps.ts';
import type { ExportRecord, Gap, GapKind, ItemPair } from '../mirror/types.ts';
import { Marked } from './MirrorCell.tsx';
import type { Declaration } from './types.ts';

const figure = (n: number | null | undefined, unit?: string) =>
  n === null || n === undefined ? '—' : quantity(n, unit);

/**
 * The import's goods items beside the export's, in the pairs of mirror analysis as the API gives
 * them: for each, the HS code, value, net mass, quantity and origin on both sides, each gap marked
 * at its two figures.
 */
export function MirrorItems({
  id,
  partner,
  d,
  record,
  gaps,
  pairs,
}: {
  id: string;
  partner: string;
  d: Declaration;
  record: ExportRecord;
  gaps: Gap[];
  pairs: ItemPair[];
}) {
  const rows = pairs.map((p) => ({
    n: p.importItem,
    imp: p.importItem === null ? undefined : d.items.find((it) => it.sequence === p.importItem),
    exp: p.exportItem === null ? undefined : record.items[p.exportItem - 1],
  }));
  const columns: [string, GapKind][] = [
    ['HS code', 'hs'],
    ['Value', 'value'],
    ['Net mass', 'mass'],
    ['Quantity', 'quantity'],
    ['Origin', 'origin'],
  ];
  return (
    <div className="scroll">
      <table aria-labelledby={`${id}-items`} className="mirror-side">
        <caption id={`${id}-items`}>Items, side by side</caption>
        <thead>
          <tr>
            <td />
            {columns.map(([label]) => (
              <th key={label} scope="colgroup" colSpan={2}>
                {label}
              </th>
            ))}
          </tr>
          <tr>
            <th scope="col">Item</th>
            {columns.map(([label]) => [
              <th key={`${label}-import`} scope="col" aria-label={`${label}, this import`}>
                import
              </th>,
              <th key={`${label}-export`} scope="col" aria-label={`${label}, export (${partner})`}>
                export
              </th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ n, imp, exp }, i) => {
            const gap = (kind: GapKind) => (n === null ? undefined : gapAt(gaps, n, kind));
            return (
              <tr key={i}>
                <th scope="row" className="text">
                  {n === null ? 'export only' : n}
                  <span className="hint">
                    {imp?.description && <> · {imp.description}</>}
                    {exp?.description && exp.description !== imp?.description && (
                      <> · export: {exp.description}</>
                    )}
                  </span>
                </th>
                <Marked gap={gap('hs')}>{imp ? hsCode(imp.hsCode) : '—'}</Marked>
                <Marked gap={gap('hs')}>{exp ? hsCode(exp.hsCode) : '—'}</Marked>
                <Marked className="number">{imp ? money(imp.value, d.currency) : '—'}</Marked>
                <Marked className="number">{exp ? money(exp.value, record.currency) : '—'}</Marked>
                <Marked gap={gap('mass')} className="number">
                  {figure(imp?.netMass, 'kg')}
                </Marked>
                <Marked gap={gap('mass')} className="number">
                  {figure(exp?.netMass, 'kg')}
                </Marked>
                <Marked gap={gap('quantity')} className="number">
                  {figure(imp?.supplementaryQuantity, imp?.supplementaryUnit)}
                </Marked>
                <Marked gap={gap('quantity')} className="number">
                  {figure(exp?.quantity)}
                </Marked>
                <Marked gap={gap('origin')}>{imp?.originCountry ? country(imp.originCountry) : '—'}</Marked>
                <Marked gap={gap('origin')}>{exp?.originCountry ? country(exp.originCountry) : '—'}</Marked>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
