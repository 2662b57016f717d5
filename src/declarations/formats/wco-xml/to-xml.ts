/**
 * A declaration as a DEC-DMS 2 message. Fields go where `mapping.ts` says; elements are written
 * in the order of the WCO element list, which is the schema's order.
 */
import type { DeclarationInput, GoodsItem } from '../../model.ts';
import { decDmsNamespace } from './read.ts';
import { positionOf } from './elements.ts';
import { paths } from './mapping.ts';

interface Node {
  path: string;
  name: string;
  text?: string;
  attributes?: Record<string, string>;
  children: Node[];
}

/** The namespace of the data-structure schema, whose local elements (DateTimeString) are qualified. */
const dataStructureNamespace = 'urn:wco:datamodel:WCO:Declaration_DS:DMS:2';

/** The original declaration (WCO FunctionCode 9). */
const functionCodeOriginal = '9';

function node(path: string): Node {
  return { path, name: path.slice(path.lastIndexOf('/') + 1), children: [] };
}

/** The element at `path` (a path that starts at the parent's path), created if absent. */
function at(parent: Node, path: string): Node {
  const rest = path.slice(parent.path.length + 1).split('/');
  let current = parent;
  for (const name of rest) {
    const childPath = `${current.path}/${name}`;
    let child = current.children.find((c) => c.path === childPath);
    if (!child) {
      child = node(childPath);
      current.children.push(child);
    }
    current = child;
  }
  return current;
}

function set(
  parent: Node,
  path: string,
  value: string | number | undefined,
  attributes?: Record<string, string>,
) {
  if (value === undefined || value === '') return;
  const element = at(parent, path);
  element.text = typeof value === 'number' ? decimal(value) : value;
  if (attributes) element.attributes = { ...element.attributes, ...attributes };
}

/** A fresh repeated element under `parent` (goods item, procedure, duty). */
function add(parent: Node, path: string): Node {
  const element = node(path);
  parent.children.push(element);
  return element;
}

/** Plain decimal notation (never exponent form), as xs:decimal requires. */
export function decimal(n: number): string {
  if (Number.isInteger(n)) return n.toFixed(0);
  return n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

export function declarationToXml(d: DeclarationInput): string {
  const root = node('Declaration');
  set(root, paths.functionCode, functionCodeOriginal);
  set(root, paths.functionalReference, d.functionalReference);
  set(root, paths.issueDateString, d.date.replaceAll('-', ''), { formatCode: '102' });
  set(root, paths.typeCode, d.type + (d.processingMode ?? ''));
  set(root, paths.office, d.office);
  set(root, paths.invoiceAmount, d.invoiceTotal);
  set(root, paths.borderMode, d.transportMode);
  set(root, paths.carrier, d.courier);
  set(root, paths.currency, d.currency);
  set(root, paths.declarant, d.declarant);
  const exporting = d.type === 'EX';
  set(root, paths.exporter, exporting ? d.trader : d.exporter);
  set(root, paths.buyer, d.buyer);
  if (exporting) set(root, paths.consignor, d.exporter);
  set(root, paths.destination, d.destinationCountry);
  set(root, paths.exportCountry, d.dispatchCountry);
  if (!exporting) set(root, paths.importer, d.trader);
  set(root, paths.previousDocumentId, d.transportDocument);
  const documentType = d.transportDocumentType;
  if (documentType !== undefined && documentType.length === 4) {
    set(root, paths.previousDocumentCategory, documentType.slice(0, 1));
    set(root, paths.previousDocumentType, documentType.slice(1));
  } else set(root, paths.previousDocumentType, documentType);
  set(root, paths.seller, d.seller);
  set(root, paths.tradeTerms, d.incoterm);
  set(root, paths.ucr, d.ucr);
  const shipment = at(root, 'Declaration/GoodsShipment');
  for (const item of d.items) writeItem(add(shipment, paths.item), item, d);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(root, 0, true)}\n`;
}

function writeItem(gi: Node, item: GoodsItem, d: DeclarationInput) {
  set(gi, paths.itemSequence, item.sequence);
  set(gi, paths.itemValue, item.value);
  set(gi, paths.description, item.description);
  set(gi, paths.classification, item.hsCode);
  if (item.dutyTaxType !== undefined || item.dutyRate !== undefined || d.paymentMethod !== undefined) {
    const duty = add(at(gi, `${paths.item}/Commodity`), `${paths.item}/Commodity/DutyTaxFee`);
    set(duty, paths.dutyRate, item.dutyRate);
    set(duty, paths.dutyType, item.dutyTaxType);
    set(duty, paths.paymentMethod, d.paymentMethod);
  }
  set(gi, paths.grossMass, item.grossMass, { unitCode: 'KGM' });
  set(gi, paths.netMass, item.netMass, { unitCode: 'KGM' });
  if (item.supplementaryQuantity !== undefined) {
    const unit = item.supplementaryUnit ? { unitCode: item.supplementaryUnit } : undefined;
    set(gi, paths.tariffQuantity, item.supplementaryQuantity, unit);
  }
  // the procedure is the first GovernmentProcedure, the additional one the second: an empty first
  // keeps that place when only the additional procedure is given
  const procedures =
    d.additionalProcedure === undefined ? [d.procedure] : [d.procedure, d.additionalProcedure];
  if (procedures.some((code) => code !== undefined)) {
    for (const code of procedures) set(add(gi, `${paths.item}/GovernmentProcedure`), paths.procedure, code);
  }
  // the item's own origin is the first Origin, the declaration's the second (an empty first keeps
  // that place when the item has none)
  const own = item.originCountry !== undefined || item.originIndicator !== undefined;
  if (own || d.originCountry !== undefined) {
    const origin = add(gi, `${paths.item}/Origin`);
    set(origin, paths.originCountry, item.originCountry);
    set(origin, paths.originType, item.originIndicator);
  }
  if (d.originCountry !== undefined)
    set(add(gi, `${paths.item}/Origin`), paths.originCountry, d.originCountry);
  if (item.packageType !== undefined || item.packageCount !== undefined) {
    const packaging = add(gi, `${paths.item}/Packaging`);
    set(packaging, paths.packageSequence, 1);
    set(packaging, paths.packageQuantity, item.packageCount);
    set(packaging, paths.packageType, item.packageType);
  }
}

function serialize(n: Node, depth: number, isRoot = false): string {
  const pad = '  '.repeat(depth);
  const ns = isRoot ? ` xmlns="${decDmsNamespace}" xmlns:ds="${dataStructureNamespace}"` : '';
  const attrs = Object.entries(n.attributes ?? {})
    .map(([k, v]) => ` ${k}="${escape(v)}"`)
    .join('');
  if (n.children.length === 0) return `${pad}<${n.name}${ns}${attrs}>${escape(n.text ?? '')}</${n.name}>`;
  const children = [...n.children].sort((a, b) => positionOf(a.path) - positionOf(b.path));
  const inner = children.map((c) => serialize(c, depth + 1)).join('\n');
  return `${pad}<${n.name}${ns}${attrs}>\n${inner}\n${pad}</${n.name}>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}
