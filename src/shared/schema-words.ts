/**
 * What a JSON Schema (TypeBox) refusal means, in words a person reads: the field by its name
 * (`items[0].supplementaryUnit` is "Item 1, supplementary unit", or the schema's `title`) and what
 * is expected instead of the keyword's jargon (a pattern is explained by the schema's
 * `errorMessage`, or its `description` and `examples`). Works on Ajv errors made with `verbose: true`, which carry the
 * schema that refused the value.
 */
import { supportedDayText } from './day.ts';

/** The parts of an Ajv error these words need. */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  schemaPath?: string;
  params: Record<string, unknown> | object;
  message?: string;
  parentSchema?: unknown;
  data?: unknown;
}

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `/items/0/hsCode` -> `items[0].hsCode`, the paths findings and refusals use. */
export const pathOf = (pointer: string): string =>
  pointer
    .replace(/^\//, '')
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replace(/\//g, '.')
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');

const acronyms: Record<string, string> = { hs: 'HS', id: 'ID', lrn: 'LRN', url: 'URL', wco: 'WCO' };

/** `supplementaryUnit` -> `supplementary unit`, `hsCode` -> `HS code`. */
const words = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .map((w) => acronyms[w.toLowerCase()] ?? w.toLowerCase())
    .join(' ');

/** `items` -> `item`, `entries` -> `entry`: the name of one element of a list. */
const singular = (key: string) =>
  key.endsWith('ies') ? `${key.slice(0, -3)}y` : key.endsWith('s') ? key.slice(0, -1) : key;

const startsWithAcronym = (s: string) => /^[A-Z]{2}/.test(s);
export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const lowerFirst = (s: string) => (startsWithAcronym(s) ? s : s.charAt(0).toLowerCase() + s.slice(1));

/**
 * The name of the field at `path` in words: each list element by its position ("Item 1"), the
 * field by the schema's `title` when it has one, else by its key; null for the whole input.
 */
export function fieldName(path: string, title?: unknown): string | null {
  const parts = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)];
  if (parts.length === 0) return null;
  const said: string[] = [];
  parts.forEach((p, i) => {
    const key = p[1];
    const index = p[2];
    const next = parts[i + 1];
    if (key !== undefined && next?.[2] !== undefined) return; // named with its index
    if (index !== undefined) {
      const list = parts[i - 1]?.[1];
      said.push(`${words(singular(list ?? 'element'))} ${Number(index) + 1}`);
    } else if (key !== undefined)
      said.push(i === parts.length - 1 && typeof title === 'string' ? title : words(key));
  });
  return capital(said.map((s, i) => (i === 0 ? s : lowerFirst(s))).join(', '));
}

const typeWords: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a group of fields (a JSON object)',
  array: 'a list',
  null: 'null',
};

const quoted = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

const oneOf = (values: unknown[]) =>
  values.length === 1 ? quoted(values[0]) : `one of ${values.map(quoted).join(', ')}`;

/** What one alternative of an `anyOf` accepts, in words. */
function alternative(s: unknown): string {
  if (!isSchema(s)) return 'a value of another form';
  if ('const' in s) return quoted(s.const);
  if (Array.isArray(s.enum)) return oneOf(s.enum);
  if (typeof s.description === 'string') return lowerFirst(s.description);
  if (typeof s.type === 'string') return typeWords[s.type] ?? s.type;
  return 'a value of another form';
}

/** "a date such as 2026-12-06": the schema's description, with its first example. */
function expected(schema: Schema | undefined): string | null {
  const description = typeof schema?.description === 'string' ? lowerFirst(schema.description) : null;
  const example = Array.isArray(schema?.examples) ? schema.examples[0] : undefined;
  if (description === null) return example === undefined ? null : `written like ${quoted(example)}`;
  return example === undefined ? description : `${description}, such as ${quoted(example)}`;
}

const formats: Record<string, string> = {
  'date-time': 'a date and time written like 2026-12-06T09:30:00Z',
  email: 'an email address',
  uri: 'a web address (URI)',
  uuid: 'a UUID',
};

/**
 * What the value should have been, as the rest of a sentence that starts with the field's name:
 * "must be at most 35 characters", "must be a whole number from 1 to 500".
 */
export function expectation(e: SchemaError): string {
  const p = e.params as Record<string, unknown>;
  const schema = isSchema(e.parentSchema) ? e.parentSchema : undefined;
  const limit = Number(p.limit);
  const length = typeof e.data === 'string' ? [...e.data].length : null;
  switch (e.keyword) {
    case 'maxLength':
      return `must be at most ${limit.toLocaleString('en')} characters${length === null ? '' : ` (it has ${length.toLocaleString('en')})`}`;
    case 'minLength':
      return limit <= 1 ? 'must not be empty' : `must be at least ${limit.toLocaleString('en')} characters`;
    case 'maxItems':
      return `may hold at most ${limit.toLocaleString('en')} ${limit === 1 ? 'entry' : 'entries'}`;
    case 'minItems':
      return limit <= 1 ? 'must not be empty' : `must hold at least ${limit.toLocaleString('en')} entries`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `must be more than ${String(p.limit)}`;
    case 'multipleOf':
      return `must be a multiple of ${String(p.multipleOf)}`;
    case 'minProperties':
      return `must hold at least ${limit} ${limit === 1 ? 'field' : 'fields'}`;
    case 'maxProperties':
      return `may hold at most ${limit} ${limit === 1 ? 'field' : 'fields'}`;
    case 'uniqueItems':
      return 'must not hold the same entry twice';
    case 'type':
      return `must be ${String(p.type)
        .split(',')
        .map((t) => typeWords[t] ?? t)
        .join(' or ')}`;
    case 'const':
      return `must be ${quoted(p.allowedValue)}`;
    case 'enum':
      return `must be ${oneOf(Array.isArray(p.allowedValues) ? p.allowedValues : [])}`;
    case 'anyOf':
    case 'oneOf': {
      const options = Array.isArray(schema?.[e.keyword]) ? (schema[e.keyword] as unknown[]) : [];
      const literal = options.every((o) => isSchema(o) && 'const' in o);
      if (literal && options.length > 0) return `must be ${oneOf(options.map((o) => (o as Schema).const))}`;
      return `must be ${options.map(alternative).join(' or ')}`;
    }
    case 'pattern': {
      if (typeof schema?.errorMessage === 'string') return schema.errorMessage;
      const want = expected(schema);
      return want === null ? 'is not written in the expected form' : `must be ${want}`;
    }
    case 'format': {
      const format = String(p.format);
      if (format === 'date') return `must be ${supportedDayText}`;
      if (typeof schema?.errorMessage === 'string') return schema.errorMessage;
      return `must be ${formats[format] ?? expected(schema) ?? `written in the ${format} format`}`;
    }
    case 'required':
      return 'is required';
    default:
      return e.message ?? 'is not valid';
  }
}
