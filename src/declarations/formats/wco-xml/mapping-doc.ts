/**
 * Writes docs/wco-mapping.md from the mapping table (run this file to regenerate it; a test checks
 * that the document is current).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { wcoIdOfElement } from './elements.ts';
import { wcoXmlMapping } from './mapping.ts';

export function mappingDocument(): string {
  const rows = wcoXmlMapping.flatMap((m) => {
    const element = m.attribute ? `${m.xmlPath} @${m.attribute}` : m.xmlPath;
    const row = (path: string, note: string | undefined) =>
      `| \`${path}\` | ${wcoIdOfElement(path) ?? ''} | \`${m.field}\` | ${note ?? ''} |`;
    return m.otherwise
      ? [row(element, m.note), row(m.otherwise.xmlPath, m.otherwise.note)]
      : [row(element, m.note)];
  });
  return [
    '# WCO Data Model XML (DEC-DMS 2) mapping',
    '',
    'Generated from `src/declarations/formats/wco-xml/mapping.ts`, the one place each element is',
    'mapped; the data dictionary (`GET /api/catalog`) gives the same element and WCO ID for each field',
    '(checked by `wco-xml.test.ts`). Messages are in the namespace `urn:wco:datamodel:WCO:DEC-DMS:2`',
    'and validate against `data/reference/wco/WCO_DEC_2_DMS.xsd`. `FunctionCode` is written as 9',
    '(original); `Packaging/SequenceNumeric` as 1.',
    '',
    '| Element | WCO ID | Field | Note |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../../../../docs/wco-mapping.md', import.meta.url), mappingDocument());
}
