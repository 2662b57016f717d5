/**
 * The feed's cursor: opaque to the agency, it holds the agency, the agreement and the last
 * declaration id served (a keyset on declaration id). A cursor names its agreement and agency, so
 * one given under another agreement or by another agency is refused rather than misread.
 */
import { err, ok, type Result } from '../shared/result.ts';

export interface FeedPosition {
  agency: string;
  agreementId: number;
  /** The last declaration id served; the next page starts after it. */
  after: number;
}

const prefix = 'f1.';

export const encodeCursor = (p: FeedPosition): string =>
  prefix + Buffer.from(JSON.stringify([p.agency, p.agreementId, p.after]), 'utf8').toString('base64url');

/** The position a cursor holds; an error in words when it is not one this feed gave. */
export function decodeCursor(
  text: string,
): Result<FeedPosition, { code: 'invalid_cursor'; message: string }> {
  const refused = err({ code: 'invalid_cursor' as const, message: 'cursor is not one the feed gave' });
  if (!text.startsWith(prefix)) return refused;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text.slice(prefix.length), 'base64url').toString('utf8'));
  } catch {
    return refused;
  }
  if (!Array.isArray(value) || value.length !== 3) return refused;
  const [agency, agreementId, after] = value as unknown[];
  if (typeof agency !== 'string' || !Number.isSafeInteger(agreementId) || !Number.isSafeInteger(after))
    return refused;
  const id = Number(agreementId);
  const last = Number(after);
  if (id < 1 || last < 0) return refused;
  return ok({ agency, agreementId: id, after: last });
}
