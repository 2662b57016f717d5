/**
 * Numbers and dates as printed on invoices and as OCR misreads them: O for 0, l or I for 1,
 * commas and dots as thousands or decimal separators, currency signs and codes stuck to amounts.
 */

/** A number found in a text, with the token it was read from. */
export interface NumberToken {
  value: number;
  token: string;
  /** Where the token starts in the text. */
  index: number;
}

const currencySigns = /^[$€£¥]+|[$€£¥]+$/g;
const stuckCode = /^[A-Z]{3}(?=[\dOo])|(?<=\d)[A-Z]{3}$/;

/**
 * The number a single token stands for, or undefined. A token is read as a number when it is
 * mostly digits; O and o become 0 and l, I and | become 1 only beside real digits. The last
 * separator followed by one or two digits is the decimal point; the other separators group
 * thousands; a lone separator followed by three digits is a thousands comma or a decimal dot.
 */
export function parseNumber(raw: string): number | undefined {
  let token = raw.replace(/[()]/g, '').replace(currencySigns, '').replace(stuckCode, '');
  const negative = token.startsWith('-');
  token = token.replace(/^[-+]/, '').replace(/[.,:;]$/, '');
  if (!/^[\dOoIl|,.']+$/.test(token)) return undefined;
  const digits = (token.match(/\d/g) ?? []).length;
  const letters = (token.match(/[OoIl|]/g) ?? []).length;
  if (digits === 0 || letters > digits) return undefined;
  token = token.replace(/[Oo]/g, '0').replace(/[Il|]/g, '1').replace(/'/g, '');
  const value = separated(token);
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return negative ? -value : value;
}

function separated(token: string): number | undefined {
  if (!/^\d[\d,.]*$/.test(token)) return undefined;
  const seps = [...token.matchAll(/[,.]/g)].map((m) => ({ kind: m[0], index: m.index }));
  const last = seps.at(-1);
  if (last === undefined) return Number(token);
  const groups = token.split(/[,.]/);
  const tail = groups.at(-1) ?? '';
  const oneKind = seps.every((s) => s.kind === last.kind);
  const thousands = groups.slice(1).every((g) => g.length === 3) && (groups[0] ?? '').length <= 3;
  if (oneKind && thousands && (seps.length > 1 || last.kind === ',')) return Number(groups.join(''));
  if (tail.length === 0 || (tail.length > 3 && seps.length > 1)) return undefined;
  const whole = token.slice(0, last.index).replace(/[,.]/g, '');
  return Number(`${whole}.${tail}`);
}

/** Every number token in a text, left to right. */
export function numbersIn(text: string): NumberToken[] {
  const found: NumberToken[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    const value = parseNumber(match[0]);
    if (value !== undefined) found.push({ value, token: match[0], index: match.index });
  }
  return found;
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** OCR's letters for digits, in a date's digit runs only. */
const digitsOf = (s: string) => s.replace(/[Oo]/g, '0').replace(/[Il|]/g, '1');

/**
 * The first date in a text as YYYY-MM-DD: ISO (2026-12-07, 2026/12/07), day first (07.12.2026,
 * 07/12/2026; month first only when the day could not be a month), or with the month's name
 * (7 December 2026, Dec 7, 2026, 07-Dec-2026).
 */
export function parseDate(text: string): string | undefined {
  const iso = /\b([12][\dOo]{3})[-/.]([\dOoIl]{1,2})[-/.]([\dOoIl]{1,2})\b/.exec(text);
  if (iso) return ymd(iso[1], iso[2], iso[3]);
  const numeric = /\b([\dOoIl]{1,2})[-/.]([\dOoIl]{1,2})[-/.]([12][\dOo]{3})\b/.exec(text);
  if (numeric) {
    const a = Number(digitsOf(numeric[1] ?? ''));
    const b = Number(digitsOf(numeric[2] ?? ''));
    return a <= 12 && b > 12
      ? ymd(numeric[3], numeric[1], numeric[2])
      : ymd(numeric[3], numeric[2], numeric[1]);
  }
  const dayMonth = /\b([\dOoIl]{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+([12][\dOo]{3})\b/.exec(
    text,
  );
  if (dayMonth) return named(dayMonth[3], dayMonth[2], dayMonth[1]);
  const monthDay = /\b([A-Za-z]{3,9})\.?\s+([\dOoIl]{1,2})(?:st|nd|rd|th)?,?\s+([12][\dOo]{3})\b/.exec(text);
  if (monthDay) return named(monthDay[3], monthDay[1], monthDay[2]);
  return undefined;
}

function named(year: string | undefined, month: string | undefined, day: string | undefined) {
  const index = months.indexOf((month ?? '').slice(0, 3).toLowerCase());
  return index < 0 ? undefined : ymd(year, String(index + 1), day);
}

function ymd(year: string | undefined, month: string | undefined, day: string | undefined) {
  const y = Number(digitsOf(year ?? ''));
  const m = Number(digitsOf(month ?? ''));
  const d = Number(digitsOf(day ?? ''));
  if (!Number.isInteger(y) || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return undefined;
  return date.toISOString().slice(0, 10);
}
