/**
 * A draft that does not match the declaration schema (a reference over 35 characters, a number
 * written as text, a field that does not exist) is checked like any other: each schema problem
 * becomes a finding at its field, in the shape of the validation layers' findings, and the rest of
 * the draft, without the values the schema refused, goes through the layers as usual.
 */
import type { FastifySchemaValidationError } from 'fastify';
import { expectation, pathOf } from '../shared/schema-words.ts';
import type { Finding } from './model.ts';

const segmentsOf = (pointer: string) =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** The finding for one schema problem; its message names the field first, as the layers' do. */
function findingOf(e: FastifySchemaValidationError, value: unknown): Finding {
  const made = problemOf(e, value);
  return { ...made, message: `${made.path} ${made.message}` };
}

const codes: Record<string, string> = {
  maxLength: 'too_long',
  maxItems: 'too_many',
  type: 'wrong_type',
};

function problemOf(e: FastifySchemaValidationError, value: unknown): Finding {
  const base = { severity: 'error', layer: 'format' } as const;
  if (e.keyword === 'additionalProperties') {
    const field = String((e.params as { additionalProperty?: unknown }).additionalProperty);
    const parent = pathOf(e.instancePath);
    return {
      ...base,
      path: parent === '' ? field : `${parent}.${field}`,
      code: 'unknown_field',
      message: 'is not a field of a declaration',
    };
  }
  return {
    ...base,
    path: pathOf(e.instancePath),
    code: codes[e.keyword] ?? 'invalid',
    message: expectation({ ...e, data: value }),
  };
}

/** The value at a JSON pointer, or undefined. */
function at(root: unknown, segments: string[]): unknown {
  let v = root;
  for (const s of segments) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

/** Removes the value at a JSON pointer: a key from its object, an element of a list becomes `{}`. */
function remove(root: unknown, segments: string[]) {
  const parent = at(root, segments.slice(0, -1));
  const last = segments.at(-1);
  if (last === undefined || typeof parent !== 'object' || parent === null) return;
  if (Array.isArray(parent)) parent[Number(last)] = {};
  else delete (parent as Record<string, unknown>)[last];
}

/**
 * The findings for the schema's problems and the draft without the values it refused; null when
 * the body is not a declaration at all (not an object), which stays a 400.
 */
export function schemaFindings(
  body: unknown,
  problems: FastifySchemaValidationError[],
): { findings: Finding[]; draft: Record<string, unknown> } | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  if (problems.some((p) => p.instancePath === '' && p.keyword !== 'additionalProperties')) return null;
  const draft = structuredClone(body) as Record<string, unknown>;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const p of problems) {
    const segments = segmentsOf(p.instancePath);
    const finding = findingOf(p, at(body, segments));
    const key = `${finding.path}\u0000${finding.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  // removed after every finding was made, deepest first, so no removal hides another's value
  const pointers = problems.map((p) =>
    p.keyword === 'additionalProperties'
      ? [
          ...segmentsOf(p.instancePath),
          String((p.params as { additionalProperty?: unknown }).additionalProperty),
        ]
      : segmentsOf(p.instancePath),
  );
  for (const segments of pointers.sort((a, b) => b.length - a.length)) remove(draft, segments);
  return { findings, draft };
}
