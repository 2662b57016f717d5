/**
 * Requests generated from the OpenAPI document: each operation's parameters and JSON body, one of
 * them replaced by a hostile value (or the body by junk, or an unknown field added), the rest as a
 * baseline the caller supplies (known ids in the path, bodies that get past validation).
 */
import fc from 'fast-check';
import { roles as allRoles, type Role } from '../governance/roles.ts';
import { clearwayCsv } from './clearway-csv.ts';
import {
  encode,
  farDays,
  hostileJson,
  hostileText,
  looseNumbers,
  serialize,
  unstorable,
  type Hostile,
  type Json,
} from './hostile.ts';

export type Schema = Record<string, unknown>;

export interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** The OpenAPI path, `/api/declarations/{id}`. */
  path: string;
  /** Roles allowed (x-roles), or null for a public operation. */
  roles: Role[] | null;
  parameters: Parameter[];
  body: Schema | null;
}

/** What a request is made of when it is not the part being fuzzed. */
export interface Baseline {
  /** A body that gets past validation, or undefined for none. */
  body(op: Operation): Json | undefined;
  /** The value of a path parameter. */
  pathValue(op: Operation, name: string): string;
}

// ---------------------------------------------------------------------------------------------
// Reading the OpenAPI document

export const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

export function operationsOf(doc: unknown): Operation[] {
  const out: Operation[] = [];
  const paths = isSchema(doc) && isSchema(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isSchema(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!isSchema(op)) continue;
      // the roles the operation documents; every role when it documents none and is not public
      const roles = Array.isArray(op['x-roles'])
        ? (op['x-roles'] as Role[])
        : Array.isArray(op.security) && op.security.length === 0
          ? null
          : [...allRoles];
      const parameters = (Array.isArray(op.parameters) ? op.parameters : [])
        .filter(isSchema)
        .map((p): Parameter => ({
          in: p.in === 'path' || p.in === 'header' ? p.in : 'query',
          name: String(p.name),
          required: p.required === true,
          schema: isSchema(p.schema) ? p.schema : {},
        }));
      const content =
        isSchema(op.requestBody) && isSchema(op.requestBody.content) ? op.requestBody.content : {};
      const json = isSchema(content['application/json']) ? content['application/json'].schema : undefined;
      out.push({ method: method.toUpperCase(), path, roles, parameters, body: isSchema(json) ? json : null });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A request that gets as far as it can: known ids in the path, bodies that pass their schema

/** A value the schema accepts (the first choice of every union), to mutate one field of. */
export function valid(schema: Schema): Json {
  if (Array.isArray(schema.enum)) return (schema.enum[0] as Json) ?? null;
  if ('const' in schema) return schema.const as Json;
  const union = Array.isArray(schema.anyOf)
    ? schema.anyOf
    : Array.isArray(schema.oneOf)
      ? schema.oneOf
      : null;
  if (union && isSchema(union[0])) return valid(union[0]);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, Json> = {};
      const properties = isSchema(schema.properties) ? schema.properties : {};
      for (const [k, v] of Object.entries(properties)) if (isSchema(v)) out[k] = valid(v);
      return out;
    }
    case 'array':
      return isSchema(schema.items) ? [valid(schema.items)] : [];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? Math.max(schema.minimum, 1) : 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'date') return '2026-03-02';
      return 'x'.repeat(typeof schema.minLength === 'number' ? Math.max(schema.minLength, 3) : 3);
    default:
      return 'x';
  }
}

/** Query parameters a request needs to get anywhere (the upload's format). */
function requiredQuery(op: Operation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.parameters) if (p.in === 'query' && p.required) out[p.name] = String(valid(p.schema));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generated requests

export type Mutation =
  | { kind: 'param'; name: string; value: string | string[] }
  | { kind: 'unknown-param'; value: string }
  | { kind: 'field'; at: number; value: Hostile }
  | { kind: 'drop-field'; at: number }
  | { kind: 'unknown-field'; at: number; value: Hostile }
  | { kind: 'body'; value: Hostile }
  | { kind: 'raw-body'; text: string };

export interface Generated {
  role: Role | null;
  mutation: Mutation;
}

const rawBodies = ['', '{', '{"a":', 'null', '[]', '"text"', '{"a":1}{"b":2}', '\u0000', '{"a":"\\ud800"}'];

function mutations(op: Operation): fc.Arbitrary<Mutation> {
  const choices: fc.Arbitrary<Mutation>[] = [];
  for (const p of op.parameters) {
    const value =
      p.in === 'header'
        ? hostileText.filter((t) => /^[\t\x20-\x7e\x80-\xff]*$/.test(t) && t.trim() === t && t.length < 8000)
        : fc.oneof(hostileText, fc.array(hostileText, { minLength: 2, maxLength: 3 }));
    choices.push(value.map((v): Mutation => ({ kind: 'param', name: p.name, value: v })));
  }
  choices.push(hostileText.map((value): Mutation => ({ kind: 'unknown-param', value })));
  if (op.body) {
    const at = fc.nat({ max: 1000 });
    choices.push(
      fc.record({ at, value: hostileJson }).map((m): Mutation => ({ kind: 'field', ...m })),
      fc.record({ at, value: hostileJson }).map((m): Mutation => ({ kind: 'field', ...m })),
      fc.record({ at, value: hostileJson }).map((m): Mutation => ({ kind: 'field', ...m })),
      at.map((a): Mutation => ({ kind: 'drop-field', at: a })),
      fc.record({ at, value: hostileJson }).map((m): Mutation => ({ kind: 'unknown-field', ...m })),
      hostileJson.map((value): Mutation => ({ kind: 'body', value })),
      fc.constantFrom(...rawBodies).map((text): Mutation => ({ kind: 'raw-body', text })),
    );
  } else if (op.method !== 'GET') {
    choices.push(hostileJson.map((value): Mutation => ({ kind: 'body', value })));
  }
  return fc.oneof(...choices);
}

export function generated(op: Operation): fc.Arbitrary<Generated> {
  const role: fc.Arbitrary<Role | null> = op.roles ? fc.constantFrom(...op.roles) : fc.constant(null);
  return fc.record({ role, mutation: mutations(op) });
}

/**
 * Besides the random requests, each parameter and each body field of an operation gets text that
 * cannot be stored, a loosely written number and a day out of range, whatever the dice say.
 */
export function sweep(op: Operation, index: number, base: Json | undefined): Generated[] {
  const classes = [unstorable, looseNumbers, farDays];
  const role = (i: number) => (op.roles ? (op.roles[i % op.roles.length] ?? null) : null);
  const out: Generated[] = [];
  let i = index;
  for (const p of op.parameters)
    for (const values of classes)
      out.push({
        role: role(i),
        mutation: { kind: 'param', name: p.name, value: values[i++ % values.length] ?? '' },
      });
  const fields = base === undefined ? 0 : leaves(base).length;
  for (let at = 0; at < fields; at++)
    for (const values of classes)
      out.push({ role: role(i), mutation: { kind: 'field', at, value: values[i++ % values.length] ?? '' } });
  return out;
}

/** Every object and array inside `value`, with the keys or indexes of each. */
function containers(value: Json): { holder: Record<string, Json> | Json[]; keys: (string | number)[] }[] {
  const out: { holder: Record<string, Json> | Json[]; keys: (string | number)[] }[] = [];
  const walk = (v: Json) => {
    if (Array.isArray(v)) {
      out.push({ holder: v, keys: v.map((_, i) => i) });
      v.forEach(walk);
    } else if (v !== null && typeof v === 'object') {
      out.push({ holder: v, keys: Object.keys(v) });
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return out;
}

/** Every leaf of `value`: where it is held, so one can be replaced or removed. */
export function leaves(value: Json): { holder: Record<string, Json> | Json[]; key: string | number }[] {
  return containers(value).flatMap(({ holder, keys }) => keys.map((key) => ({ holder, key })));
}

const set = (holder: Record<string, Json> | Json[], key: string | number, value: Hostile) => {
  (holder as Record<string | number, unknown>)[key] = value;
};

export interface Built {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export function build(op: Operation, g: Generated, baseline: Baseline): Built {
  const m = g.mutation;
  const headers: Record<string, string> = {};
  const query: [string, string][] = Object.entries(requiredQuery(op));
  let url = op.path;
  for (const p of op.parameters.filter((p) => p.in === 'path')) {
    const fuzzed = m.kind === 'param' && m.name === p.name ? [m.value].flat().join(',') : null;
    url = url.replace(`{${p.name}}`, encode(fuzzed ?? baseline.pathValue(op, p.name)));
  }
  if (m.kind === 'param') {
    const p = op.parameters.find((x) => x.name === m.name);
    const values = [m.value].flat();
    if (p?.in === 'query') {
      const kept = query.filter(([k]) => k !== p.name);
      query.length = 0;
      query.push(...kept, ...values.map((v): [string, string] => [p.name, v]));
    }
    if (p?.in === 'header') headers[p.name] = values[0] ?? '';
  }
  if (m.kind === 'unknown-param') query.push(['zz_unknown', m.value]);
  if (query.length > 0) url += `?${query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`;

  const isUpload = op.method === 'POST' && op.path === '/api/imports';
  if (isUpload) {
    headers['content-type'] = 'text/csv';
    return { method: op.method, url, headers, body: clearwayCsv([]) };
  }
  let body: string | undefined;
  const base = baseline.body(op);
  if (m.kind === 'raw-body') body = m.text;
  else if (m.kind === 'body') body = serialize(m.value);
  else if (base !== undefined) {
    if (m.kind === 'field' || m.kind === 'drop-field') {
      const all = leaves(base);
      const leaf = all[m.at % Math.max(all.length, 1)];
      if (leaf && m.kind === 'field') set(leaf.holder, leaf.key, m.value);
      if (leaf && m.kind === 'drop-field') {
        if (Array.isArray(leaf.holder)) leaf.holder.splice(Number(leaf.key), 1);
        else delete leaf.holder[String(leaf.key)];
      }
    }
    if (m.kind === 'unknown-field') {
      const objects = containers(base).filter((c) => !Array.isArray(c.holder));
      const target = objects[m.at % Math.max(objects.length, 1)];
      if (target) set(target.holder, 'zzUnknown', m.value);
    }
    body = serialize(base);
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  return { method: op.method, url, headers, ...(body === undefined ? {} : { body }) };
}
