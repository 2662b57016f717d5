/**
 * An amount as people type it: "1,250.75", "1 250.75", "1250.75", "1.250,75" or "1250,75". Of a
 * comma and a point, the last one is the decimal separator; a lone comma followed by three digits
 * separates thousands. Null when the text is not an amount.
 */
export function readAmount(text: string): number | null {
  let t = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (t === '') return null;
  const comma = t.lastIndexOf(',');
  const point = t.lastIndexOf('.');
  if (comma >= 0 && point >= 0) {
    t = comma > point ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  } else if (comma >= 0) {
    t = /^\d{1,3}(,\d{3})+$/.test(t) ? t.replace(/,/g, '') : t.replace(',', '.');
  } else if (point >= 0 && /^\d{1,3}(\.\d{3}){2,}$/.test(t)) {
    t = t.replace(/\./g, '');
  }
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return Number(t);
}
