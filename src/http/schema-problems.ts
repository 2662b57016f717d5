/**
 * A request the route's schema refuses, said as sentences: each problem names its field in words
 * with its path in brackets for integrators ("Reference (reference) must be at most 35
 * characters"), and the details keep each problem's path, keyword, field name and what is wrong.
 */
import type { FastifySchemaValidationError } from 'fastify';
import {
  capital,
  expectation,
  fieldName,
  lowerFirst,
  pathOf,
  type SchemaError,
} from '../shared/schema-words.ts';

/** One problem of a refused request, as `details` lists it. */
export interface SchemaProblem {
  /** Where the problem is: `items[0].hsCode`; for an unknown field, that field's path. */
  path: string;
  /** The JSON Schema keyword that refused the value (`maxLength`, `pattern`, `required`...). */
  keyword: string;
  /** The field in words ("Item 1, HS code"), when the problem is at a field. */
  name?: string;
  /** What is wrong, following the field's name: "must be at most 35 characters". */
  message: string;
  /** The unknown field's own name (for `additionalProperties`). */
  field?: string;
}

const wholes: Record<string, string> = {
  body: 'The body',
  querystring: 'The query string',
  params: 'The address',
  headers: 'The headers',
};

const join = (parent: string, key: string) => (parent === '' ? key : `${parent}.${key}`);

const propertySchema = (schema: unknown, key: string): Record<string, unknown> | undefined => {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  const s = properties?.[key];
  return typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : undefined;
};

/** The errors of the alternatives of an `anyOf`/`oneOf` are said once, by the alternative. */
function withoutAlternatives(errors: readonly FastifySchemaValidationError[]) {
  const unions = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .map((e) => `${e.schemaPath}/`);
  return errors.filter((e) => !unions.some((u) => e.schemaPath.startsWith(u)));
}

function problemOf(e: SchemaError, context: string): SchemaProblem {
  const parent = pathOf(e.instancePath);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    const field = String(params.additionalProperty);
    const kind = context === 'querystring' ? 'query parameter' : context === 'headers' ? 'header' : 'field';
    return { path: join(parent, field), keyword: e.keyword, message: `is an unknown ${kind}`, field };
  }
  if (e.keyword === 'required') {
    const key = String(params.missingProperty);
    const path = join(parent, key);
    const name = nameOf(path, propertySchema(e.parentSchema, key)?.title, context);
    return { path, keyword: e.keyword, ...(name ? { name } : {}), message: 'is required' };
  }
  const title = (e.parentSchema as { title?: unknown } | undefined)?.title;
  const name = nameOf(parent, title, context);
  return { path: parent, keyword: e.keyword, ...(name ? { name } : {}), message: expectation(e) };
}

function nameOf(path: string, title: unknown, context: string): string | null {
  if (context === 'headers' && path !== '') return `The ${path} header`;
  return fieldName(path, title);
}

/** The sentence for one problem. */
function sentenceOf(p: SchemaProblem, context: string): string {
  if (p.field !== undefined) {
    const kind = p.message.replace(/^is an /, '');
    const parent = p.path.slice(0, -p.field.length).replace(/\.$/, '');
    const within = parent === '' ? '' : ` in ${lowerFirst(fieldName(parent) ?? parent)} (${parent})`;
    return `${capital(kind)} '${p.field}'${within}`;
  }
  if (p.name === undefined) return `${wholes[context] ?? 'The request'} ${p.message}`;
  return `${p.name} (${p.path}) ${p.message}`;
}

/** The message and details of a request the schema of `context` (body, querystring...) refused. */
export function schemaRefusal(
  errors: readonly FastifySchemaValidationError[],
  context: string,
): { message: string; details: SchemaProblem[] } {
  const details: SchemaProblem[] = [];
  const sentences = new Set<string>();
  for (const e of withoutAlternatives(errors)) {
    const problem = problemOf(e, context);
    const sentence = sentenceOf(problem, context);
    if (sentences.has(sentence)) continue;
    sentences.add(sentence);
    details.push(problem);
  }
  return { message: `${[...sentences].join('; ')}.`, details };
}
