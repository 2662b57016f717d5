/** Expected outcomes are values; bugs and outages throw. */
export type Result<T, E extends { code: string }> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E extends { code: string }>(error: E): { ok: false; error: E } => ({ ok: false, error });
