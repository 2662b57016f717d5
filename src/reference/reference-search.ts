/**
 * The code lists a picker searches, as in force on a declaration's date: HS subheadings of the
 * edition in force, countries, currencies, units, package types, procedures, transport modes and the
 * customs offices valid that day, Incoterms, and the declaration's other coded fields (kinds of transport
 * document, additional procedures, payment methods, kinds of declaration, duty or tax types, kinds of
 * origin: declaration-codes.ts). Each list is the one validation checks against, so a picked code
 * validates. Indexes are built on first use; the offices' index follows the database's list.
 */
import { isSupportedDay, supportedDayText } from '../shared/day.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { codeSearch, type CodeItem, type CodeSearch } from './code-search.ts';
import { loadDeclarationCodes, type DeclarationCodeLists } from './declaration-codes.ts';
import { incotermList } from './incoterms.ts';
import type { OfficeList } from './offices.ts';
import { loadProcedureCodes, loadTransportModes } from './procedures.ts';
import { CodeList, type HsEdition, type ReferenceData } from './reference-data.ts';

export const SearchList = {
  Hs: 'hs',
  Countries: 'countries',
  Currencies: 'currencies',
  Units: 'units',
  PackageTypes: 'package-types',
  Procedures: 'procedures',
  TransportModes: 'transport-modes',
  Incoterms: 'incoterms',
  Offices: 'offices',
  TransportDocuments: 'transport-documents',
  AdditionalProcedures: 'additional-procedures',
  PaymentMethods: 'payment-methods',
  DeclarationKinds: 'declaration-kinds',
  DutyTaxTypes: 'duty-tax-types',
  OriginTypes: 'origin-types',
} as const;
export type SearchList = (typeof SearchList)[keyof typeof SearchList];
export const searchLists: readonly SearchList[] = Object.values(SearchList);

export const searchLimits = { query: 100, limit: 50, defaultLimit: 20, codes: 200 } as const;

export interface SearchAnswer {
  list: SearchList;
  date: string;
  /** For HS: the edition searched; null when none is in force on the date. */
  edition?: HsEdition | null;
  items: CodeItem[];
}

export type SearchError = { code: 'invalid_request'; message: string };

export interface SearchRequest {
  list: string;
  query: string;
  date: string;
  limit: number;
  /**
   * HS only: instead of a search, exactly these 6-digit subheadings, those in the edition in force
   * (in the order asked, each once); at most `searchLimits.codes`.
   */
  codes?: readonly string[];
}

export interface ReferenceSearch {
  search(request: SearchRequest): Result<SearchAnswer, SearchError>;
}

export interface ReferenceSearchSources {
  reference: ReferenceData;
  offices(): OfficeList;
  procedures: readonly CodeItem[];
  transportModes: readonly CodeItem[];
  declarationCodes: DeclarationCodeLists;
}

/**
 * Reads the lists that are not part of the reference data (procedures, transport modes, the
 * declaration's other coded fields) from `dir`.
 */
export async function openReferenceSearch(
  dir: string,
  reference: ReferenceData,
  offices: () => OfficeList,
): Promise<ReferenceSearch> {
  const [procedures, transportModes, declarationCodes] = await Promise.all([
    loadProcedureCodes(dir),
    loadTransportModes(dir),
    loadDeclarationCodes(dir),
  ]);
  return referenceSearch({ reference, offices, procedures, transportModes, declarationCodes });
}

const fixedLists = {
  [SearchList.Countries]: CodeList.Country,
  [SearchList.Currencies]: CodeList.Currency,
  [SearchList.Units]: CodeList.Unit,
  [SearchList.PackageTypes]: CodeList.PackageType,
} as const;

export function referenceSearch(sources: ReferenceSearchSources): ReferenceSearch {
  const { reference } = sources;
  const built = new Map<string, CodeSearch>();
  const once = (key: string, build: () => CodeSearch): CodeSearch => {
    let index = built.get(key);
    if (!index) built.set(key, (index = build()));
    return index;
  };
  const entriesOf = (
    list: CodeList,
    keep: (code: string, validFrom: string | null) => boolean = () => true,
  ) =>
    [...reference.entries()]
      .filter((e) => e.list === list && keep(e.code, e.validFrom))
      .map((e) => ({ code: e.code, description: e.description }));
  const hsIndex = (edition: HsEdition) =>
    once(`hs:${edition}`, () => {
      const from = reference.hsEditions.find((info) => info.edition === edition)?.validFrom ?? null;
      const subheadings = entriesOf(
        CodeList.Hs,
        (code, validFrom) => code.length === 6 && validFrom === from,
      );
      return codeSearch(subheadings, { extendedCodes: true });
    });
  // the offices' list is replaced after a change: one index per list read
  const officeIndexes = new WeakMap<OfficeList, Map<string, CodeSearch>>();
  const officeIndex = (offices: OfficeList, date: string) => {
    const byDate = officeIndexes.get(offices) ?? new Map<string, CodeSearch>();
    officeIndexes.set(offices, byDate);
    let index = byDate.get(date);
    if (!index) {
      const valid = offices.all().filter((o) => offices.standing(o.code, date) === 'in_force');
      index = codeSearch(valid.map((o) => ({ code: o.code, description: `${o.name} (${o.country})` })));
      if (byDate.size > 64) byDate.clear(); // a handful of dates are asked for; never grow unbounded
      byDate.set(date, index);
    }
    return index;
  };

  const itemsOf = (list: Exclude<SearchList, 'hs' | 'offices'>): readonly CodeItem[] => {
    switch (list) {
      case SearchList.Procedures:
        return sources.procedures;
      case SearchList.TransportModes:
        return sources.transportModes;
      case SearchList.Incoterms:
        return incotermList;
      case SearchList.Countries:
      case SearchList.Currencies:
      case SearchList.Units:
      case SearchList.PackageTypes:
        return entriesOf(fixedLists[list]);
      default:
        return sources.declarationCodes[list];
    }
  };

  return {
    search({ list, query, date, limit, codes }) {
      if (!isSearchList(list))
        return err(
          invalid(`there is no code list "${list.slice(0, 30)}"; the lists are ${searchLists.join(', ')}`),
        );
      if (!isSupportedDay(date))
        return err(invalid(`date must be ${supportedDayText}, got "${date.slice(0, 20)}"`));
      if (query.length > searchLimits.query)
        return err(invalid(`q must be at most ${searchLimits.query} characters`));
      if (!Number.isInteger(limit) || limit < 1 || limit > searchLimits.limit)
        return err(invalid(`limit must be a whole number from 1 to ${searchLimits.limit}`));
      if (codes !== undefined) {
        if (list !== SearchList.Hs) return err(invalid(`codes is for the hs list only, not ${list}`));
        if (query !== '') return err(invalid('give either q or codes, not both'));
        if (codes.length === 0 || codes.length > searchLimits.codes)
          return err(
            invalid(`codes must name 1 to ${searchLimits.codes} HS subheadings, got ${codes.length}`),
          );
        const bad = codes.find((c) => !/^\d{6}$/.test(c));
        if (bad !== undefined)
          return err(
            invalid(`codes must be 6-digit HS subheadings separated by commas, got "${bad.slice(0, 20)}"`),
          );
        const edition = reference.hsEditionOn(date) ?? null;
        const items: CodeItem[] = [];
        for (const code of new Set(codes)) {
          const description = edition === null ? undefined : reference.hsDescription(code, date);
          if (description) items.push({ code, description });
        }
        return ok({ list, date, edition, items });
      }
      if (list === SearchList.Hs) {
        const edition = reference.hsEditionOn(date) ?? null;
        const items = edition === null ? [] : hsIndex(edition).search(query, limit);
        return ok({ list, date, edition, items });
      }
      const index =
        list === SearchList.Offices
          ? officeIndex(sources.offices(), date)
          : once(list, () => codeSearch(itemsOf(list)));
      return ok({ list, date, items: index.search(query, limit) });
    },
  };
}

const isSearchList = (list: string): list is SearchList => (searchLists as readonly string[]).includes(list);
const invalid = (message: string): SearchError => ({ code: 'invalid_request', message });
