/**
 * The start of an HS code as people type it: "7013.49", "7013 49" or "701349". Dots and spaces
 * are the usual separators of the nomenclature's printed form; they are dropped, and what is left
 * must be 2 to 10 digits.
 */
export const hsPrefixRule = '2 to 10 digits, dots and spaces allowed (such as 7013.49)';

/** The digits of an HS code prefix, or null when it is not 2 to 10 digits once separators are gone. */
export function hsPrefixOf(typed: string): string | null {
  const digits = typed.replace(/[.\s]/g, '');
  return /^\d{2,10}$/.test(digits) ? digits : null;
}
