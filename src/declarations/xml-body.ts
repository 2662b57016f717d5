/**
 * WCO DEC-DMS 2 messages as request bodies (`Content-Type: application/xml`) for lodging and
 * checking a declaration, and as the response to `Accept: application/xml`. The message is read
 * and checked against the XSD as the body is parsed; the route receives the draft declaration, and
 * finds here the message's schema findings and where each field stood.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';
import type { Finding } from './model.ts';
import {
  locateFindings,
  maxMessageBytes,
  parseWcoMessage,
  type WcoMessage,
} from './formats/wco-xml/index.ts';

export const xmlMediaTypes = ['application/xml', 'text/xml'];

/** The routes that take a message; any other route of the plugin refuses an XML body. */
const xmlRoutes = new Set(['/api/declarations', '/api/declarations/validate']);

const messages = new WeakMap<FastifyRequest, WcoMessage>();

export function registerXmlBody(app: FastifyInstance): void {
  app.addContentTypeParser(
    xmlMediaTypes,
    { parseAs: 'string', bodyLimit: maxMessageBytes },
    (request, body, done) => {
      if (!xmlRoutes.has(request.routeOptions.url ?? '')) {
        done(new HttpError('unsupported_media_type', 'this route takes JSON, not XML'), undefined);
        return;
      }
      const charset = charsetOf(request.headers['content-type']);
      if (charset !== undefined && !readableCharsets.has(charset)) {
        done(
          new HttpError(
            'unsupported_media_type',
            `the message is declared as charset ${charset}; send it as UTF-8 (charset=utf-8)`,
          ),
          undefined,
        );
        return;
      }
      const parsed = parseWcoMessage(String(body));
      if (!parsed.ok) {
        const { code, message, line, column } = parsed.error;
        done(new HttpError(code, message, line === undefined ? undefined : { line, column }), undefined);
        return;
      }
      messages.set(request, parsed.value);
      done(null, parsed.value.draft);
    },
  );
}

/** The message a request carried, when its body was XML. */
export const xmlMessageOf = (request: FastifyRequest): WcoMessage | undefined => messages.get(request);

/** Findings located in the request's message (element path, WCO ID, line, column), when it had one. */
export function locatedIn(request: FastifyRequest, findings: Finding[]): Finding[] {
  const message = messages.get(request);
  return message ? locateFindings(findings, message.origins) : findings;
}

/** The charsets a message may be declared in: UTF-8, and US-ASCII, which is a subset of it. */
const readableCharsets = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** The charset parameter of a Content-Type header, lower case and unquoted, if it has one. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("[^"]*"|[^;\s]*)/i.exec(contentType ?? '');
  return match?.[1]?.replace(/^"|"$/g, '').trim().toLowerCase();
}

interface MediaRange {
  type: string;
  q: number;
}

/** The media ranges of an Accept header with their quality (1 when not given). */
function mediaRanges(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      const q = params.map((p) => /^q\s*=\s*([0-9.]+)$/.exec(p)?.[1]).find((v) => v !== undefined);
      const quality = q === undefined ? 1 : Number(q);
      return { type, q: Number.isFinite(quality) ? Math.min(Math.max(quality, 0), 1) : 0 };
    })
    .filter((r) => r.type !== '');
}

/** The quality an Accept header gives a media type: its own entry, else `type/*`, else `*\/*`, else 0. */
function qualityOf(ranges: readonly MediaRange[], type: string): number {
  const exact = ranges.find((r) => r.type === type);
  if (exact) return exact.q;
  const family = ranges.find((r) => r.type === `${type.split('/')[0]}/*`);
  if (family) return family.q;
  return ranges.find((r) => r.type === '*/*')?.q ?? 0;
}

/**
 * True when the caller prefers XML to JSON: application/xml or text/xml is named with a higher
 * quality than application/json gets (by name or by wildcard) and than text/html. JSON is the
 * default, so a browser, whose Accept names text/html first and application/xml at q=0.9, gets
 * JSON, as does a tie.
 */
export function wantsXml(request: FastifyRequest): boolean {
  const ranges = mediaRanges(request.headers.accept ?? '');
  const xml = Math.max(0, ...ranges.filter((r) => xmlMediaTypes.includes(r.type)).map((r) => r.q));
  if (xml === 0) return false;
  const html = ranges.find((r) => r.type === 'text/html')?.q ?? 0;
  return xml > qualityOf(ranges, 'application/json') && xml > html;
}
