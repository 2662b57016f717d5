/**
 * The one place where declaration data becomes shared data: a stored declaration reduced to the
 * fields an agreement grants (the data dictionary's paths, declarations/catalog.ts), and, under a
 * pseudonymised agreement, every party identifier replaced by its keyed pseudonym. The feed and the
 * webhook both send what this gives, and nothing else.
 */
import { catalogMappings } from '../declarations/catalog.ts';
import type { DeclarationInput, GoodsItem } from '../declarations/model.ts';
import type { Pseudonymise } from '../governance/pseudonyms.ts';
import { SharingLevel } from './in-force.ts';

/** A declaration as stored: its id and what was declared. */
export type StoredDeclaration = DeclarationInput & { id: number };

type HeaderField = Exclude<keyof DeclarationInput, 'items'>;
type ItemField = Exclude<keyof GoodsItem, 'sequence'>;

/** A granted value; null where the declaration holds none. */
export type SharedValue = string | number | null;

export interface SharedItem {
  sequence: number;
  [field: string]: SharedValue;
}

/** What a partner agency receives of one declaration. */
export interface SharedDeclaration {
  id: number;
  items?: SharedItem[];
  [field: string]: SharedValue | SharedItem[] | undefined;
}

/**
 * The identifiers of parties, replaced under a pseudonymised agreement. The functional reference is
 * one too: traders often build it from their own identifier.
 */
export const partyFields: readonly HeaderField[] = [
  'trader',
  'declarant',
  'seller',
  'buyer',
  'courier',
  'exporter',
  'functionalReference',
];

const itemPrefix = 'items[].';
const known = new Set(catalogMappings.map(([path]) => path));

/** The granted header fields and item fields of an agreement, in the data dictionary's order. */
export function grantedFields(fields: readonly string[]): {
  header: HeaderField[];
  items: ItemField[] | null;
} {
  const granted = new Set(fields.filter((f) => known.has(f)));
  const header: HeaderField[] = [];
  const items: ItemField[] = [];
  for (const [path] of catalogMappings) {
    if (!granted.has(path) || path === 'items' || path === 'items[].sequence') continue;
    if (path.startsWith(itemPrefix)) items.push(path.slice(itemPrefix.length) as ItemField);
    else header.push(path as HeaderField);
  }
  const anyItem = items.length > 0 || granted.has('items') || granted.has('items[].sequence');
  return { header, items: anyItem ? items : null };
}

export interface ProjectionTerms {
  id: number;
  fields: readonly string[];
  level: SharingLevel;
  /** The HS code prefixes the agreement covers; empty: every item. */
  hsPrefixes: readonly string[];
}

/** Whether the agreement covers a goods item: its HS code starts with one of the prefixes (or none is set). */
export const coversItem = (hsPrefixes: readonly string[], item: Pick<GoodsItem, 'hsCode'>): boolean =>
  hsPrefixes.length === 0 || hsPrefixes.some((prefix) => item.hsCode.startsWith(prefix));

/**
 * The declaration as the agreement lets its agency receive it: its id, the granted fields only
 * (goods items with their sequence and granted item fields; under an agreement limited to HS codes,
 * only the items of those codes: the other goods of the declaration are not the agency's), and
 * under a pseudonymised agreement
 * every party identifier as its pseudonym (`pseudonymise` is then required). An aggregated
 * agreement shares no declaration, so projecting under it throws.
 */
export function project(
  declaration: StoredDeclaration,
  agreement: ProjectionTerms,
  pseudonymise?: Pseudonymise,
): SharedDeclaration {
  if (agreement.level === SharingLevel.Aggregated)
    throw new Error(`agreement ${agreement.id} shares aggregates only, never a declaration`);
  const pseudonymised = agreement.level === SharingLevel.Pseudonymised;
  if (pseudonymised && !pseudonymise)
    throw new Error(`agreement ${agreement.id} is pseudonymised: a pseudonym function is required`);
  const { header, items } = grantedFields(agreement.fields);
  const out: SharedDeclaration = { id: declaration.id };
  for (const field of header) {
    const value = declaration[field] ?? null;
    out[field] =
      pseudonymise && pseudonymised && partyFields.includes(field) && value !== null
        ? pseudonymise(String(value))
        : value;
  }
  if (items !== null)
    out.items = declaration.items
      .filter((item) => coversItem(agreement.hsPrefixes, item))
      .map((item) => {
        const shared: SharedItem = { sequence: item.sequence };
        for (const field of items) shared[field] = item[field] ?? null;
        return shared;
      });
  return out;
}
