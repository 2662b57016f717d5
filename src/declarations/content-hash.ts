/**
 * A fingerprint of a declaration's content, so that a resubmission with the same content is
 * recognised as the same declaration.
 */
import { hash } from 'node:crypto';
import { exchangeCellCount, type EncodedContent } from './rows.ts';

/** The header's exchange cells when all are empty, which the fingerprint leaves out. */
const noExchangeFields = '\t\\N'.repeat(exchangeCellCount);

/**
 * A declaration without the exchange fields (UCR to Incoterm) keeps the fingerprint it had before
 * they existed, so a resubmission of a declaration stored earlier is still recognised.
 */
export function contentHash(content: EncodedContent): string {
  const header = content.header.endsWith(noExchangeFields)
    ? content.header.slice(0, -noExchangeFields.length)
    : content.header;
  const text =
    content.items.length === 1 ? `${header}\n${content.items[0]}` : [header, ...content.items].join('\n');
  return hash('sha1', text, 'base64url');
}
