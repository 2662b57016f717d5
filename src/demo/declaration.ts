/**
 * One demo declaration: a trader's import (or, now and then, export) on a given day, with an
 * irregularity injected at the trader's rate and the label that says so.
 */
import { DeclarationType, type DeclarationInput, type GoodsItem } from '../declarations/model.ts';
import type { Product } from './catalogue.ts';
import { homeCountry } from './countries.ts';
import { buildItem, type ItemContext } from './goods.ts';
import {
  canCommit,
  commitIrregularity,
  irregularities,
  type DraftItems,
  type Irregularity,
} from './irregularities.ts';
import { at, type Random } from './random.ts';
import { offices, TransportMode, transportModes, type Seller, type Trader } from './traders.ts';

/** The result of the (simulated) control of a declaration. */
export const ControlOutcome = { Compliant: 'compliant', NonCompliant: 'non_compliant' } as const;
export type ControlOutcome = (typeof ControlOutcome)[keyof typeof ControlOutcome];

/** What a control of the declaration found: its label in the demo data. */
export interface DemoLabel {
  outcome: ControlOutcome;
  irregularity?: Irregularity;
}

/** A declaration as a trader would lodge it, with the truth about it. */
export interface DemoDeclaration {
  input: DeclarationInput;
  label: DemoLabel;
}

/** Share of irregularities that follow the trader's usual modus, where the goods allow it. */
const modusShare = 0.75;

/** A declaration lodged by `trader` on `date` under `reference`. */
export function buildDeclaration(
  random: Random,
  trader: Trader,
  date: string,
  reference: string,
): DemoDeclaration {
  const seller = random.pickWeighted(trader.sellers, trader.sellerWeights);
  const count = 1 + random.weighted(trader.itemCountWeights);
  const products = chooseItemProducts(random, seller.products, count);
  const exporting = random.chance(trader.exportShare);
  const mode = chooseMode(random, trader, products);
  const context: ItemContext = { trader, mode, currency: seller.currency, dutiable: !exporting };
  const items = products.map((product, i) =>
    buildItem(random, context, product, exporting ? homeCountry : itemOrigin(random, seller, product), i + 1),
  );
  const dispatchCountry = exporting ? homeCountry : seller.country;
  const label = exporting
    ? compliant()
    : labelImport(random, trader, { items, products, dispatchCountry, hsDigits: trader.hsDigits });
  const input: DeclarationInput = {
    type: exporting ? DeclarationType.Export : DeclarationType.Import,
    functionalReference: reference,
    date,
    office: officeFor(trader, mode),
    declarant: trader.declarant,
    trader: trader.id,
    seller: exporting ? undefined : seller.name,
    buyer: exporting ? seller.name : undefined,
    courier: undefined,
    transportMode: mode,
    dispatchCountry,
    originCountry: commonOrigin(items),
    currency: seller.currency,
    invoiceTotal: Math.round(items.reduce((sum, item) => sum + item.value, 0) * 100) / 100,
    procedure: exporting ? '1000' : random.chance(0.05) ? '4071' : '4000',
    additionalProcedure: undefined,
    paymentMethod: trader.paymentMethod,
    processingMode: undefined,
    ...consignment(mode, date, reference, exporting ? seller.country : homeCountry),
    exporter: exporting ? undefined : exporterId(seller),
    items,
  };
  return { input, label };
}

/** Transport document type codes (UN/EDIFACT 1001 as used in customs): bill of lading, air waybill, road and postal consignment notes. */
const transportDocumentTypes: Record<TransportMode, string> = {
  [TransportMode.Sea]: 'N705',
  [TransportMode.Air]: 'N740',
  [TransportMode.Road]: 'N730',
  [TransportMode.Postal]: 'N750',
};

/**
 * The consignment's references, derived from the declaration without drawing random numbers (so the
 * rest of the demo stays as it was): a UCR after the WCO pattern (year digit, country, reference),
 * the transport document of the mode, the destination and the delivery terms.
 */
function consignment(mode: TransportMode, date: string, reference: string, destination: string) {
  const exporting = destination !== homeCountry;
  return {
    ucr: `${date.slice(3, 4)}${exporting ? homeCountry : destination}${reference}`.slice(0, 35),
    transportDocument: `${transportDocumentTypes[mode]}-${reference}`.slice(0, 35),
    transportDocumentType: transportDocumentTypes[mode],
    destinationCountry: destination,
    incoterm: exporting ? 'FOB' : mode === TransportMode.Sea ? 'CIF' : 'CIP',
  };
}

/** The foreign seller's exporter identifier: its country and name, as letters and digits. */
function exporterId(seller: Seller): string {
  return (seller.country + seller.name.replace(/[^A-Za-z0-9]/g, '')).toUpperCase().slice(0, 17);
}

function compliant(): DemoLabel {
  return { outcome: ControlOutcome.Compliant };
}

/** Decides whether the import is irregular and, if so, commits the irregularity on the items. */
function labelImport(random: Random, trader: Trader, draft: DraftItems): DemoLabel {
  const maxDuty = draft.items.reduce((max, item) => Math.max(max, item.dutyRate ?? 0), 0);
  const dutyPull = Math.min(1.8, 0.7 + 0.03 * maxDuty);
  if (!random.chance(trader.irregularityRate * dutyPull)) return compliant();
  const possible = irregularities.filter((kind) => canCommit(kind, draft));
  const kind =
    possible.includes(trader.modus) && random.chance(modusShare) ? trader.modus : random.pick(possible);
  return { outcome: ControlOutcome.NonCompliant, irregularity: commitIrregularity(random, kind, draft) };
}

/** Different products while the seller has them (a random run of its list), then repeats. */
function chooseItemProducts(random: Random, offered: Product[], count: number): Product[] {
  const start = random.int(offered.length);
  const chosen: Product[] = [];
  for (let k = 0; k < count; k++) {
    chosen.push(k < offered.length ? at(offered, (start + k) % offered.length) : random.pick(offered));
  }
  return chosen;
}

/** Usually the seller's source country; now and then a consignment mixes in another origin. */
function itemOrigin(random: Random, seller: Seller, product: Product): string {
  if (!random.chance(0.05)) return seller.goodsOrigin;
  return random.pickWeighted(product.origins, product.originWeights);
}

/** Heavy and bulk goods go by sea whatever the trader's habits. */
function chooseMode(random: Random, trader: Trader, products: Product[]): TransportMode {
  const bulky = products.some((p) => (p.unit?.kgPerUnit ?? 0) >= 20 || p.lineKg >= 10_000);
  return bulky ? TransportMode.Sea : random.pickWeighted(transportModes, trader.modeWeights);
}

function officeFor(trader: Trader, mode: TransportMode): string {
  if (mode === TransportMode.Air) return trader.airOffice;
  if (mode === TransportMode.Postal) return offices.postal;
  return mode === TransportMode.Road ? offices.road : trader.seaOffice;
}

/** The origin shared by every item, or undefined when the items differ. */
function commonOrigin(items: GoodsItem[]): string | undefined {
  const first = items[0]?.originCountry;
  return items.every((item) => item.originCountry === first) ? first : undefined;
}
