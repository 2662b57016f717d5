/**
 * Country facts the demo generator uses: price levels by origin, preferential (FTA) origins,
 * the euro area, transit hubs and how sellers in each country are named.
 */
import type { Random } from './random.ts';

/** The declaring administration's own country (exports leave from here). */
export const homeCountry = 'KR';

/** Multiplier on a product's median unit value by country of origin. */
// prettier-ignore
const priceFactor: ReadonlyMap<string, number> = new Map(Object.entries({
  CN: 0.75, VN: 0.7, BD: 0.55, IN: 0.65, KH: 0.6, PK: 0.6, ID: 0.7, TH: 0.85, MY: 0.9, PH: 0.8,
  TR: 0.85, MX: 0.85, BR: 0.85, TW: 1.1, JP: 1.5, KR: 1.3, DE: 1.6, US: 1.4, IT: 1.7, FR: 1.7,
  GB: 1.5, CH: 2, ES: 1.2, PT: 1.1, NL: 1.3, BE: 1.3, SE: 1.5, DK: 1.5, IE: 1.4, AU: 1.2, NZ: 1.2,
  CA: 1.2, CL: 0.95, PE: 0.9, EC: 0.9, CO: 0.9, ET: 0.8, GT: 0.85, CR: 0.9, SA: 0.9, QA: 0.9,
  AE: 0.95, SG: 1.1, HK: 1, ZA: 0.9, ZM: 0.9, PL: 1, CZ: 1.1, SK: 1.1,
}));

/** The price factor of an origin, 1 when unknown. */
export function originPriceFactor(country: string): number {
  return priceFactor.get(country) ?? 1;
}

/** Origins whose goods enter at a preferential (free-trade-agreement) rate. */
// prettier-ignore
export const preferentialOrigins: ReadonlySet<string> = new Set(['VN', 'TH', 'MY', 'ID', 'PH', 'SG', 'KH', 'CL', 'PE', 'AU']);

/** Preferential origins a false-origin declaration typically claims. */
export const falseOriginTargets: readonly string[] = ['VN', 'TH', 'MY', 'ID', 'KH'];

const euroArea: ReadonlySet<string> = new Set(['DE', 'FR', 'IT', 'ES', 'PT', 'NL', 'BE', 'IE', 'SK']);

/** True when sellers in the country usually invoice in EUR. */
export function invoicesInEuro(country: string): boolean {
  return euroArea.has(country);
}

/** Transit and trading hubs whose sellers resell goods made elsewhere. */
export const hubs: readonly string[] = ['HK', 'SG', 'NL'];

const cities: Readonly<Record<string, readonly string[]>> = {
  CN: ['Shenzhen', 'Guangzhou', 'Ningbo', 'Yiwu', 'Dongguan', 'Xiamen', 'Qingdao', 'Shanghai'],
  VN: ['Hanoi', 'Saigon', 'Haiphong', 'Binh Duong', 'Da Nang'],
  JP: ['Osaka', 'Tokyo', 'Nagoya', 'Yokohama', 'Kobe'],
  DE: ['Hamburg', 'Munich', 'Stuttgart', 'Bremen', 'Cologne'],
  US: ['Pacific', 'Atlantic', 'Midwest', 'Lone Star', 'Golden Gate'],
  IT: ['Milano', 'Firenze', 'Torino', 'Veneto', 'Napoli'],
  FR: ['Paris', 'Lyon', 'Bordeaux', 'Marseille'],
  GB: ['London', 'Highland', 'Thames', 'Northern'],
  TW: ['Taipei', 'Taichung', 'Kaohsiung', 'Hsinchu'],
  IN: ['Mumbai', 'Tiruppur', 'Chennai', 'Delhi', 'Ludhiana'],
  HK: ['Kowloon', 'Victoria', 'Harbour'],
};

// prettier-ignore
const suffixes: Readonly<Record<string, string>> = {
  DE: 'GmbH', US: 'Inc.', IT: 'S.r.l.', FR: 'SAS', GB: 'Ltd', ES: 'S.L.', NL: 'B.V.', BE: 'NV',
  CH: 'AG', AU: 'Pty Ltd', IN: 'Pvt. Ltd.', SE: 'AB', BR: 'Ltda.', MX: 'S.A. de C.V.',
};

// prettier-ignore
const names = [
  'Golden', 'Sunrise', 'Everbright', 'Star', 'Ocean', 'Prime', 'Union', 'Orient', 'Delta', 'Summit',
  'Harmony', 'Pioneer', 'Crystal', 'Evergreen', 'Silver', 'Jade', 'Phoenix', 'Horizon', 'Atlas', 'Nova',
];
const trades = ['Trading', 'Industrial', 'Manufacturing', 'Import & Export', 'International', 'Supply'];

/** A plausible company name for a seller in `country`, e.g. 'Ningbo Sunrise Trading Co., Ltd.'. */
export function sellerName(random: Random, country: string): string {
  const place = cities[country];
  const prefix = place === undefined ? random.pick(names) : `${random.pick(place)} ${random.pick(names)}`;
  const suffix = suffixes[country] ?? 'Co., Ltd.';
  return `${prefix} ${random.pick(trades)} ${suffix}`;
}
