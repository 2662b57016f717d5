/**
 * What a code picker does with the text typed in it, and the day whose code list it searches. Pure
 * functions, so they are tested without a browser.
 */

/** The code lists of `GET /api/reference/{list}`. */
export type PickerList =
  | 'hs'
  | 'countries'
  | 'currencies'
  | 'units'
  | 'package-types'
  | 'procedures'
  | 'transport-modes'
  | 'incoterms'
  | 'offices'
  | 'transport-documents'
  | 'additional-procedures'
  | 'payment-methods'
  | 'declaration-kinds'
  | 'duty-tax-types'
  | 'origin-types';

/**
 * The texts that may still become a code of each list, as typed so far (any case): HS digits, ISO
 * country and currency letters, UN/ECE unit and package codes, four-digit procedure codes, a
 * transport mode digit, office codes (digits, or two letters of a country then digits), and the
 * codes of up to 7 letters or digits of the declaration's other coded fields, as long as their
 * list's codes and the national codes typed in them (KCS payment types of two digits).
 */
const codeSoFar: Record<PickerList, RegExp> = {
  hs: /^\d{0,10}$/,
  countries: /^[a-z]{0,2}$/i,
  currencies: /^[a-z]{0,3}$/i,
  units: /^[a-z0-9]{0,3}$/i,
  'package-types': /^[a-z0-9]{0,2}$/i,
  procedures: /^[a-z0-9]{0,4}$/i,
  'transport-modes': /^\d?$/,
  incoterms: /^[a-z]{0,3}$/i,
  offices: /^[a-z]{0,2}\d{0,15}$/i,
  'transport-documents': /^[a-z0-9]{0,4}$/i,
  'additional-procedures': /^[a-z0-9]{0,3}$/i,
  'payment-methods': /^[a-z0-9]{0,2}$/i,
  'declaration-kinds': /^[a-z]?$/i,
  'duty-tax-types': /^[a-z0-9]{0,4}$/i,
  'origin-types': /^[a-z0-9]?$/i,
};

/** Whether `text` could be (the start of) a code of `list`: no spaces, a code's characters and length. */
export const couldBeCode = (list: PickerList, text: string): boolean => codeSoFar[list].test(text);

/**
 * What the field shows for the text as the person typed it: upper-cased while it could be a code of
 * the list (a code typed in lower case), else as typed (words searched for). The characters of a
 * code are ASCII letters and digits, so upper-casing keeps every character where it was.
 */
export const shown = (list: PickerList, typed: string): string =>
  couldBeCode(list, typed) ? typed.toUpperCase() : typed;

/**
 * The text as typed, after an edit turned the field's `before` (shown for `typedBefore`) into
 * `after`: the unchanged start and end keep the case they were typed in, the edited middle is new.
 */
export function typedAfterEdit(typedBefore: string, before: string, after: string): string {
  if (typedBefore.length !== before.length) return after;
  let start = 0;
  const most = Math.min(before.length, after.length);
  while (start < most && before[start] === after[start]) start++;
  let end = 0;
  while (end < most - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return (
    typedBefore.slice(0, start) +
    after.slice(start, after.length - end) +
    typedBefore.slice(typedBefore.length - end)
  );
}

/** True when `text` is a real calendar day written `YYYY-MM-DD`. */
export function isCalendarDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** The person's own day (their clock and time zone), `YYYY-MM-DD`. */
export function localDay(now: Date = new Date()): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The day whose code list a picker searches: the form's date when it is a real day the API accepts
 * (1900-01-01 to 9999-12-31), else today, the form's findings saying what is wrong with the date.
 */
export const searchDay = (formDate: string, now: Date = new Date()): string =>
  isCalendarDay(formDate) && formDate >= '1900-01-01' ? formDate : localDay(now);
