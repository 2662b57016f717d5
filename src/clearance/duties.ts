/**
 * Duties and taxes of a declaration, from each goods item's customs value and its duty rate (the
 * tariff line's ad valorem rate in percent, as the KCS data and the WCO Data Model's duty tax fee
 * carry it). The same rule in TypeScript and in SQL, so that a declaration page, the statistics and
 * the forecasts never disagree: an item owes its value times its rate, rounded half away from zero
 * to cents, in the header currency; the declaration owes the sum of its items. An export owes
 * nothing; an item without a rate owes nothing.
 */
import { DeclarationType, type DeclarationInput, type GoodsItem } from '../declarations/model.ts';

/** One item's duty in the declaration's currency, to cents. */
export function itemDuty(item: Pick<GoodsItem, 'value' | 'dutyRate'>, type: DeclarationType): number {
  if (type !== DeclarationType.Import || item.dutyRate === undefined) return 0;
  return toCents((item.value * item.dutyRate) / 100);
}

/** The declaration's duty: the sum of its items' duties, in its currency. */
export function declarationDuty(d: Pick<DeclarationInput, 'type' | 'items' | 'currency'>): {
  currency: string;
  amount: number;
} {
  const cents = d.items.reduce((sum, item) => sum + Math.round(itemDuty(item, d.type) * 100), 0);
  return { currency: d.currency, amount: cents / 100 };
}

/** Half away from zero at the cent, as PostgreSQL's round(numeric, 2) does. */
const toCents = (x: number): number => (Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-9)) / 100;

/**
 * The same rule in SQL, for an item row aliased `item` of a declaration row aliased `d`
 * (declaration_items.value and duty_rate, declarations.type): numeric, to cents.
 */
export const itemDutySql = (item = 'i', d = 'd'): string =>
  `(CASE WHEN ${d}.type = 'IM' AND ${item}.duty_rate IS NOT NULL
     THEN round(${item}.value::numeric * ${item}.duty_rate::numeric / 100, 2) ELSE 0 END)`;
