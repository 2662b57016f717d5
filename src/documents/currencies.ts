/**
 * Currency codes and signs as they appear on invoices. Only codes of currencies in trade use are
 * recognised in free text: some ISO 4217 codes are also English words (ALL, TOP) and would be
 * read in every heading.
 */
export const tradeCurrencies: ReadonlySet<string> = new Set(
  (
    'USD EUR GBP JPY CNY KRW HKD SGD AUD CAD CHF SEK NOK DKK INR IDR THB VND MYR PHP TWD NZD AED SAR ' +
    'BRL MXN ZAR TRY PLN CZK HUF RUB ILS CLP COP PEN ARS EGP NGN KES PKR BDT LKR QAR KWD OMR BHD JOD ' +
    'MAD TND RON BGN ISK UAH KZT'
  ).split(' '),
);

/** Signs that name one currency without doubt; `$` and `¥` are used by several and are a last resort. */
export const currencySigns: Readonly<Record<string, string>> = {
  '€': 'EUR',
  '£': 'GBP',
  '₩': 'KRW',
  $: 'USD',
};

/** OCR's digits for letters, in a three-letter code. */
const lettersOf = (s: string) =>
  s.replace(/0/g, 'O').replace(/1/g, 'I').replace(/5/g, 'S').replace(/8/g, 'B').toUpperCase();

/** The trade currency a token names (USD, (USD), USD:, U5D), or undefined. */
export function currencyCode(token: string): string | undefined {
  const bare = token.replace(/^[([]+|[)\]:.,]+$/g, '');
  if (!/^[A-Z0-9]{3}$/.test(bare)) return undefined;
  const code = lettersOf(bare);
  return tradeCurrencies.has(code) ? code : undefined;
}
