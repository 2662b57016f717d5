/**
 * A commercial invoice made from a demo declaration, for tests and benchmarks: its fields (the
 * ground truth), the discrepancies injected on purpose (value, currency, seller, a quantity), and
 * its page laid out as positioned text that pdf.ts writes as a PDF and image.ts draws as a scan.
 * The same declaration and seed always give the same invoice.
 */
import type { DeclarationInput } from '../../declarations/model.ts';
import { Random } from '../../demo/random.ts';
import type { DocumentDiscrepancy } from '../review.ts';
import { layOut, type PageLayout } from './layout.ts';

/** The kinds of discrepancy an invoice can be given. */
export const Injection = {
  Value: 'value',
  Currency: 'currency',
  Seller: 'seller',
  Quantity: 'quantity',
} as const;
export type Injection = (typeof Injection)[keyof typeof Injection];

/** The code review should report for each injected kind. */
export const injectedCode: Record<Injection, DocumentDiscrepancy['code']> = {
  value: 'invoice_total',
  currency: 'currency',
  seller: 'seller',
  quantity: 'quantity',
};

export interface TrueLine {
  description: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  amount: number;
}

/** What the invoice says, exactly as printed. */
export interface InvoiceTruth {
  number: string;
  date: string;
  seller: string;
  buyer: string;
  currency: string;
  incoterm: string;
  lines: TrueLine[];
  total: number;
}

/** A discrepancy put in the invoice: its review code and, for a quantity, the goods item. */
export interface InjectedDiscrepancy {
  code: DocumentDiscrepancy['code'];
  item?: number;
}

export interface GeneratedInvoice {
  truth: InvoiceTruth;
  injected: InjectedDiscrepancy[];
  layout: PageLayout;
}

const buyers = [
  'Hanbit Trading Co., Ltd.',
  'Daesung Commerce Corp.',
  'Seorak Foods Inc.',
  'Mirae Distribution Co., Ltd.',
  'Korea Pacific Supply Ltd.',
  'Gyeongin Retail Holdings',
];
const otherSellers = [
  'Golden Harvest Trading Ltd.',
  'Bluewater Commodities GmbH',
  'Redstone Manufacturing LLC',
  'Silverline Exports Pvt. Ltd.',
  'Northwind Merchants Inc.',
  'Orchid Valley Enterprises Sdn. Bhd.',
];
const places: Record<string, string[]> = {
  origin: ['Shanghai', 'Ningbo', 'Jakarta', 'Ho Chi Minh City', 'Hamburg', 'Rotterdam', 'Los Angeles'],
  destination: ['Busan', 'Incheon', 'Pyeongtaek', 'Gwangyang'],
};
const otherCurrencies = ['USD', 'EUR', 'JPY', 'CNY', 'GBP'];

/** Unit prices are printed with two decimals, or four below 1. */
const priceOf = (amount: number, quantity: number) => {
  const price = amount / quantity;
  return price >= 1 ? Math.round(price * 100) / 100 : Math.round(price * 10000) / 10000;
};
const cents = (n: number) => Math.round(n * 100) / 100;

/** The invoice behind `declaration`, with the `inject`ed discrepancies (those its goods allow). */
export function generateInvoice(
  declaration: DeclarationInput,
  seed: number,
  inject: readonly Injection[] = [],
): GeneratedInvoice {
  const random = new Random(seed, 17);
  const injected: InjectedDiscrepancy[] = [];
  const factor = inject.includes('value')
    ? random.chance(0.5)
      ? random.between(1.1, 1.6)
      : random.between(0.55, 0.9)
    : 1;
  if (factor !== 1) injected.push({ code: 'invoice_total' });
  const lines: TrueLine[] = declaration.items.map((item) => {
    const quantity = item.supplementaryQuantity ?? item.netMass ?? item.packageCount ?? 1;
    const unit = item.supplementaryQuantity !== undefined ? (item.supplementaryUnit ?? 'PCE') : 'KGM';
    const amount = cents(item.value * factor);
    return {
      description: item.description ?? `goods of HS ${item.hsCode}`,
      quantity,
      unit,
      unitPrice: priceOf(amount, quantity),
      amount,
    };
  });
  if (inject.includes('quantity')) {
    const counted = declaration.items.findIndex((item) => item.supplementaryQuantity !== undefined);
    const line = lines[counted];
    const item = declaration.items[counted];
    if (line && item) {
      line.quantity = Math.max(line.quantity + 1, Math.round(line.quantity * random.between(1.15, 1.8)));
      line.unitPrice = priceOf(line.amount, line.quantity);
      injected.push({ code: 'quantity', item: item.sequence });
    }
  }
  let currency = declaration.currency;
  if (inject.includes('currency')) {
    currency = random.pick(otherCurrencies.filter((c) => c !== declaration.currency));
    injected.push({ code: 'currency' });
  }
  let seller = declaration.seller ?? declaration.trader;
  if (inject.includes('seller')) {
    seller = random.pick(otherSellers);
    injected.push({ code: 'seller' });
  }
  const incotermCode = declaration.incoterm ?? 'FOB';
  const side = /^[EF]/.test(incotermCode) ? 'origin' : 'destination';
  const truth: InvoiceTruth = {
    number: invoiceNumber(random, declaration.date),
    date: daysBefore(declaration.date, random.int(21)),
    seller,
    buyer: declaration.buyer ?? random.pick(buyers),
    currency,
    incoterm: `${incotermCode} ${random.pick(places[side] ?? ['Busan'])}`,
    lines,
    total: cents(lines.reduce((sum, l) => sum + l.amount, 0)),
  };
  return {
    truth,
    injected,
    layout: layOut(
      truth,
      random,
      declaration.items.map((i) => i.hsCode),
    ),
  };
}

function invoiceNumber(random: Random, date: string): string {
  const year = date.slice(0, 4);
  const serial = String(1 + random.int(99999)).padStart(5, '0');
  return random.pick([
    `INV-${year}-${serial}`,
    `CI${year.slice(2)}${serial}`,
    `${year}/EX/${serial.slice(1)}`,
  ]);
}

function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}
