/**
 * The terms of a data-sharing agreement and their check: the fields granted (data dictionary paths
 * or WCO IDs, stored as paths), the declarations covered (HS prefixes, procedures, offices,
 * declaration types, each against its code list), the level, the delivery and the validity days.
 * A refusal names the field of the terms and the values that are wrong.
 */
import type { Catalog, CatalogEntry } from '../declarations/catalog.ts';
import { DeclarationType } from '../declarations/model.ts';
import { endpointProblem, type EndpointPolicy } from '../exchange/endpoint.ts';
import { loadProcedureCodes } from '../reference/procedures.ts';
import type { ReferenceData } from '../reference/reference-data.ts';
import { isSupportedDay, supportedDayText } from '../shared/day.ts';

export const SharingLevel = {
  /** Identifiers as declared. */
  Identified: 'identified',
  /** Every party identifier replaced by its keyed pseudonym, release label `agreement-<id>`. */
  Pseudonymised: 'pseudonymised',
  /** Counts and sums only; no declaration-level data. */
  Aggregated: 'aggregated',
} as const;
export type SharingLevel = (typeof SharingLevel)[keyof typeof SharingLevel];
export const sharingLevels: readonly SharingLevel[] = Object.values(SharingLevel);

export const Delivery = { Feed: 'feed', Webhook: 'webhook', Both: 'both' } as const;
export type Delivery = (typeof Delivery)[keyof typeof Delivery];
export const deliveries: readonly Delivery[] = Object.values(Delivery);

/** The declarations an agreement covers; an empty list is no restriction on that dimension. */
export interface AgreementFilters {
  /** HS chapters, headings or subheadings: 2, 4 or 6 digits. */
  hsPrefixes: string[];
  /** Requested procedures (2 digits) or procedure codes (4 digits: requested and previous). */
  procedures: string[];
  offices: string[];
  declarationTypes: string[];
}

export interface AgreementTerms {
  agency: string;
  purpose: string;
  legalBasis: string;
  /** Catalog paths or WCO IDs as given; stored as catalog paths. */
  fields: string[];
  filters: AgreementFilters;
  level: SharingLevel;
  delivery: Delivery;
  webhookUrl: string | null;
  validFrom: string;
  validTo: string;
}

/** Where the terms are checked: the dictionary, the code lists and the rules for webhook addresses. */
export interface TermsContext {
  catalog: Catalog;
  reference: ReferenceData;
  /** Procedure codes of the list: each requested procedure (2 digits) and each pair (4 digits). */
  procedures: ReadonlySet<string>;
  policy: EndpointPolicy;
  today: string;
}

/** The procedure codes of the reference folder's list: each pair (4 digits) and its requested procedure (2). */
export async function loadProcedureSet(referenceDir: string): Promise<ReadonlySet<string>> {
  const pairs = await loadProcedureCodes(referenceDir);
  return new Set(pairs.flatMap((p) => [p.code, p.code.slice(0, 2)]));
}

/** The field of the terms a refusal is about, as the API's body names it. */
export type TermsField =
  | 'agency'
  | 'purpose'
  | 'legalBasis'
  | 'fields'
  | 'filters.hsPrefixes'
  | 'filters.procedures'
  | 'filters.offices'
  | 'filters.declarationTypes'
  | 'level'
  | 'delivery'
  | 'webhookUrl'
  | 'validFrom'
  | 'validTo';

export interface TermsProblem {
  field: TermsField;
  message: string;
}

/** A field granted, as shown: its path, WCO Data Model ID and name. */
export interface GrantedField {
  path: string;
  wcoId: string;
  name: string;
}

const quoted = (list: readonly string[]) => list.map((v) => `"${v.slice(0, 40)}"`).join(', ');

/** The catalog paths of the fields given as paths or WCO IDs, or the ones that are neither. */
export function grantedPaths(
  catalog: Catalog,
  given: readonly string[],
): { ok: true; paths: string[] } | { ok: false; problem: TermsProblem } {
  const chosen = catalog.entries.filter((e) => e.type !== 'list');
  const paths = new Set<string>();
  const unknown: string[] = [];
  const groups: string[] = [];
  for (const raw of given) {
    const value = raw.trim();
    const byPath = catalog.entries.find((e) => e.path === value);
    if (byPath?.type === 'list') {
      groups.push(value);
      continue;
    }
    const matches: readonly CatalogEntry[] = byPath ? [byPath] : chosen.filter((e) => e.wcoId === value);
    if (matches.length === 0) unknown.push(value);
    for (const m of matches) paths.add(m.path);
  }
  if (unknown.length > 0)
    return {
      ok: false,
      problem: {
        field: 'fields',
        message: `not a field of the data dictionary (a path such as items[].hsCode or a WCO ID such as 145): ${quoted(unknown)}`,
      },
    };
  if (groups.length > 0)
    return {
      ok: false,
      problem: {
        field: 'fields',
        message: `${quoted(groups)} is a group: grant its fields, e.g. items[].hsCode`,
      },
    };
  if (paths.size === 0)
    return { ok: false, problem: { field: 'fields', message: 'grant at least one field' } };
  const order = catalog.entries.map((e) => e.path);
  return { ok: true, paths: [...paths].sort((a, b) => order.indexOf(a) - order.indexOf(b)) };
}

/** The stored paths with their WCO ID and name (a path the dictionary no longer has keeps its path). */
export const grantedFields = (catalog: Catalog, paths: readonly string[]): GrantedField[] =>
  paths.map((path) => {
    const entry = catalog.entryOf(path);
    return { path, wcoId: entry?.wcoId ?? '', name: entry?.name ?? path };
  });

const hsPrefix = /^(\d{2}|\d{4}|\d{6})$/;
const procedureCode = /^(\d{2}|\d{4})$/;
const declarationTypes: readonly string[] = Object.values(DeclarationType);

function filtersProblem(f: AgreementFilters, ctx: TermsContext): TermsProblem | null {
  const badHs = f.hsPrefixes.filter((c) => !hsPrefix.test(c) || !ctx.reference.hsDescription(c, ctx.today));
  if (badHs.length > 0)
    return {
      field: 'filters.hsPrefixes',
      message: `not an HS chapter, heading or subheading (2, 4 or 6 digits) of the edition in force on ${ctx.today}: ${quoted(badHs)}`,
    };
  const badProcedures = f.procedures.filter((c) => !procedureCode.test(c) || !ctx.procedures.has(c));
  if (badProcedures.length > 0)
    return {
      field: 'filters.procedures',
      message: `not a requested procedure (2 digits) or procedure code (4 digits) of the list: ${quoted(badProcedures)}`,
    };
  const badTypes = f.declarationTypes.filter((t) => !declarationTypes.includes(t));
  if (badTypes.length > 0)
    return {
      field: 'filters.declarationTypes',
      message: `not a declaration type (${declarationTypes.join(' or ')}): ${quoted(badTypes)}`,
    };
  return null;
}

/** The terms made tidy: text trimmed, lists without repeats and sorted, no URL for a feed alone. */
export function normalTerms(t: AgreementTerms): AgreementTerms {
  const tidy = (list: readonly string[]) => [...new Set(list.map((v) => v.trim()))].sort();
  return {
    ...t,
    agency: t.agency.trim(),
    purpose: t.purpose.trim(),
    legalBasis: t.legalBasis.trim(),
    filters: {
      hsPrefixes: tidy(t.filters.hsPrefixes),
      procedures: tidy(t.filters.procedures),
      offices: tidy(t.filters.offices),
      declarationTypes: tidy(t.filters.declarationTypes),
    },
    webhookUrl: t.delivery === Delivery.Feed ? null : (t.webhookUrl?.trim() ?? null),
  };
}

/**
 * What is wrong with the terms apart from what the database knows (the agency, the offices), or
 * null; the fields are checked by grantedPaths.
 */
export function termsProblem(t: AgreementTerms, ctx: TermsContext): TermsProblem | null {
  if (t.purpose === '') return { field: 'purpose', message: 'purpose: say what the data is for' };
  if (t.legalBasis === '')
    return { field: 'legalBasis', message: 'legalBasis: name the law or instrument that allows the sharing' };
  if (!sharingLevels.includes(t.level))
    return { field: 'level', message: `level must be one of ${sharingLevels.join(', ')}` };
  if (!deliveries.includes(t.delivery))
    return { field: 'delivery', message: `delivery must be one of ${deliveries.join(', ')}` };
  if (t.delivery !== Delivery.Feed) {
    if (!t.webhookUrl)
      return { field: 'webhookUrl', message: `a ${t.delivery} delivery needs the agency's https webhookUrl` };
    const problem = endpointProblem(t.webhookUrl, ctx.policy);
    if (problem) return { field: 'webhookUrl', message: problem.replace(/^endpoint/, 'webhookUrl') };
  }
  if (!isSupportedDay(t.validFrom))
    return { field: 'validFrom', message: `validFrom must be ${supportedDayText}, got "${t.validFrom}"` };
  if (!isSupportedDay(t.validTo))
    return { field: 'validTo', message: `validTo must be ${supportedDayText}, got "${t.validTo}"` };
  if (t.validTo < t.validFrom)
    return { field: 'validTo', message: `validTo ${t.validTo} is before validFrom ${t.validFrom}` };
  return filtersProblem(t.filters, ctx);
}
