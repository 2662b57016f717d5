/**
 * The goods the demo traders import: HS subheadings that exist unchanged in both HS 2017 and
 * HS 2022, each with trader wording, a typical duty rate, a median unit value and the countries it
 * usually comes from. Values and rates are plausible, not official.
 */
import { at, cumulative } from './random.ts';

export const Sector = {
  Apparel: 'apparel',
  Footwear: 'footwear',
  Bags: 'bags',
  Electronics: 'electronics',
  Computers: 'computers',
  Appliances: 'appliances',
  Auto: 'auto',
  Machinery: 'machinery',
  Food: 'food',
  Beverages: 'beverages',
  Cosmetics: 'cosmetics',
  Chemicals: 'chemicals',
  Metals: 'metals',
  Home: 'home',
  Furniture: 'furniture',
  Toys: 'toys',
  Medical: 'medical',
  Accessories: 'accessories',
  Paper: 'paper',
} as const;
export type Sector = (typeof Sector)[keyof typeof Sector];

/** One kind of goods in the catalogue. */
export interface Product {
  hsCode: string;
  /** The code with national digits appended, as some traders declare it. */
  hsCode8: string;
  hsCode10: string;
  sector: Sector;
  description: string;
  upperDescription: string;
  /** Most-favoured-nation duty rate, percent. */
  dutyRate: number;
  /** Median customs value per kilogram in USD, before the origin's price factor. */
  usdPerKg: number;
  /** Typical net mass of one sea-freight item line, kg. */
  lineKg: number;
  packageType: string;
  origins: string[];
  originWeights: Float64Array;
  /** Supplementary unit (UN/ECE Rec 20) and the net kilograms of one unit. */
  unit?: { code: string; kgPerUnit: number };
  /** A related subheading with a lower duty, used to inject misclassification. */
  lowerDuty?: Product;
}

// prettier-ignore
type Row = [hs: string, sector: Sector, description: string, duty: number, usdPerKg: number, lineKg: number,
  pack: string, origins: string, unit?: string, lowerDuty?: string];

const S = Sector;
// prettier-ignore
const rows: Row[] = [
  ['610910', S.Apparel, 'cotton t-shirts, knitted', 13, 18, 300, 'CT', 'CN:35 VN:25 BD:15 IN:10 KH:5 TR:5 IT:5', 'NAR:0.18', '630790'],
  ['611020', S.Apparel, 'cotton sweaters and cardigans', 13, 22, 250, 'CT', 'CN:40 VN:20 BD:10 IT:10 IN:10 TR:10', 'NAR:0.45'],
  ['611030', S.Apparel, 'polyester fleece pullovers', 13, 15, 250, 'CT', 'CN:50 VN:25 BD:15 KH:10', 'NAR:0.4'],
  ['620342', S.Apparel, "men's cotton jeans", 13, 16, 400, 'CT', 'CN:30 BD:25 VN:15 PK:10 TR:10 MX:5 IT:5', 'NAR:0.65'],
  ['620462', S.Apparel, "women's cotton trousers, woven", 13, 18, 250, 'CT', 'CN:40 VN:20 BD:15 IN:15 IT:10', 'NAR:0.45'],
  ['620520', S.Apparel, "men's cotton shirts", 13, 24, 200, 'CT', 'CN:35 VN:20 BD:15 IN:15 IT:10 TR:5', 'NAR:0.25'],
  ['630231', S.Apparel, 'cotton bed sheets', 13, 12, 300, 'CT', 'CN:40 IN:30 PK:20 TR:10', undefined, '630790'],
  ['630260', S.Apparel, 'cotton bath towels', 13, 9, 400, 'CT', 'CN:35 IN:30 PK:20 TR:15', undefined, '630790'],
  ['630790', S.Apparel, 'textile made-up articles (masks, covers)', 10, 10, 200, 'CT', 'CN:70 VN:20 IN:10'],
  ['640411', S.Footwear, 'running shoes, textile upper, rubber sole', 13, 30, 300, 'CT', 'VN:40 CN:35 ID:15 IN:5 KH:5', 'PR:0.8', '640299'],
  ['640399', S.Footwear, 'leather shoes', 13, 45, 200, 'CT', 'CN:30 VN:25 IT:20 ES:10 IN:10 PT:5', 'PR:0.9', '640299'],
  ['640299', S.Footwear, 'rubber sandals and slippers', 8, 8, 400, 'CT', 'CN:60 VN:25 TH:10 BR:5', 'PR:0.5'],
  ['640419', S.Footwear, 'canvas sneakers', 13, 15, 300, 'CT', 'CN:50 VN:35 ID:15', 'PR:0.7', '640299'],
  ['420221', S.Bags, 'leather handbags', 8, 120, 60, 'CT', 'IT:30 FR:20 CN:25 VN:10 ES:5 IN:10', 'NAR:0.8', '420222'],
  ['420222', S.Bags, 'handbags of nylon or polyester', 6.5, 20, 150, 'CT', 'CN:70 VN:20 IN:10', 'NAR:0.5'],
  ['420292', S.Bags, 'backpacks and travel bags, polyester', 8, 12, 300, 'CT', 'CN:65 VN:25 KH:10', 'NAR:0.9', '420222'],
  ['420212', S.Bags, 'suitcases, hard plastic shell', 8, 10, 400, 'CT', 'CN:75 DE:10 VN:10 IT:5', 'NAR:3.5'],
  ['850760', S.Electronics, 'lithium-ion batteries for laptops', 8, 40, 150, 'CT', 'CN:60 JP:15 VN:10 MY:10 PL:5', 'NAR:0.3', '847330'],
  ['851762', S.Electronics, 'wi-fi routers and network switches', 0, 90, 80, 'CT', 'CN:50 VN:20 TW:15 MY:10 US:5', 'NAR:0.6'],
  ['852872', S.Electronics, 'LED television sets', 8, 25, 600, 'CT', 'CN:45 MX:20 VN:15 MY:10 PL:10', 'NAR:15', '852852'],
  ['852852', S.Electronics, 'computer monitors', 0, 28, 500, 'CT', 'CN:70 TW:10 VN:10 MY:10', 'NAR:5'],
  ['854231', S.Electronics, 'microprocessors and microcontrollers', 0, 20000, 3, 'BX', 'TW:40 US:15 MY:15 JP:10 CN:10 PH:10', 'NAR:0.005'],
  ['850440', S.Electronics, 'power adapters and chargers', 8, 25, 200, 'CT', 'CN:80 VN:15 TH:5', 'NAR:0.15', '847330'],
  ['851830', S.Electronics, 'wireless earphones and headsets', 8, 150, 50, 'CT', 'CN:70 VN:20 JP:5 US:5', 'NAR:0.1', '847160'],
  ['853400', S.Electronics, 'printed circuit boards', 0, 60, 100, 'CT', 'CN:50 TW:25 JP:15 TH:10'],
  ['854442', S.Electronics, 'USB and power cables with connectors', 8, 12, 400, 'CT', 'CN:75 VN:15 PH:10', undefined, '854470'],
  ['854470', S.Electronics, 'fibre optic cables', 0, 15, 300, 'RL', 'CN:50 US:20 JP:20 DE:10'],
  ['847130', S.Computers, 'laptop computers', 0, 180, 100, 'CT', 'CN:65 TW:10 VN:10 TH:5 US:5 JP:5', 'NAR:2'],
  ['847150', S.Computers, 'computer servers and processing units', 0, 80, 200, 'CT', 'CN:40 MX:20 US:20 TW:20', 'NAR:15'],
  ['847160', S.Computers, 'keyboards, mice and other input devices', 0, 30, 150, 'CT', 'CN:80 VN:10 TH:10', 'NAR:0.3'],
  ['847170', S.Computers, 'hard disk drives and storage units', 0, 120, 60, 'CT', 'TH:40 MY:30 CN:20 PH:10', 'NAR:0.7'],
  ['847330', S.Computers, 'computer parts (motherboards, memory modules)', 0, 250, 40, 'BX', 'CN:50 TW:30 MY:10 VN:10'],
  ['852351', S.Computers, 'USB flash drives and SSDs', 0, 400, 20, 'BX', 'CN:50 TW:25 MY:15 JP:10', 'NAR:0.03'],
  ['844331', S.Computers, 'multifunction printers', 0, 25, 300, 'CT', 'CN:50 VN:20 PH:15 JP:15', 'NAR:8'],
  ['851660', S.Appliances, 'microwave ovens and electric cookers', 8, 9, 800, 'CT', 'CN:70 TH:15 MY:10 DE:5', 'NAR:12'],
  ['850980', S.Appliances, 'blenders and food processors', 8, 12, 500, 'CT', 'CN:75 DE:10 TR:10 US:5', 'NAR:3'],
  ['851631', S.Appliances, 'hair dryers', 8, 20, 200, 'CT', 'CN:80 DE:10 IT:10', 'NAR:0.6'],
  ['851671', S.Appliances, 'coffee machines, household', 8, 20, 400, 'CT', 'CN:40 CH:20 IT:20 DE:20', 'NAR:4'],
  ['841821', S.Appliances, 'household refrigerators', 8, 5, 3000, 'CT', 'CN:40 TH:20 MX:10 DE:10 US:10 PL:10', 'NAR:60'],
  ['845011', S.Appliances, 'washing machines, front loading', 8, 5, 3000, 'CT', 'CN:40 TH:20 DE:20 VN:10 PL:10', 'NAR:65'],
  ['851010', S.Appliances, 'electric shavers', 8, 60, 50, 'CT', 'CN:50 NL:20 DE:15 JP:15', 'NAR:0.3'],
  ['870323', S.Auto, 'passenger cars, petrol, 1500-3000 cc', 8, 25, 3000, 'NE', 'DE:45 JP:20 US:15 GB:5 SE:5 IT:5 SK:5', 'NAR:1500'],
  ['870380', S.Auto, 'electric passenger cars', 8, 30, 4000, 'NE', 'US:40 DE:30 CN:20 SE:10', 'NAR:2000'],
  ['870899', S.Auto, 'automotive parts (brackets, trims)', 8, 15, 500, 'CT', 'DE:25 JP:20 CN:25 US:15 MX:10 CZ:5'],
  ['870830', S.Auto, 'brake pads and discs', 8, 8, 800, 'CT', 'CN:40 DE:25 JP:15 US:10 IT:10'],
  ['401110', S.Auto, 'passenger car tyres, new', 8, 4, 2000, 'NE', 'CN:30 JP:20 TH:20 DE:10 VN:10 ID:10', 'NAR:9'],
  ['871200', S.Auto, 'bicycles', 8, 20, 400, 'CT', 'TW:35 CN:40 DE:10 VN:10 IT:5', 'NAR:14'],
  ['848180', S.Machinery, 'industrial valves for pipes', 8, 20, 400, 'CS', 'DE:25 CN:30 IT:15 JP:15 US:15'],
  ['848210', S.Machinery, 'ball bearings', 8, 12, 600, 'CS', 'JP:30 CN:30 DE:20 SE:10 US:10'],
  ['841480', S.Machinery, 'air compressors', 8, 10, 700, 'PX', 'CN:40 DE:20 US:15 IT:15 JP:10', 'NAR:40'],
  ['846721', S.Machinery, 'electric drills, handheld', 8, 15, 400, 'CT', 'CN:70 DE:15 JP:10 MY:5', 'NAR:2'],
  ['853710', S.Machinery, 'electrical control panels', 8, 40, 300, 'CR', 'DE:30 CN:30 JP:20 FR:10 US:10', 'NAR:30', '853400'],
  ['843149', S.Machinery, 'excavator parts', 8, 6, 2000, 'PX', 'JP:35 CN:30 US:20 DE:15'],
  ['847989', S.Machinery, 'industrial machines (dispensers, robots)', 8, 30, 1000, 'CR', 'DE:30 JP:30 CN:25 US:15'],
  ['080390', S.Food, 'fresh bananas', 30, 0.9, 18000, 'CT', 'PH:70 EC:15 GT:10 CR:5'],
  ['090111', S.Food, 'green coffee beans', 2, 4, 15000, 'BG', 'BR:30 CO:20 VN:20 ET:15 GT:10 PE:5'],
  ['090121', S.Food, 'roasted coffee beans', 8, 14, 2000, 'BG', 'US:35 IT:30 CH:15 JP:10 DE:10', undefined, '090111'],
  ['180690', S.Food, 'chocolate and cocoa confectionery', 8, 9, 3000, 'CT', 'BE:25 CH:20 DE:20 US:20 IT:15'],
  ['030617', S.Food, 'frozen shrimp', 20, 9, 10000, 'CT', 'VN:35 TH:25 EC:20 IN:15 ID:5'],
  ['020230', S.Food, 'frozen boneless beef', 40, 8, 20000, 'CT', 'AU:45 US:40 NZ:10 CA:5'],
  ['020714', S.Food, 'frozen chicken cuts', 20, 2.5, 20000, 'CT', 'BR:70 US:20 TH:10'],
  ['040690', S.Food, 'cheese (cheddar, gouda, mozzarella)', 36, 6, 8000, 'CT', 'US:30 NZ:20 AU:15 FR:10 NL:10 DE:10 IT:5', undefined, '210690'],
  ['080610', S.Food, 'fresh table grapes', 45, 3, 15000, 'CT', 'CL:50 PE:30 US:20'],
  ['151190', S.Food, 'refined palm oil', 3, 1, 40000, 'DR', 'MY:60 ID:40'],
  ['170199', S.Food, 'refined white sugar', 3, 0.55, 50000, 'BG', 'TH:50 AU:30 BR:20'],
  ['190590', S.Food, 'biscuits and crackers', 8, 4, 4000, 'CT', 'US:20 DE:15 MY:15 ID:15 BE:10 IT:10 CN:15'],
  ['210690', S.Food, 'food supplements and preparations', 8, 15, 1500, 'CT', 'US:50 AU:15 DE:10 NZ:10 JP:10 CN:5'],
  ['220421', S.Beverages, 'red wine, bottled', 15, 7, 6000, 'CT', 'FR:30 IT:20 CL:20 US:15 ES:10 AU:5', 'LTR:1'],
  ['220830', S.Beverages, 'scotch whisky', 20, 25, 3000, 'CT', 'GB:85 US:10 JP:5', 'LTR:0.95'],
  ['220300', S.Beverages, 'beer in cans', 30, 1.5, 20000, 'CT', 'CN:25 JP:20 NL:15 DE:15 BE:10 US:15', 'LTR:1'],
  ['330499', S.Cosmetics, 'skin care creams and serums', 6.5, 40, 500, 'CT', 'FR:30 US:25 JP:20 IT:10 CN:15'],
  ['330510', S.Cosmetics, 'shampoos', 6.5, 6, 2000, 'CT', 'US:30 FR:20 JP:20 TH:15 CN:15', 'LTR:1'],
  ['330300', S.Cosmetics, 'perfumes, eau de toilette', 6.5, 80, 300, 'CT', 'FR:60 IT:15 US:15 ES:10', 'LTR:0.9'],
  ['340111', S.Cosmetics, 'toilet soap bars', 8, 3, 5000, 'CT', 'TH:25 MY:20 ID:20 FR:15 TR:20'],
  ['390110', S.Chemicals, 'LDPE granules', 6.5, 1.3, 25000, 'BG', 'SA:35 US:25 SG:20 QA:10 TH:10'],
  ['390210', S.Chemicals, 'polypropylene resin', 6.5, 1.2, 25000, 'BG', 'SA:35 SG:25 TH:20 CN:10 IN:10'],
  ['400122', S.Chemicals, 'natural rubber TSR 20', 0, 1.5, 20000, 'BL', 'TH:50 ID:30 MY:10 VN:10'],
  ['271019', S.Chemicals, 'lubricating oils', 7, 2, 15000, 'DR', 'US:30 SG:25 NL:15 AE:15 JP:15', 'LTR:0.88'],
  ['392690', S.Chemicals, 'plastic articles (clips, covers, fittings)', 6.5, 8, 500, 'CT', 'CN:70 VN:10 TH:10 DE:10'],
  ['721049', S.Metals, 'galvanised steel coils', 0, 0.8, 50000, 'CL', 'CN:40 JP:30 IN:15 VN:15'],
  ['731815', S.Metals, 'steel bolts and screws', 8, 3, 5000, 'CT', 'CN:50 TW:25 JP:15 DE:10'],
  ['732690', S.Metals, 'steel hardware (hooks, brackets, wire articles)', 8, 4, 2000, 'CT', 'CN:75 VN:15 IN:10'],
  ['740311', S.Metals, 'copper cathodes', 3, 9, 25000, 'BE', 'CL:45 PE:25 AU:15 ZM:15'],
  ['760611', S.Metals, 'aluminium plates', 8, 3.2, 20000, 'PX', 'CN:40 AU:20 IN:20 MY:20'],
  ['830140', S.Metals, 'padlocks and door locks', 8, 10, 800, 'CT', 'CN:70 TW:15 DE:10 IT:5'],
  ['691110', S.Home, 'porcelain tableware', 8, 4, 2000, 'CT', 'CN:60 TH:15 DE:10 GB:5 VN:10'],
  ['701349', S.Home, 'glass kitchenware', 8, 3, 2000, 'CT', 'CN:60 TR:15 FR:15 ID:10'],
  ['392410', S.Home, 'plastic kitchenware', 6.5, 5, 1000, 'CT', 'CN:75 VN:15 TH:10'],
  ['732393', S.Home, 'stainless steel kitchenware', 8, 9, 1500, 'CT', 'CN:60 IN:15 VN:10 DE:10 IT:5'],
  ['961700', S.Home, 'vacuum flasks and tumblers', 8, 12, 800, 'CT', 'CN:80 VN:10 JP:10', 'NAR:0.4'],
  ['960321', S.Home, 'toothbrushes', 8, 15, 300, 'CT', 'CN:60 DE:15 CH:10 US:15', 'NAR:0.02'],
  ['940360', S.Furniture, 'wooden furniture (tables, shelves)', 0, 4, 1500, 'CT', 'CN:40 VN:35 MY:10 ID:10 IT:5'],
  ['940161', S.Furniture, 'upholstered sofas and chairs, wooden frame', 8, 6, 1500, 'CT', 'CN:50 VN:30 IT:10 MY:10', 'NAR:25', '940360'],
  ['940171', S.Furniture, 'office chairs, metal frame, upholstered', 8, 6, 1500, 'CT', 'CN:70 VN:15 DE:10 PL:5', 'NAR:15', '940320'],
  ['940320', S.Furniture, 'metal furniture (racks, bed frames)', 0, 3, 1500, 'CT', 'CN:75 VN:15 TW:10'],
  ['940429', S.Furniture, 'mattresses', 8, 5, 2000, 'PK', 'CN:50 VN:30 US:10 DE:10', 'NAR:25'],
  ['950300', S.Toys, 'toys (plastic figures, building blocks)', 8, 10, 800, 'CT', 'CN:75 VN:10 DK:10 ID:5', undefined, '392690'],
  ['950450', S.Toys, 'video game consoles', 8, 70, 100, 'CT', 'CN:80 VN:10 JP:10', 'NAR:3', '847150'],
  ['950662', S.Toys, 'inflatable balls (footballs, basketballs)', 8, 9, 500, 'CT', 'CN:40 PK:30 VN:20 TH:10', 'NAR:0.45', '392690'],
  ['950691', S.Toys, 'fitness equipment (dumbbells, treadmills)', 8, 3, 2000, 'CT', 'CN:80 TW:15 US:5'],
  ['901890', S.Medical, 'medical instruments (catheters, syringes)', 8, 60, 200, 'CT', 'US:35 DE:20 JP:15 CN:15 IE:10 MX:5'],
  ['300490', S.Medical, 'packaged medicines (tablets)', 8, 200, 200, 'CT', 'US:25 DE:20 CH:20 IN:15 FR:10 IE:10'],
  ['910211', S.Accessories, 'digital wrist-watches', 8, 300, 20, 'BX', 'CN:50 CH:20 JP:20 HK:10', 'NAR:0.06'],
  ['711319', S.Accessories, 'gold jewellery', 8, 45000, 2, 'BX', 'IT:40 TR:20 IN:20 HK:10 US:10'],
  ['900410', S.Accessories, 'sunglasses', 8, 120, 30, 'BX', 'CN:60 IT:30 US:10', 'NAR:0.05'],
  ['481910', S.Paper, 'corrugated cardboard boxes', 8, 1.2, 5000, 'BE', 'CN:60 VN:20 TH:20'],
  ['490199', S.Paper, 'printed books', 0, 8, 1000, 'CT', 'US:40 GB:30 CN:20 DE:10'],
];

function parseWeights(spec: string): { keys: string[]; weights: number[] } {
  const pairs = spec.split(' ').map((pair) => pair.split(':'));
  return { keys: pairs.map(([key]) => key ?? ''), weights: pairs.map(([, w]) => Number(w)) };
}

function toProduct([hs, sector, description, duty, usdPerKg, lineKg, pack, origins, unit]: Row): Product {
  const { keys, weights } = parseWeights(origins);
  const product: Product = {
    hsCode: hs,
    hsCode8: `${hs}00`,
    hsCode10: `${hs}0000`,
    sector,
    description,
    upperDescription: description.toUpperCase(),
    dutyRate: duty,
    usdPerKg,
    lineKg,
    packageType: pack,
    origins: keys,
    originWeights: cumulative(weights),
  };
  if (unit !== undefined) {
    const [code = '', kg = ''] = unit.split(':');
    product.unit = { code, kgPerUnit: Number(kg) };
  }
  return product;
}

/** Every product of the catalogue, in catalogue order. */
export const products: readonly Product[] = rows.map(toProduct);

/** Products by six-digit HS code. */
export const productByHs: ReadonlyMap<string, Product> = new Map(products.map((p) => [p.hsCode, p]));

// Each product with a lower-duty neighbour points at it; a neighbour missing or not cheaper is a bug.
rows.forEach(([hs, , , , , , , , , lowerHs], i) => {
  if (lowerHs === undefined) return;
  const source = at(products, i);
  const target = productByHs.get(lowerHs);
  if (target === undefined || target.dutyRate >= source.dutyRate) {
    throw new Error(`catalogue: ${hs} needs a lower-duty neighbour, got ${lowerHs}`);
  }
  source.lowerDuty = target;
});

/** Products grouped by sector. */
export const productsBySector: ReadonlyMap<Sector, readonly Product[]> = new Map(
  Object.values(Sector).map((s) => [s, products.filter((p) => p.sector === s)]),
);
