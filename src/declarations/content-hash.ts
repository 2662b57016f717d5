/**
 * A fingerprint of a declaration's content, so that a resubmission with the same content is
 * recognised as the same declaration.
 */
import { hash } from 'node:crypto';
import type { EncodedContent } from './rows.ts';

export function contentHash(content: EncodedContent): string {
  const text =
    content.items.length === 1
      ? `${content.header}\n${content.items[0]}`
      : [content.header, ...content.items].join('\n');
  return hash('sha1', text, 'base64url');
}
