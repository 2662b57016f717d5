/**
 * What an invoice page is made of (positioned text and rules, in PDF points from the top-left
 * corner of an A4 page) and how it prints dates, amounts and counts.
 */

/** One run of text; `x` is its left edge, or its right edge when right-aligned; `y` its baseline. */
export interface DrawnText {
  text: string;
  x: number;
  y: number;
  size: number;
  bold?: boolean;
  align?: 'left' | 'right';
}

export interface Rule {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PageLayout {
  width: number;
  height: number;
  texts: DrawnText[];
  rules: Rule[];
}

export const a4 = { width: 595.28, height: 841.89 };
const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The date as one of the formats exporters print. */
export function formatDate(iso: string, style: number): string {
  const [y = '', m = '', d = ''] = iso.split('-');
  const month = monthNames[Number(m) - 1] ?? '';
  switch (style) {
    case 0:
      return iso;
    case 1:
      return `${Number(d)} ${month} ${y}`;
    case 2:
      return `${month.slice(0, 3)} ${d}, ${y}`;
    case 3:
      return `${d}-${month.slice(0, 3)}-${y}`;
    default:
      return `${d}.${m}.${y}`;
  }
}

/** Amounts with thousands commas and two decimals. */
export const money = (n: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const price = (n: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: n >= 1 ? 2 : 4, maximumFractionDigits: n >= 1 ? 2 : 4 });
export const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 3 });
