/**
 * Rule profiles (selectivity criteria): conditions over a declaration, a lane, a weight and a
 * plain-language reason for the officer. Profiles are data; `parseProfile` refuses a profile
 * without conditions or with a condition left empty (`incomplete_profile`), and an unknown field, a
 * type mismatch or contradictory conditions (`invalid_profile`), naming where each problem is.
 */
import { isSupportedDay, supportedDayText } from '../../shared/day.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { fields, fieldNames, type FieldKind } from './fields.ts';

export const Lane = { Red: 'red', Yellow: 'yellow', Blue: 'blue', Green: 'green' } as const;
export type Lane = (typeof Lane)[keyof typeof Lane];
const lanes: readonly string[] = Object.values(Lane);

export const operatorsByKind: Record<FieldKind, readonly string[]> = {
  text: ['eq', 'ne', 'in', 'notIn', 'prefix', 'contains'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between'],
  boolean: ['eq'],
};

export type Condition =
  | { field: string; op: 'eq' | 'ne'; value: string | number | boolean }
  | { field: string; op: 'in' | 'notIn' | 'prefix'; value: string[] }
  | { field: string; op: 'contains'; value: string }
  | { field: string; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { field: string; op: 'between'; value: [number, number] };

export interface ProfileDefinition {
  code: string;
  name: string;
  lane: Lane;
  /** 1-100: how strongly a hit counts towards the risk score. */
  weight: number;
  /** What the officer reads when the profile selects a declaration. */
  reason: string;
  validFrom: string;
  validTo?: string;
  conditions: Condition[];
}

export interface ProfileProblem {
  /** `incomplete_profile`: no conditions, or a condition with no field, operator or value. */
  code: 'invalid_profile' | 'incomplete_profile';
  message: string;
  problems: { path: string; message: string }[];
}

type Problems = { path: string; message: string }[];

export function parseProfile(input: unknown): Result<ProfileDefinition, ProfileProblem> {
  const problems: Problems = [];
  // what was left out, as opposed to what was given wrong: an empty condition row, no conditions
  const missing: Problems = [];
  const p = (input ?? {}) as Record<string, unknown>;
  refuseUnknown(p, profileKeys, '', problems);
  const text = (key: string, max: number) => {
    const v = p[key];
    if (typeof v !== 'string' || v.trim() === '' || v.length > max)
      problems.push({ path: key, message: `${key} must be text of 1 to ${max} characters` });
  };
  text('code', 40);
  text('name', 200);
  text('reason', 500);
  if (typeof p.lane !== 'string' || !lanes.includes(p.lane))
    problems.push({ path: 'lane', message: `lane must be one of ${lanes.join(', ')}` });
  if (typeof p.weight !== 'number' || !Number.isInteger(p.weight) || p.weight < 1 || p.weight > 100)
    problems.push({ path: 'weight', message: 'weight must be a whole number from 1 to 100' });
  if (typeof p.validFrom !== 'string' || !isSupportedDay(p.validFrom))
    problems.push({ path: 'validFrom', message: `validFrom must be ${supportedDayText}` });
  if (p.validTo !== undefined && (typeof p.validTo !== 'string' || !isSupportedDay(p.validTo)))
    problems.push({ path: 'validTo', message: `validTo must be ${supportedDayText}` });
  else if (typeof p.validTo === 'string' && typeof p.validFrom === 'string' && p.validTo < p.validFrom)
    problems.push({ path: 'validTo', message: 'validTo is before validFrom' });
  if (p.conditions === undefined || (Array.isArray(p.conditions) && p.conditions.length === 0)) {
    missing.push({ path: 'conditions', message: 'add a condition: a profile needs 1 to 50 conditions' });
  } else if (!Array.isArray(p.conditions) || p.conditions.length > 50) {
    problems.push({ path: 'conditions', message: 'a profile needs 1 to 50 conditions' });
  } else {
    p.conditions.forEach((c, i) => {
      const empty = emptyParts(c, i);
      if (empty.length) missing.push(...empty);
      else checkCondition(c, `conditions[${i}]`, problems);
    });
    if (problems.length === 0 && missing.length === 0)
      findContradictions(p.conditions as Condition[], problems);
  }
  if (missing.length) {
    const all = [...missing, ...problems];
    return err({
      code: 'incomplete_profile',
      message: `the profile is not complete: ${missing.map((x) => x.message).join('; ')}`,
      problems: all,
    });
  }
  if (problems.length) {
    return err({
      code: 'invalid_profile',
      message: `the profile is not valid: ${problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`,
      problems,
    });
  }
  // only the known fields are kept: what is stored is exactly what was checked
  const definition = Object.fromEntries(profileKeys.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
  definition.conditions = (p.conditions as Condition[]).map(({ field, op, value }) => ({ field, op, value }));
  return ok(definition as unknown as ProfileDefinition);
}

const profileKeys = ['code', 'name', 'lane', 'weight', 'reason', 'validFrom', 'validTo', 'conditions'];
const conditionKeys = ['field', 'op', 'value'];

function refuseUnknown(input: Record<string, unknown>, known: string[], path: string, problems: Problems) {
  if (typeof input !== 'object' || input === null) return;
  for (const key of Object.keys(input))
    if (!known.includes(key))
      problems.push({
        path: `${path}${key}`,
        message: `unknown field "${key}"; a ${path ? 'condition' : 'profile'} has ${known.join(', ')}`,
      });
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * What a condition row leaves out: its field, its operator, or the value its operator needs (a
 * list with no values, a range without both ends). Each is named by the row as a person counts it.
 */
function emptyParts(input: unknown, i: number): Problems {
  const path = `conditions[${i}]`;
  const n = `condition ${i + 1}`;
  if (typeof input !== 'object' || input === null)
    return [{ path, message: `${n}: choose a field, an operator and a value` }];
  const c = input as Record<string, unknown>;
  const found: Problems = [];
  if (blank(c.field)) found.push({ path: `${path}.field`, message: `${n}: choose a field` });
  if (blank(c.op)) found.push({ path: `${path}.op`, message: `${n}: choose an operator` });
  const v = c.value;
  if (c.op === 'between' && Array.isArray(v) && v.length === 2 && v.some(blank))
    found.push({ path: `${path}.value`, message: `${n}: enter both the minimum and the maximum` });
  else if (blank(v) || (Array.isArray(v) && v.every(blank)))
    found.push({ path: `${path}.value`, message: `${n}: enter a value` });
  return found;
}

function checkCondition(input: unknown, path: string, problems: Problems): void {
  const c = (input ?? {}) as Record<string, unknown>;
  refuseUnknown(c, conditionKeys, `${path}.`, problems);
  const spec = typeof c.field === 'string' ? fields[c.field] : undefined;
  if (!spec) {
    problems.push({
      path: `${path}.field`,
      message: `unknown field "${String(c.field)}"; known fields: ${fieldNames.join(', ')}`,
    });
    return;
  }
  const allowed = operatorsByKind[spec.kind];
  if (typeof c.op !== 'string' || !allowed.includes(c.op)) {
    problems.push({ path: `${path}.op`, message: `${c.field} is ${spec.kind}: use ${allowed.join(', ')}` });
    return;
  }
  const v = c.value;
  const scalar = spec.kind === 'text' ? 'string' : spec.kind;
  const bad = (what: string) =>
    problems.push({ path: `${path}.value`, message: `${c.field} ${c.op} needs ${what}` });
  switch (c.op) {
    case 'eq':
    case 'ne':
      if (typeof v !== scalar) bad(`a ${scalar}`);
      break;
    case 'in':
    case 'notIn':
    case 'prefix':
      if (
        !Array.isArray(v) ||
        v.length === 0 ||
        v.length > 10_000 ||
        v.some((x) => typeof x !== 'string' || x === '')
      )
        bad('a non-empty list of text values');
      break;
    case 'contains':
      if (typeof v !== 'string' || v.trim() === '') bad('some text');
      break;
    case 'between':
      if (!Array.isArray(v) || v.length !== 2 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x)))
        bad('two numbers [min, max]');
      else if ((v[0] as number) > (v[1] as number)) bad('min no greater than max');
      break;
    default:
      if (typeof v !== 'number' || !Number.isFinite(v)) bad('a number');
  }
}

/** Conditions on one field that no value can meet together. */
function findContradictions(conditions: Condition[], problems: Problems): void {
  const byField = new Map<string, number[]>();
  conditions.forEach((c, i) => byField.set(c.field, [...(byField.get(c.field) ?? []), i]));
  for (const [field, indexes] of byField) {
    if (indexes.length < 2) continue;
    let low = -Infinity;
    let high = Infinity;
    let equal: unknown;
    const allowedSets: Set<string>[] = [];
    for (const i of indexes) {
      const c = conditions[i];
      if (!c) continue;
      if (c.op === 'eq') {
        if (equal !== undefined && equal !== c.value)
          contradiction(
            problems,
            field,
            indexes,
            `${field} cannot equal both ${String(equal)} and ${String(c.value)}`,
          );
        equal = c.value;
      }
      if (c.op === 'in') allowedSets.push(new Set(c.value));
      if (c.op === 'gt' || c.op === 'gte') low = Math.max(low, c.value);
      if (c.op === 'lt' || c.op === 'lte') high = Math.min(high, c.value);
      if (c.op === 'between') [low, high] = [Math.max(low, c.value[0]), Math.min(high, c.value[1])];
    }
    if (low > high)
      contradiction(problems, field, indexes, `${field} cannot be above ${low} and below ${high}`);
    if (typeof equal === 'number' && (equal < low || equal > high))
      contradiction(
        problems,
        field,
        indexes,
        `${field} = ${equal} is outside the range the other conditions set`,
      );
    if (allowedSets.length) {
      const common = [...(allowedSets[0] ?? [])].filter(
        (v) => allowedSets.every((s) => s.has(v)) && (equal === undefined || v === equal),
      );
      if (common.length === 0)
        contradiction(problems, field, indexes, `no ${field} is in every list the conditions give`);
    }
  }
}

function contradiction(problems: Problems, field: string, indexes: number[], message: string): void {
  problems.push({
    path: indexes.map((i) => `conditions[${i}]`).join(' and '),
    message: `contradictory conditions: ${message}`,
  });
}
