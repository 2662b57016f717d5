/**
 * The DEC-DMS 2 element list (data/reference/wco/dec-dms2-elements.csv): each element's WCO ID,
 * and its position, which is the order the schema's sequences require.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface WcoElement {
  xmlPath: string;
  wcoId: string;
  position: number;
}

const file = new URL('../../../../data/reference/wco/dec-dms2-elements.csv', import.meta.url);

function load(): ReadonlyMap<string, WcoElement> {
  const rows: unknown = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true });
  const elements = new Map<string, WcoElement>();
  if (!Array.isArray(rows)) return elements;
  rows.forEach((row: Record<string, string>, position) => {
    const xmlPath = row.xml_path ?? '';
    elements.set(xmlPath, { xmlPath, wcoId: row.WCOID ?? '', position });
  });
  return elements;
}

export const wcoElements = load();

/** The path without item indexes: `Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]/SequenceNumeric` becomes `.../GovernmentAgencyGoodsItem/SequenceNumeric`. */
export const genericXmlPath = (xmlPath: string): string => xmlPath.replace(/\[\d+\]|\bds:/g, '');

export const wcoIdOfElement = (xmlPath: string): string | undefined =>
  wcoElements.get(genericXmlPath(xmlPath))?.wcoId;

/** Schema order of an element (children of one parent are written in increasing order). */
export const positionOf = (xmlPath: string): number =>
  wcoElements.get(genericXmlPath(xmlPath))?.position ?? Number.MAX_SAFE_INTEGER;
