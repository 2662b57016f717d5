/**
 * The demo trader population: importers with their usual goods, sellers, office, customs broker
 * and habits. Most are compliant; a risky minority commits irregularities far more often.
 */
import { productsBySector, Sector, type Product } from './catalogue.ts';
import { hubs, invoicesInEuro, preferentialOrigins, sellerName } from './countries.ts';
import { Irregularity } from './irregularities.ts';
import { cumulative, Random } from './random.ts';

export const RiskTier = { Low: 'low', Medium: 'medium', High: 'high' } as const;
export type RiskTier = (typeof RiskTier)[keyof typeof RiskTier];

/** WCO / UN/ECE Rec 19 transport mode codes the demo uses. */
export const TransportMode = { Sea: '1', Road: '3', Air: '4', Postal: '5' } as const;
export type TransportMode = (typeof TransportMode)[keyof typeof TransportMode];
export const transportModes: readonly TransportMode[] = Object.values(TransportMode);

/** Demo customs offices by the traffic they clear (codes in the style of the KCS sample). */
export const offices = {
  sea: ['030', '020', '062', '080'],
  air: ['040', '016'],
  postal: '013',
  road: '010',
} as const;

/** A foreign party a trader buys from (or, for exports, sells to). */
export interface Seller {
  name: string;
  country: string;
  /** Where the goods it sells are made: its own country unless it is a trading hub. */
  goodsOrigin: string;
  currency: string;
  products: Product[];
}

export interface Trader {
  id: string;
  tier: RiskTier;
  irregularityRate: number;
  /** The irregularity this trader usually commits when it commits one. */
  modus: Irregularity;
  declarant: string;
  seaOffice: string;
  airOffice: string;
  modeWeights: Float64Array;
  sellers: Seller[];
  sellerWeights: Float64Array;
  itemCountWeights: Float64Array;
  hsDigits: number;
  upperCase: boolean;
  vagueRate: number;
  exportShare: number;
  paymentMethod: string | undefined;
  /** Multiplies line masses (big and small importers). */
  scale: number;
  /** Multiplies unit values (premium or budget buyer). */
  priceLevel: number;
}

export interface TraderPopulation {
  traders: Trader[];
  /** Cumulative share of declarations lodged by each trader. */
  weights: Float64Array;
}

// prettier-ignore
const sectorWeights: Readonly<Record<Sector, number>> = {
  apparel: 14, footwear: 5, bags: 4, electronics: 10, computers: 6, appliances: 6, auto: 7,
  machinery: 8, food: 11, beverages: 4, cosmetics: 5, chemicals: 5, metals: 5, home: 7,
  furniture: 4, toys: 4, medical: 2, accessories: 2, paper: 2,
};
/** Share of traders whose usual irregularity is misclassification (where their goods allow it). */
const misclassifierShare = 0.3;

const sectors = Object.values(Sector);
const sectorCumulative = cumulative(sectors.map((s) => sectorWeights[s]));

/** Number of importers for a run of `count` item rows: a few hundred to a few thousand. */
export function populationSize(count: number): number {
  return Math.min(3000, Math.max(200, Math.round(3 * Math.sqrt(count))));
}

/** The trader population for a run; deterministic for the seed and count. */
export function createTraderPopulation(options: { count: number; seed: number }): TraderPopulation {
  const random = new Random(options.seed, 1);
  const size = populationSize(options.count);
  const declarants = Array.from({ length: Math.max(20, Math.round(size / 6)) }, () =>
    alphanumeric(random, 7),
  );
  const declarantWeights = cumulative(declarants.map((_, i) => 1 / (i + 1) ** 0.8));
  const ids = new Set<string>();
  const traders: Trader[] = [];
  while (traders.length < size) {
    const id = `KR${String(random.int(1e10)).padStart(10, '0')}`;
    if (ids.has(id)) continue;
    ids.add(id);
    const declarant = random.chance(0.08) ? id : random.pickWeighted(declarants, declarantWeights);
    traders.push(createTrader(random, id, declarant));
  }
  const weights = cumulative(
    traders.map((t) => random.logNormal(1, 1.1) * (t.tier === RiskTier.High ? 0.8 : 1)),
  );
  return { traders, weights };
}

function alphanumeric(random: Random, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet.charAt(random.int(alphabet.length));
  return text;
}

function createTrader(random: Random, id: string, declarant: string): Trader {
  const modusRoll = random.next();
  const products = chooseProducts(random, modusRoll < misclassifierShare);
  const sellers = Array.from({ length: Math.min(8, 1 + Math.floor(random.logNormal(1.2, 0.7))) }, () =>
    createSeller(random, products),
  );
  const roll = random.next();
  const tier = roll < 0.08 ? RiskTier.High : roll < 0.25 ? RiskTier.Medium : RiskTier.Low;
  const ecommerce = random.chance(0.05);
  return {
    id,
    tier,
    declarant,
    irregularityRate: irregularityRate(random, tier),
    modus: chooseModus(modusRoll, sellers),
    seaOffice: random.pickWeighted(offices.sea, cumulative([40, 35, 15, 10])),
    airOffice: random.pickWeighted(offices.air, cumulative([80, 20])),
    modeWeights: modeWeights(products, ecommerce),
    sellers,
    sellerWeights: cumulative(sellers.map((_, i) => 1 / (i + 1))),
    itemCountWeights: cumulative(random.chance(0.25) ? [40, 20, 15, 15, 10] : [75, 13, 6, 4, 2]),
    hsDigits: random.chance(0.6) ? 6 : random.chance(0.75) ? 10 : 8,
    upperCase: random.chance(0.15),
    vagueRate: random.chance(0.1) ? 0.12 : 0.008,
    exportShare: random.chance(0.15) ? random.between(0.05, 0.3) : 0,
    paymentMethod: random.chance(0.2) ? undefined : random.chance(0.7) ? 'H' : 'E',
    scale: random.logNormal(1, 0.5) * (ecommerce ? 0.2 : 1),
    priceLevel: random.logNormal(1, 0.12),
  };
}

function irregularityRate(random: Random, tier: RiskTier): number {
  if (tier === RiskTier.High) return Math.min(0.7, random.logNormal(0.4, 0.25));
  return random.logNormal(tier === RiskTier.Medium ? 0.1 : 0.035, 0.3);
}

/**
 * A main sector with two to eight of its goods, sometimes a few goods of a second sector. A trader
 * inclined to misclassify deals in goods that have a lower-duty neighbour.
 */
function chooseProducts(random: Random, misclassifier: boolean): Product[] {
  const chosen = new Set<Product>();
  let main = productsBySector.get(random.pickWeighted(sectors, sectorCumulative)) ?? [];
  for (let tries = 0; misclassifier && tries < 10 && !main.some((p) => p.lowerDuty !== undefined); tries++) {
    main = productsBySector.get(random.pickWeighted(sectors, sectorCumulative)) ?? [];
  }
  if (misclassifier) for (const p of main) if (p.lowerDuty !== undefined) chosen.add(p);
  const extra = misclassifier ? 1 : 2 + Math.floor(random.logNormal(1.5, 0.6));
  const wanted = Math.min(main.length, chosen.size + extra);
  while (chosen.size < wanted) chosen.add(random.pick(main));
  if (random.chance(0.3)) {
    const second = productsBySector.get(random.pickWeighted(sectors, sectorCumulative)) ?? [];
    chosen.add(random.pick(second));
  }
  return [...chosen];
}

function createSeller(random: Random, products: Product[]): Seller {
  const anchor = random.pick(products);
  const goodsOrigin = random.pickWeighted(anchor.origins, anchor.originWeights);
  const hub = random.chance(0.07) ? random.pick(hubs.filter((h) => h !== goodsOrigin)) : undefined;
  const country = hub ?? goodsOrigin;
  return {
    name: sellerName(random, country),
    country,
    goodsOrigin,
    currency: invoicesInEuro(country) && random.chance(0.7) ? 'EUR' : 'USD',
    products: products.filter((p) => p === anchor || p.origins.includes(goodsOrigin)),
  };
}

function chooseModus(roll: number, sellers: Seller[]): Irregularity {
  const canMisclassify = sellers.some((s) => s.products.some((p) => p.lowerDuty !== undefined));
  const canFalsify = sellers.some((s) => !preferentialOrigins.has(s.goodsOrigin));
  if (roll < misclassifierShare && canMisclassify) return Irregularity.Misclassification;
  if (roll > 0.72 && canFalsify) return Irregularity.FalseOrigin;
  return Irregularity.Undervaluation;
}

/** Shares of sea, road, air and post: dense, cheap goods go by sea, light valuable goods fly. */
function modeWeights(products: Product[], ecommerce: boolean): Float64Array {
  if (ecommerce) return cumulative([0.08, 0.02, 0.3, 0.6]);
  const density = products.reduce((sum, p) => sum + Math.log10(p.usdPerKg), 0) / products.length;
  const air = Math.min(0.85, Math.max(0.03, (density - 0.6) / 2.2));
  return cumulative([1 - air - 0.02, 0.02, air, 0]);
}
