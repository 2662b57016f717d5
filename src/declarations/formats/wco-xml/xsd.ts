/**
 * Checks a DEC-DMS 2 message against the WCO schemas, in process, with libxml2 compiled to
 * WebAssembly (libxml2-wasm; ADR 0022). The schemas are compiled once and kept; each message is
 * parsed by libxml2 with its defaults, which load no DTD and substitute no entity, and the message
 * has already passed the safe reader (no DOCTYPE at all) before it gets here.
 */
import { readFileSync } from 'node:fs';
import {
  XmlDocument,
  XmlLibError,
  XsdValidator,
  xmlRegisterInputProvider,
  type XmlInputProvider,
} from 'libxml2-wasm';

/** One schema violation: libxml2's message, where it is, and the element's path. */
export interface SchemaViolation {
  message: string;
  line: number;
  column: number;
  /** XPath of the element, as libxml2 gives it (e.g. `/Declaration/GoodsShipment/...`). */
  xpath?: string;
}

const dir = new URL('../../../../data/reference/wco/', import.meta.url);
const mainSchema = 'WCO_DEC_2_DMS.xsd';
/** The files the main schema imports, under the names its schemaLocation attributes give. */
const imported: Record<string, string> = {
  'WCO_DS/WCO_DEC_DS_2_DMS.xsd': 'WCO_DEC_DS_2_DMS.xsd',
  'UNECE/UnqualifiedDataType_6_DMS.xsd': 'UNECE/UnqualifiedDataType_6_DMS.xsd',
};

/** Serves the imported schemas from memory, and nothing else: libxml2 reads no file and no URL. */
function schemaProvider(files: ReadonlyMap<string, Uint8Array>): XmlInputProvider {
  const open = new Map<number, { bytes: Uint8Array; at: number }>();
  let next = 1;
  const known = (name: string) => files.get(name.replace(/^.*?(WCO_DS|UNECE)\//, '$1/'));
  return {
    match: (name) => known(name) !== undefined,
    open: (name) => {
      const bytes = known(name);
      if (bytes === undefined) return undefined;
      const fd = next++;
      open.set(fd, { bytes, at: 0 });
      return fd;
    },
    read: (fd, buf) => {
      const file = open.get(fd);
      if (!file) return -1;
      const n = Math.min(buf.length, file.bytes.length - file.at);
      buf.set(file.bytes.subarray(file.at, file.at + n));
      file.at += n;
      return n;
    },
    close: (fd) => open.delete(fd),
  };
}

let validator: XsdValidator | undefined;

function compiled(): XsdValidator {
  if (validator) return validator;
  const files = new Map<string, Uint8Array>();
  for (const [name, file] of Object.entries(imported)) files.set(name, readFileSync(new URL(file, dir)));
  xmlRegisterInputProvider(schemaProvider(files));
  const schema = XmlDocument.fromBuffer(readFileSync(new URL(mainSchema, dir)), { url: mainSchema });
  try {
    validator = XsdValidator.fromDoc(schema);
  } finally {
    schema.dispose();
  }
  return validator;
}

/** The schema violations of a message (empty when it is valid); throws only if the schemas cannot load. */
export function schemaViolations(xml: string): SchemaViolation[] {
  const xsd = compiled();
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(xml);
  } catch (e) {
    if (e instanceof XmlLibError) return e.details.map(violation);
    throw e;
  }
  try {
    xsd.validate(doc);
    return [];
  } catch (e) {
    if (e instanceof XmlLibError) return e.details.map(violation);
    throw e;
  } finally {
    doc.dispose();
  }
}

function violation(d: { message: string; line: number; col: number; xpath?: string }): SchemaViolation {
  const v: SchemaViolation = { message: d.message.trim(), line: d.line, column: d.col };
  return d.xpath === undefined ? v : { ...v, xpath: d.xpath };
}
