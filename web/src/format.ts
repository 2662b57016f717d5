/**
 * How the application writes amounts, quantities, days and moments, everywhere the same:
 * amounts "1,250.75 USD", days "6 Dec 2026", moments "6 Dec 2026, 14:05" in the reader's time zone,
 * and the names of the codes the browser knows (countries).
 */

/** Per currency: the amount format with its minor units (2 for USD, 3 for KWD, 0 for JPY). */
const amountFormats = new Map<string, Intl.NumberFormat>();
const upTo3 = new Intl.NumberFormat('en', { maximumFractionDigits: 3 });
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
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
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The decimals of a currency's minor unit (ISO 4217) as the browser knows them; 2 for a code it does not. */
export function minorUnits(currency: string | null | undefined): number {
  if (!currency || !/^[A-Z]{3}$/.test(currency)) return 2;
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/**
 * An amount with its currency's decimals (two when there is none or the code is unknown), thousands
 * grouped, and the currency code after it: "1,250.75 USD", "1,250 JPY", "1,250.750 KWD".
 */
export function money(amount: number, currency?: string | null): string {
  const key = currency ?? '';
  let format = amountFormats.get(key);
  if (!format) {
    const digits = minorUnits(currency);
    format = new Intl.NumberFormat('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    if (amountFormats.size < 300) amountFormats.set(key, format);
  }
  return `${format.format(amount)}${currency ? ` ${currency}` : ''}`;
}

/** A quantity with thousands grouped and at most three decimals, and its unit: "1,200.5 kg". */
export function quantity(n: number, unit?: string | null): string {
  return `${upTo3.format(n)}${unit ? ` ${unit}` : ''}`;
}

/** A share in [0, 1] as a whole percentage ("37%"); below 1% with one decimal, "under 0.1%" below that. */
export function percent(share: number): string {
  const p = share * 100;
  if (p > 0 && p < 0.05) return 'under 0.1%';
  return `${p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)}%`;
}

/**
 * A calendar day (YYYY-MM-DD) as "6 Dec 2026", without a time zone shifting it; the day of a moment
 * (ISO 8601 with a time) in the reader's time zone.
 */
export function day(date: string): string {
  if (date.length > 10) {
    const d = new Date(date);
    if (!Number.isNaN(d.getTime())) return `${d.getDate()} ${months[d.getMonth()]} ${d.getFullYear()}`;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return `${Number(m[3])} ${months[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** A moment (ISO 8601) as "6 Dec 2026, 14:05" in the reader's time zone. */
export function moment(at: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return `${d.getDate()} ${months[d.getMonth()]} ${d.getFullYear()}, ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** The name of a month (1-12), "December". */
export const monthName = (month: number) => monthNames[month - 1] ?? String(month);

/** The name of a day of the week (0 = Sunday). */
export const weekdayName = (day: number) => weekdays[day] ?? String(day);

let regions: Intl.DisplayNames | null | undefined;

/** A country's name from its ISO code ("China" for CN), or null when the browser does not know it. */
export function countryName(code: string | undefined | null): string | null {
  if (!code || !/^[A-Z]{2}$/.test(code)) return null;
  if (regions === undefined) {
    try {
      regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    } catch {
      regions = null;
    }
  }
  return regions?.of(code) ?? null;
}

/** A country code with its name where known: "CN (China)". */
export function country(code: string | undefined | null): string {
  if (!code) return '';
  const name = countryName(code);
  return name ? `${code} (${name})` : code;
}

/** An HS code written with a point after the heading: "7013.49", "8517.13.00". */
export function hsCode(code: string): string {
  if (!/^\d{6,}$/.test(code)) return code;
  const rest = code.slice(6);
  return `${code.slice(0, 4)}.${code.slice(4, 6)}${rest ? `.${rest}` : ''}`;
}
