import { fieldLabel } from '../fields.ts';
import type { SharedDeclaration } from './types.ts';

const itemPrefix = 'items[].';

const text = (value: unknown): string => (value === null || value === undefined ? '—' : String(value));

/**
 * The shared declarations of a feed page: one column per granted header field, and the granted
 * item fields of each goods item in one cell, as the agreement grants them and nothing else.
 */
export function FeedTable({ fields, items }: { fields: readonly string[]; items: SharedDeclaration[] }) {
  const header = fields.filter((f) => f !== 'items' && !f.startsWith(itemPrefix));
  const itemFields = fields.filter((f) => f.startsWith(itemPrefix) && f !== 'items[].sequence');
  const hasItems = fields.some((f) => f === 'items' || f.startsWith(itemPrefix));
  const itemName = (f: string) => fieldLabel(f.replace('items[]', 'items[0]')).replace(/^Item 1, /, '');
  return (
    <table aria-label="Shared declarations">
      <thead>
        <tr>
          <th scope="col">Declaration</th>
          {header.map((f) => (
            <th scope="col" key={f}>
              {fieldLabel(f)}
            </th>
          ))}
          {hasItems && <th scope="col">Items</th>}
        </tr>
      </thead>
      <tbody>
        {items.map((d) => (
          <tr key={d.id}>
            <th scope="row">{d.id}</th>
            {header.map((f) => (
              <td key={f}>{text(d[f])}</td>
            ))}
            {hasItems && (
              <td>
                {(Array.isArray(d.items) ? (d.items as Record<string, unknown>[]) : []).map((item) => (
                  <div key={String(item.sequence)}>
                    {String(item.sequence)}
                    {itemFields.length > 0 && ': '}
                    {itemFields
                      .map((f) => `${itemName(f)} ${text(item[f.slice(itemPrefix.length)])}`)
                      .join(', ')}
                  </div>
                ))}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
