/**
 * The keyset cursors of the outbox and inbox lists (newest first): where the previous page ended,
 * as the time of its last message to the microsecond and the message's key. Readable, checked at the
 * edge by the schema's pattern and here for a time that exists.
 */
import { err, ok, type Result } from '../shared/result.ts';

const time = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z';
const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** An outbox cursor: `created,id`. */
export const outboxCursorPattern = `^${time},${uuid}$`;
/** An inbox cursor: `received,sender,id`. */
export const inboxCursorPattern = `^${time},[A-Z][A-Z0-9]{1,11},${uuid}$`;

/** The SQL of a row's cursor, from its time column and key columns. */
export const cursorSql = (timeColumn: string, keys: readonly string[]) =>
  `to_char(${timeColumn} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || ',' || ${keys
    .map((k) => `${k}::text`)
    .join(` || ',' || `)}`;

/** A cursor's parts, the time checked to be one (the pattern lets 2026-02-31 through). */
export function parseCursor(cursor: string): Result<string[], { code: 'invalid_request'; message: string }> {
  const parts = cursor.split(',');
  const [at = ''] = parts;
  const d = new Date(at);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 19) !== at.slice(0, 19))
    return err({
      code: 'invalid_request',
      message: `before must be the nextCursor of a previous page: "${at}" is not a time`,
    });
  return ok(parts);
}
