/**
 * The payload of an export declaration message, chosen in one place: the declaration as a WCO Data
 * Model DEC-DMS 2 message (declarations/formats/wco-xml), as a partner's system reads it.
 */
import { declarationToXml } from '../declarations/formats/wco-xml/to-xml.ts';
import type { DeclarationInput } from '../declarations/model.ts';

export const exportContentType = 'application/xml';

export function exportPayload(declaration: DeclarationInput): Buffer {
  return Buffer.from(declarationToXml(declaration), 'utf8');
}
