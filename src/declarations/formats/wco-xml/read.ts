/**
 * Reads a DEC-DMS 2 message into a small element tree, safely: a size limit, no DOCTYPE at all (so
 * no DTD, no external entity, no entity expansion; saxes knows only the five predefined entities
 * and refuses any other reference), and the root must be `Declaration` in the DEC-DMS namespace.
 * Every element keeps its path, line and column for findings.
 */
import { SaxesParser } from 'saxes';

export const decDmsNamespace = 'urn:wco:datamodel:WCO:DEC-DMS:2';

/** The largest message accepted, in bytes (a declaration of 999 items is about 1.5 MB). */
export const maxMessageBytes = 4 * 1024 * 1024;

/**
 * The most elements a message may hold. A declaration of 999 items with every mapped field filled
 * has about 27,000 elements (27 per item); the cap leaves room for a sender's optional elements
 * and refuses a flood of empty ones, which 4 MiB could otherwise carry by the million.
 */
export const maxMessageElements = 100_000;

/** The deepest nesting accepted: a DEC-DMS 2 message nests 7 or 8 levels deep. */
export const maxMessageDepth = 64;

export interface XmlElement {
  name: string;
  /** Path from the root with 1-based indexes on repeated elements, e.g. `Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]/SequenceNumeric`. */
  path: string;
  line: number;
  column: number;
  attributes: Readonly<Record<string, string>>;
  text: string;
  children: XmlElement[];
}

export type XmlReadErrorCode =
  | 'xml_too_large'
  | 'xml_doctype_refused'
  | 'xml_malformed'
  | 'xml_wrong_namespace'
  | 'xml_wrong_root'
  | 'xml_too_many_elements'
  | 'xml_too_deep';

export interface XmlReadError {
  code: XmlReadErrorCode;
  message: string;
  line?: number;
  column?: number;
}

export type ReadResult = { ok: true; root: XmlElement } | { ok: false; error: XmlReadError };

/** Thrown from a parser handler to end the reading at the first problem. */
class Stop extends Error {}

/** Parses the message; the first problem ends the reading and is returned with its line and column. */
export function readMessage(xml: string): ReadResult {
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > maxMessageBytes) {
    return fail('xml_too_large', `the message has ${bytes} bytes, more than the ${maxMessageBytes} accepted`);
  }
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  /** For each open element, how many children of each name it has so far. */
  const childCounts: Map<string, number>[] = [];
  let root: XmlElement | undefined;
  let problem: XmlReadError | undefined;
  let elements = 0;
  let start = { line: 1, column: 1 };
  /** Records the first problem and ends the parse there: saxes would otherwise read on to the end. */
  const stop = (error: XmlReadError): never => {
    problem ??= error;
    throw new Stop(error.message);
  };

  parser.on('doctype', () =>
    stop({
      code: 'xml_doctype_refused',
      message: 'a DOCTYPE (DTD, entity declarations) is not accepted in a WCO declaration message',
      line: parser.line,
      column: parser.column,
    }),
  );
  parser.on('opentagstart', (tag) => {
    start = { line: parser.line, column: Math.max(1, parser.column - tag.name.length - 1) };
  });
  parser.on('opentag', (tag) => {
    if (++elements > maxMessageElements) {
      stop({
        code: 'xml_too_many_elements',
        message: `the message has more than ${maxMessageElements} elements, the most accepted`,
        ...start,
      });
    }
    if (stack.length >= maxMessageDepth) {
      stop({
        code: 'xml_too_deep',
        message: `the message nests elements more than ${maxMessageDepth} levels deep, the most accepted`,
        ...start,
      });
    }
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (tag.local !== 'Declaration') {
        return stop({
          code: 'xml_wrong_root',
          message: `the root element is ${tag.local}, not Declaration`,
          ...start,
        });
      }
      if (tag.uri !== decDmsNamespace) {
        return stop({
          code: 'xml_wrong_namespace',
          message: `the Declaration element is in namespace "${tag.uri}", not ${decDmsNamespace}`,
          ...start,
        });
      }
    }
    const name = tag.local ?? tag.name;
    const counts = childCounts[childCounts.length - 1];
    const siblings = counts?.get(name) ?? 0;
    counts?.set(name, siblings + 1);
    const base = parent ? `${parent.path}/${name}` : name;
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      if (typeof attribute === 'object' && attribute.prefix !== 'xmlns' && attribute.name !== 'xmlns') {
        attributes[attribute.local] = attribute.value;
      }
    }
    const element: XmlElement = {
      name,
      path: siblings > 0 || repeated.has(name) ? `${base}[${siblings + 1}]` : base,
      ...start,
      attributes,
      text: '',
      children: [],
    };
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
    childCounts.push(new Map());
  });
  parser.on('text', (text) => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  });
  parser.on('cdata', (text) => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
    childCounts.pop();
  });
  parser.on('error', (e) => {
    stop({ code: 'xml_malformed', message: malformed(e.message), line: parser.line, column: parser.column });
  });

  try {
    parser.write(xml).close();
  } catch (e) {
    if (!(e instanceof Stop)) {
      problem ??= {
        code: 'xml_malformed',
        message: malformed(String(e)),
        line: parser.line,
        column: parser.column,
      };
    }
  }
  if (problem) return { ok: false, error: problem };
  if (!root) return fail('xml_malformed', 'the message has no root element');
  return { ok: true, root };
}

/** Elements that repeat in a declaration: their paths always carry an index, the first too. */
const repeated = new Set(['GovernmentAgencyGoodsItem', 'GovernmentProcedure', 'DutyTaxFee', 'Packaging']);

/** saxes prefixes its messages with a position we report separately. */
function malformed(message: string): string {
  return `the message is not well-formed XML: ${message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`;
}

function fail(code: XmlReadErrorCode, message: string): ReadResult {
  return { ok: false, error: { code, message } };
}
