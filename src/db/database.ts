/**
 * The seam between the domain and storage: parameterised statements, transactions and bulk COPY,
 * with the same behaviour on embedded PGlite and on a PostgreSQL server (ADR 0001).
 */
export type Row = Record<string, unknown>;

/**
 * A statement run often enough to be parsed and planned once per connection, then only bound and
 * run: on PGlite, parsing and planning a small statement cost more than running it.
 */
export interface PreparedStatement {
  /** One name per text. */
  readonly name: string;
  readonly text: string;
}

/** Something that runs statements: the database itself, or an open transaction. */
export interface Sql {
  /** The storage that runs the statements: the same results on both, not always at the same cost. */
  readonly kind: 'pglite' | 'postgres';
  query<R = Row>(statement: string | PreparedStatement, params?: readonly unknown[]): Promise<R[]>;
  /** Bulk-loads rows already encoded in COPY text format (see copy-text.ts). */
  copyIn(table: string, columns: readonly string[], data: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * The transaction may share its commit with others asked for at the same moment with this
   * option: on PGlite, whose one connection runs transactions one after another anyway, those
   * waiting are run one after another inside one transaction, saving a commit each. When the
   * shared transaction fails, each is run again alone, so `fn` must have no effect outside the
   * database that a second run would repeat wrongly. Ignored on PostgreSQL, whose connections commit
   * in parallel.
   */
  combine?: boolean;
}

export interface Database extends Sql {
  /** Where the data lives, for messages: a folder or a server address without credentials. */
  readonly location: string;
  transaction<T>(fn: (tx: Sql) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Takes a session-level advisory lock on (`space`, `key`) and holds it until `release()`, or until
   * this process ends and its connection with it; null when another session holds it. Another
   * process tells whether the holder still runs by trying the same lock (`pg_try_advisory_xact_lock`).
   */
  holdLock(space: number, key: number): Promise<HeldLock | null>;
  close(): Promise<void>;
}

export interface HeldLock {
  release(): Promise<void>;
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
