import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { country, hsCode, money, quantity } from '../format.ts';
import type { Item } from './types.ts';

/** The most subheadings one request asks for (the API's limit). */
const perRequest = 200;

/**
 * The descriptions of the items' HS subheadings in the edition in force on the declaration's date,
 * asked for together: one request for up to 200 distinct subheadings (a declaration has at most
 * 999 items, so a handful at the very most).
 */
function useHsDescriptions(items: Item[], date: string): Record<string, string> {
  const [descriptions, setDescriptions] = useState<Record<string, string>>({});
  const codes = [...new Set(items.map((it) => it.hsCode.slice(0, 6)))].filter((c) => /^\d{6}$/.test(c));
  const key = `${codes.join(',')}@${date}`;
  useEffect(() => {
    let live = true;
    const batches: string[][] = [];
    for (let at = 0; at < codes.length; at += perRequest) batches.push(codes.slice(at, at + perRequest));
    void Promise.all(
      batches.map((batch) =>
        api<{ items: { code: string; description: string }[] }>(
          'GET',
          `/api/reference/hs?codes=${batch.join(',')}&date=${encodeURIComponent(date)}`,
        ).then(
          (r) => r.items.map((it) => [it.code, it.description] as const),
          // without the descriptions the codes show alone; a code not in the edition has none
          // (validation has said so)
          () => [],
        ),
      ),
    ).then((found) => {
      if (live) setDescriptions(Object.fromEntries(found.flat()));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return descriptions;
}

const optional = (n: number | undefined, unit?: string) => (n === undefined ? '' : quantity(n, unit));

/** The goods items: classification, description, origin, quantities, packages, value and duty. */
export function Items({ items, currency, date }: { items: Item[]; currency: string; date: string }) {
  const hs = useHsDescriptions(items, date);
  return (
    <section aria-labelledby="items-title">
      <h2 id="items-title">Items</h2>
      <div className="scroll">
        <table className="items">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">HS code</th>
              <th scope="col">Description</th>
              <th scope="col">Origin</th>
              <th scope="col" className="number">
                Net mass
              </th>
              <th scope="col" className="number">
                Gross mass
              </th>
              <th scope="col" className="number">
                Supplementary quantity
              </th>
              <th scope="col">Packages</th>
              <th scope="col" className="number">
                Value
              </th>
              <th scope="col">Duty</th>
            </tr>
          </thead>
          <tbody>
            {items.map((it) => (
              <tr key={it.sequence}>
                <td>{it.sequence}</td>
                <td className="text">
                  {hsCode(it.hsCode)}
                  {hs[it.hsCode.slice(0, 6)] && (
                    <span className="hs-description">{hs[it.hsCode.slice(0, 6)]}</span>
                  )}
                </td>
                <td className="text">{it.description}</td>
                <td>{country(it.originCountry)}</td>
                <td className="number">{optional(it.netMass, 'kg')}</td>
                <td className="number">{optional(it.grossMass, 'kg')}</td>
                <td className="number">{optional(it.supplementaryQuantity, it.supplementaryUnit)}</td>
                <td>
                  {it.packageCount !== undefined && quantity(it.packageCount)}
                  {it.packageType && ` ${it.packageType}`}
                </td>
                <td className="number">{money(it.value, currency)}</td>
                <td>
                  {it.dutyTaxType}
                  {it.dutyRate !== undefined && ` ${quantity(it.dutyRate)}%`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
