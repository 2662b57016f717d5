/** A PostgreSQL server, reached through a pool of node-postgres connections. */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  copyStatement,
  typeParsers,
  type Database,
  type PreparedStatement,
  type Row,
  type Sql,
} from './database.ts';

const types = {
  getTypeParser: (oid: number, format?: string) =>
    typeParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text'),
};

function wrap(client: pg.Pool | pg.PoolClient): Sql {
  return {
    kind: 'postgres',
    async query<R = Row>(statement: string | PreparedStatement, params: readonly unknown[] = []) {
      // node-postgres prepares a named statement on each connection the first time it runs there
      const named = typeof statement === 'string' ? { text: statement } : statement;
      const result = await client.query({ ...named, values: [...params], types });
      return result.rows as R[];
    },
    async copyIn(table, columns, data) {
      if (data.length === 0) return;
      if (!('release' in client)) throw new Error('COPY runs inside a transaction');
      const stream = client.query(copyFrom(copyStatement(table, columns, 'STDIN')));
      await pipeline(Readable.from([data]), stream);
    },
  };
}

function redact(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined); // an idle client's error surfaces on its next use
  const client = await pool.connect(); // fail fast with a clear error if the server is unreachable
  client.release();
  const base = wrap(pool);
  // each held lock has a connection of its own, outside the pool, for as long as it is held
  const holders = new Set<pg.Client>();
  return {
    kind: 'postgres',
    location: redact(url),
    query: base.query,
    copyIn: base.copyIn,
    async transaction(fn) {
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        const value = await fn(wrap(conn));
        await conn.query('COMMIT');
        return value;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
    },
    async holdLock(space, key) {
      const holder = new pg.Client({ connectionString: url });
      holder.on('error', () => undefined); // a lost connection releases the lock, as a crash would
      await holder.connect();
      const { rows } = await holder.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, $2) AS locked',
        [space, key],
      );
      if (!rows[0]?.locked) {
        await holder.end();
        return null;
      }
      holders.add(holder);
      return {
        async release() {
          if (holders.delete(holder)) await holder.end();
        },
      };
    },
    async close() {
      await Promise.all([...holders].map((h) => h.end()));
      holders.clear();
      await pool.end();
    },
  };
}
