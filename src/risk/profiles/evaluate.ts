/**
 * Evaluates rule profiles against a declaration: a pure function of the profile, the declaration,
 * its indicators and the date. Profiles are compiled once (lists become sets) and then run fast.
 */
import type { DeclarationInput, GoodsItem } from '../../declarations/model.ts';
import { fields, type Indicators } from './fields.ts';
import type { Condition, Lane, ProfileDefinition } from './profile.ts';

type Value = string | number | boolean | undefined;
type Test = (v: Value) => boolean;

export interface CompiledProfile {
  definition: ProfileDefinition;
  header: { get: (d: DeclarationInput, x: Indicators) => Value; test: Test }[];
  item: { get: (d: DeclarationInput, item: GoodsItem, i: number, x: Indicators) => Value; test: Test }[];
}

export interface ProfileHit {
  code: string;
  lane: Lane;
  weight: number;
  reason: string;
  /** Positions of the goods items that met the item conditions (empty for header-only profiles). */
  items: number[];
}

function testFor(c: Condition): Test {
  switch (c.op) {
    case 'eq':
      return (v) => v === c.value;
    case 'ne':
      return (v) => v !== c.value;
    case 'in': {
      const set = new Set(c.value);
      return (v) => typeof v === 'string' && set.has(v);
    }
    case 'notIn': {
      const set = new Set(c.value);
      return (v) => !(typeof v === 'string' && set.has(v));
    }
    case 'prefix':
      return (v) => typeof v === 'string' && c.value.some((p) => v.startsWith(p));
    case 'contains': {
      const needle = c.value.toLowerCase();
      return (v) => typeof v === 'string' && v.toLowerCase().includes(needle);
    }
    case 'gt':
      return (v) => typeof v === 'number' && v > c.value;
    case 'gte':
      return (v) => typeof v === 'number' && v >= c.value;
    case 'lt':
      return (v) => typeof v === 'number' && v < c.value;
    case 'lte':
      return (v) => typeof v === 'number' && v <= c.value;
    case 'between':
      return (v) => typeof v === 'number' && v >= c.value[0] && v <= c.value[1];
  }
}

export function compileProfile(definition: ProfileDefinition): CompiledProfile {
  const compiled: CompiledProfile = { definition, header: [], item: [] };
  for (const c of definition.conditions) {
    const spec = fields[c.field];
    if (!spec)
      throw new Error(
        `profile ${definition.code}: unknown field ${c.field} (parse profiles before compiling them)`,
      );
    const test = testFor(c);
    if (spec.scope === 'header') {
      const first = (d: DeclarationInput, x: Indicators) =>
        spec.get(d, d.items[0] ?? { sequence: 1, hsCode: '', value: 0 }, 0, x);
      compiled.header.push({ get: first, test });
    } else compiled.item.push({ get: spec.get, test });
  }
  return compiled;
}

/** Whether a profile in force on `date` selects the declaration, and on which items. */
export function evaluateProfile(
  p: CompiledProfile,
  d: DeclarationInput,
  x: Indicators,
  date: string,
): ProfileHit | null {
  const def = p.definition;
  if (date < def.validFrom || (def.validTo !== undefined && date > def.validTo)) return null;
  for (const h of p.header) if (!h.test(h.get(d, x))) return null;
  const items: number[] = [];
  if (p.item.length > 0) {
    d.items.forEach((item, i) => {
      if (p.item.every((t) => t.test(t.get(d, item, i, x)))) items.push(i);
    });
    if (items.length === 0) return null;
  }
  return { code: def.code, lane: def.lane, weight: def.weight, reason: def.reason, items };
}
