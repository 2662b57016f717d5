/**
 * Honest goods items: masses, quantities, packages and values drawn around what the catalogue
 * says is typical for the product, origin and trader.
 */
import type { GoodsItem } from '../declarations/model.ts';
import type { Product } from './catalogue.ts';
import { originPriceFactor, preferentialOrigins } from './countries.ts';
import { nationalCode } from './irregularities.ts';
import type { Random } from './random.ts';
import { TransportMode, type Trader } from './traders.ts';

/** Descriptions too vague to identify the goods; plausibility checks warn about them. */
export const vagueDescriptions: readonly string[] = ['gift', 'parts', 'samples', 'see invoice'];

/** Net kilograms one package of each type holds. */
const packageKg: Readonly<Record<string, number>> = {
  BX: 5,
  CT: 12,
  PK: 8,
  PX: 450,
  BG: 25,
  DR: 180,
  BE: 1000,
  CL: 8000,
  CS: 20,
  CR: 120,
  RL: 60,
  BL: 33.3,
};

const usdToEur = 0.92;
/** Share of items whose unit value is far off the usual one without any fraud. */
const outlierShare = 0.004;

/** What an item line needs besides its product. */
export interface ItemContext {
  trader: Trader;
  mode: TransportMode;
  currency: string;
  /** Imports pay duty; exports carry no duty fields. */
  dutiable: boolean;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
/** Masses as traders declare them: whole kilograms from 100 kg up, grams below. */
const roundMass = (kg: number): number =>
  kg >= 100 ? Math.round(kg) : Math.max(0.001, Math.round(kg * 1000) / 1000);

/** One honest goods item of `product` made in `origin`. */
export function buildItem(
  random: Random,
  context: ItemContext,
  product: Product,
  origin: string,
  sequence: number,
): GoodsItem {
  const { trader, mode } = context;
  const { netMass, quantity } = drawMass(random, product, trader, mode);
  const grossMass = Math.max(netMass, roundMass(netMass * random.between(1.03, 1.2)));
  const packageType = mode === TransportMode.Postal ? 'PK' : product.packageType;
  return {
    sequence,
    hsCode: nationalCode(product, trader.hsDigits),
    description: describe(random, product, trader),
    originCountry: origin,
    netMass,
    grossMass,
    supplementaryQuantity: quantity,
    supplementaryUnit: product.unit?.code,
    value: drawValue(random, product, context, origin, netMass),
    dutyTaxType: context.dutiable ? 'A00' : undefined,
    dutyRate: context.dutiable ? (preferentialOrigins.has(origin) ? 0 : product.dutyRate) : undefined,
    packageType,
    packageCount:
      packageType === 'NE'
        ? (quantity ?? 1)
        : Math.max(1, Math.ceil(grossMass / (packageKg[packageType] ?? 10))),
    originIndicator: undefined,
  };
}

function drawMass(
  random: Random,
  product: Product,
  trader: Trader,
  mode: TransportMode,
): { netMass: number; quantity: number | undefined } {
  const typical =
    mode === TransportMode.Postal
      ? Math.min(product.lineKg, 2)
      : product.lineKg * modeScale(mode) * trader.scale;
  const raw = random.logNormal(typical, 0.8);
  const unit = product.unit;
  if (unit === undefined) return { netMass: roundMass(raw), quantity: undefined };
  const quantity = Math.max(1, Math.round(raw / unit.kgPerUnit));
  const netMass = roundMass(quantity * unit.kgPerUnit * random.between(0.97, 1.03));
  return { netMass, quantity };
}

function modeScale(mode: TransportMode): number {
  if (mode === TransportMode.Air) return 0.12;
  return mode === TransportMode.Road ? 0.5 : 1;
}

function drawValue(
  random: Random,
  product: Product,
  context: ItemContext,
  origin: string,
  netMass: number,
): number {
  let perKg = random.logNormal(product.usdPerKg * originPriceFactor(origin) * context.trader.priceLevel, 0.3);
  if (random.chance(outlierShare)) {
    perKg *= random.chance(0.5) ? random.between(5, 10) : random.between(0.08, 0.2);
  }
  const rate = context.currency === 'EUR' ? usdToEur : 1;
  return Math.max(0.01, round2(perKg * netMass * rate));
}

function describe(random: Random, product: Product, trader: Trader): string {
  if (random.chance(trader.vagueRate)) return random.pick(vagueDescriptions);
  return trader.upperCase ? product.upperDescription : product.description;
}
