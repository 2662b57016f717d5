/**
 * WCO Data Model XML (DEC-DMS 2) in and out: a message read safely, checked against the schema,
 * and mapped onto a draft declaration; findings located in the message.
 */
import type { Finding } from '../../model.ts';
import type { DeclarationDraft } from '../../validate/index.ts';
import { genericXmlPath, wcoIdOfElement } from './elements.ts';
import { draftFromXml, type XmlOrigin } from './from-xml.ts';
import { wcoXmlMapping } from './mapping.ts';
import { readMessage, type XmlElement, type XmlReadError } from './read.ts';
import { schemaViolations, type SchemaViolation } from './xsd.ts';

export { declarationToXml } from './to-xml.ts';
export { readWcoDraft } from './from-xml.ts';
export {
  decDmsNamespace,
  maxMessageBytes,
  maxMessageDepth,
  maxMessageElements,
  type XmlReadError,
} from './read.ts';

/** The most schema violations reported for one message; one more finding says how many were left out. */
export const maxSchemaFindings = 100;
export { wcoXmlMapping } from './mapping.ts';

export interface WcoMessage {
  draft: DeclarationDraft;
  origins: ReadonlyMap<string, XmlOrigin>;
  /** Schema violations and unreadable values, located in the message; empty when it is sound. */
  findings: Finding[];
}

export type WcoParse = { ok: true; value: WcoMessage } | { ok: false; error: XmlReadError };

/** Reads, checks against the XSD and maps one message. A message that cannot be read at all is an error; a schema violation is a finding. */
export function parseWcoMessage(xml: string): WcoParse {
  const read = readMessage(xml);
  if (!read.ok) return read;
  const { draft, origins, findings } = draftFromXml(read.root);
  const violations = schemaViolations(xml);
  const schema = violations.slice(0, maxSchemaFindings).map((v) => schemaFinding(v, read.root));
  const more = violations.length - maxSchemaFindings;
  if (more > 0) {
    schema.push({
      path: 'xml',
      code: 'xml_schema_invalid',
      message: `the message does not match the DEC-DMS 2 schema at ${more} more ${more === 1 ? 'place' : 'places'}, not listed (the first ${maxSchemaFindings} are)`,
      severity: 'error',
      layer: 'format',
    });
  }
  return { ok: true, value: { draft, origins, findings: [...schema, ...findings] } };
}

/** Adds to each finding the element its field came from (path, WCO ID, line, column). */
export function locateFindings(
  findings: readonly Finding[],
  origins: ReadonlyMap<string, XmlOrigin>,
): Finding[] {
  return findings.map((f) => {
    if (f.xmlPath !== undefined) return f;
    const origin = origins.get(f.path) ?? origins.get(f.path.replace(/\.[^.]*$/, ''));
    return origin ? { ...f, ...origin, wcoId: f.wcoId ?? origin.wcoId } : f;
  });
}

/** The field an element holds, by the mapping (`items[2].hsCode` for the third item's Classification/ID). */
function fieldOf(xmlPath: string): string | undefined {
  const generic = genericXmlPath(xmlPath);
  const mapping = wcoXmlMapping.find((m) => m.xmlPath === generic && m.attribute === undefined);
  if (!mapping) return undefined;
  const item = /GovernmentAgencyGoodsItem\[(\d+)\]/.exec(xmlPath);
  return item ? mapping.field.replace('items[]', `items[${Number(item[1]) - 1}]`) : mapping.field;
}

/**
 * The element libxml2 names by its node path. Each step is a name (`d:GoodsShipment`, or `*` for
 * an element in the default namespace) with, when it has same-named siblings, its 1-based
 * position among them (`GovernmentAgencyGoodsItem[2]`). Steps are matched on the local name, so
 * the prefix a message chose does not matter; a `*[n]` step is the n-th element child.
 */
function elementAt(root: XmlElement, xpath: string | undefined): XmlElement | undefined {
  if (!xpath?.startsWith('/')) return undefined;
  const [first, ...steps] = xpath.split('/').slice(1).map(step);
  if (!first || (first.name !== '*' && first.name !== root.name)) return undefined;
  let current: XmlElement | undefined = root;
  for (const { name, index } of steps) {
    if (!current) return undefined;
    const candidates: XmlElement[] =
      name === '*' ? current.children : current.children.filter((c) => c.name === name);
    current = candidates[index - 1];
  }
  return current;
}

/** One step of a node path: its local name (or `*`) and 1-based position. */
function step(text: string): { name: string; index: number } {
  const match = /^(?:[^:[\]]*:)?([^[\]]+)(?:\[(\d+)\])?$/.exec(text);
  return { name: match?.[1] ?? '', index: match?.[2] ? Number(match[2]) : 1 };
}

function schemaFinding(v: SchemaViolation, root: XmlElement): Finding {
  const element = elementAt(root, v.xpath);
  const message = `the message does not match the DEC-DMS 2 schema: ${v.message.replace(/\{urn:wco:datamodel:WCO:DEC-DMS:2\}/g, '')}`;
  const base = { code: 'xml_schema_invalid', message, severity: 'error', layer: 'format' } as const;
  if (!element) return { ...base, path: 'xml', line: v.line, ...(v.column > 0 ? { column: v.column } : {}) };
  const wcoId = wcoIdOfElement(element.path);
  return {
    ...base,
    path: fieldOf(element.path) ?? element.path,
    xmlPath: element.path,
    ...(wcoId ? { wcoId } : {}),
    line: element.line,
    column: element.column,
  };
}
