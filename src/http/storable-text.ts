/**
 * Text that PostgreSQL cannot store is refused at the edge, once, for every route: a NUL character
 * or a lone UTF-16 surrogate anywhere in a path parameter, a query string, a header or a JSON body
 * (keys included) answers 400 naming the field, before the route's schema or handler sees it.
 * Bodies handed over as streams (uploaded files) are read by their own routes, row by row.
 */
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.ts';
import { unstorableProblem as problemOf, type UnstorableProblem } from '../shared/storable-text.ts';

export interface UnstorableText {
  /** Where the text is: `items[0].description`, or `[key]` after an object for one of its keys. */
  path: string;
  problem: UnstorableProblem;
}

const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

/** The first string (or object key) in a parsed JSON value that cannot be stored, or null. */
export function findUnstorableText(value: unknown, path = ''): UnstorableText | null {
  if (typeof value === 'string') {
    const problem = problemOf(value);
    return problem ? { path, problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], join(path, i));
      if (found) return found;
    }
    return null;
  }
  if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      const problem = problemOf(key);
      if (problem) return { path: join(path, JSON.stringify(key)), problem };
      const found = findUnstorableText(v, join(path, key));
      if (found) return found;
    }
  }
  return null;
}

/** An object of JSON or of the router (the query's prototype is a bare object), never a stream. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (
    proto === Object.prototype ||
    proto === null ||
    (typeof proto === 'object' && Object.getPrototypeOf(proto) === null)
  );
}

const parts = [
  ['params', 'path parameter'],
  ['query', 'query parameter'],
  ['headers', 'header'],
  ['body', 'body field'],
] as const;

/** A preValidation hook: refuses the request when any text in it cannot be stored. */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  for (const [part, what] of parts) {
    const found = findUnstorableText(request[part]);
    if (!found) continue;
    const field = found.path === '' ? 'the body' : `${what} ${found.path}`;
    throw new HttpError(
      'invalid_request',
      `${field} contains ${found.problem}, which cannot be stored: remove it`,
      [
        {
          in: part === 'query' ? 'querystring' : part,
          path: found.path,
          message: `contains ${found.problem}`,
        },
      ],
    );
  }
}
