/**
 * The seam between the domain and storage: parameterised statements, transactions and bulk COPY,
 * with the same behaviour on embedded PGlite and on a PostgreSQL server (ADR 0001).
 */
export type Row = Record<string, unknown>;

/** Something that runs statements: the database itself, or an open transaction. */
export interface Sql {
  query<R = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Bulk-loads rows already encoded in COPY text format (see copy-text.ts). */
  copyIn(table: string, columns: readonly string[], data: string): Promise<void>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages: a folder or a server address without credentials. */
  readonly location: string;
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Maps database types to plain JSON values on both drivers. */
export const typeParsers: Record<number, (value: string) => unknown> = {
  20: (v) => Number(v), // int8: ids and counts stay below 2^53
  1700: (v) => Number(v), // numeric: amounts with at most 2-6 decimals
  1082: (v) => v, // date: keep 'YYYY-MM-DD', never shift by time zone
  1114: (v) => new Date(v + 'Z').toISOString(), // timestamp
  1184: (v) => new Date(v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString(), // timestamptz
};

export function copyStatement(table: string, columns: readonly string[], source: string): string {
  const ident = /^[a-z_][a-z0-9_]*$/;
  for (const name of [table, ...columns]) {
    if (!ident.test(name)) throw new Error(`not a plain identifier: ${name}`);
  }
  return `COPY ${table} (${columns.join(', ')}) FROM ${source}`;
}
