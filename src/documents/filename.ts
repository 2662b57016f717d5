/**
 * A document's file name as the sender gave it, made safe to keep and to send back: no folders,
 * no control characters, none of the characters file systems refuse, at most 200 characters; and
 * the Content-Disposition header that offers it for download in any browser.
 */
import { maxFilenameLength } from './kinds.ts';

/** Characters a file name never keeps besides controls: separators and what Windows refuses. */
const refused = new Set('"*/:<>?\\|');

/** Control characters: C0, DEL and C1. */
const isControl = (c: string): boolean => {
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
};

/** The name kept for a file named `name` by its sender; `document` when nothing of it is left. */
export function sanitiseFilename(name: string): string {
  const last = name.split(/[/\\]/).at(-1) ?? '';
  const cleaned = [...last.normalize('NFC')]
    .map((c) => (isControl(c) || refused.has(c) ? '_' : c))
    .join('')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const chars = [...cleaned];
  return chars.length === 0 ? 'document' : chars.slice(0, maxFilenameLength).join('');
}

/** The ASCII stand-in of a name for browsers that do not read `filename*`. */
const asciiOf = (name: string): string => name.replace(/[^\x20-\x7e]|["\\%]/g, '_');

/**
 * `Content-Disposition: attachment` naming the file: an ASCII `filename` and the name itself in
 * `filename*` (RFC 6266, RFC 8187), so no name can break out of the header.
 */
export function attachmentDisposition(filename: string): string {
  const name = sanitiseFilename(filename);
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiOf(name)}"; filename*=UTF-8''${encoded}`;
}
