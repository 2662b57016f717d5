/** The embedded database: PGlite (PostgreSQL in WebAssembly) with its data folder on disk. */
import { mkdir } from 'node:fs/promises';
import { parse, PGlite, protocol, type Transaction } from '@electric-sql/pglite';
import {
  copyStatement,
  typeParsers,
  type Database,
  type PreparedStatement,
  type Row,
  type Sql,
} from './database.ts';
import { acquireFolderLock } from './folder-lock.ts';

const { serialize } = protocol;

/** A transaction, with the database it runs in and the names of the statements prepared there. */
interface InTransaction {
  tx: Transaction;
  pg: PGlite;
  prepared: Set<string>;
}

function wrap(client: PGlite | InTransaction): Sql {
  const run = 'tx' in client ? client.tx : client;
  return {
    kind: 'pglite',
    async query<R = Row>(statement: string | PreparedStatement, params: readonly unknown[] = []) {
      // outside a transaction, a prepared statement runs as any other (see runPrepared)
      if (typeof statement !== 'string' && 'tx' in client) return runPrepared<R>(client, statement, params);
      const text = typeof statement === 'string' ? statement : statement.text;
      const result = await run.query<R>(text, [...params]);
      return result.rows;
    },
    async copyIn(table, columns, data) {
      if (data.length === 0) return;
      await run.query(copyStatement(table, columns, `'/dev/blob'`), [], { blob: new Blob([data]) });
    },
  };
}

/**
 * query() parses, plans and describes a statement anew each time, in six calls into the engine; a
 * prepared statement is parsed once per database, then bound and run in one call (the ledger's
 * append: about 0.15 ms instead of 0.4). execProtocol() waits for no transaction, so it is used
 * only inside one, and runExclusive() keeps the transaction's other queries apart from it.
 */
async function runPrepared<R>(
  { tx, pg, prepared }: InTransaction,
  statement: PreparedStatement,
  params: readonly unknown[],
): Promise<R[]> {
  if (tx.closed) throw new Error('Transaction is closed');
  return pg.runExclusive(async () => {
    if (!prepared.has(statement.name)) {
      await pg.execProtocol(join(serialize.parse(statement), serialize.sync()), { syncToFs: false });
      prepared.add(statement.name); // a prepared statement outlives its transaction, even rolled back
    }
    const bind = serialize.bind({ statement: statement.name, values: params.map(textValue) });
    const run = join(bind, serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync());
    const { messages } = await pg.execProtocol(run, { syncToFs: false });
    return (parse.parseResults(messages, pg.parsers)[0]?.rows ?? []) as R[];
  });
}

/** A parameter sent as text, as node-postgres sends it; an object has no single text form here. */
function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') throw new TypeError('a prepared statement takes text, numbers and booleans');
  return String(value);
}

function join(...messages: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(messages.reduce((n, m) => n + m.length, 0));
  let offset = 0;
  for (const m of messages) {
    joined.set(m, offset);
    offset += m.length;
  }
  return joined;
}

interface Waiting {
  fn: (tx: Sql) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** At most this many transactions share a commit, so that none waits long behind the others. */
const groupLimit = 32;

/**
 * Transactions asked for with `combine` (database.ts): the first runs at once; those asked for
 * while it runs wait, then run one after another in one transaction, and each is settled once it
 * commits. When that transaction fails, each of them is run again alone, and gets its own outcome.
 */
function combiner(
  pg: PGlite,
  prepared: Set<string>,
  alone: <T>(fn: (tx: Sql) => Promise<T>) => Promise<T>,
): <T>(fn: (tx: Sql) => Promise<T>) => Promise<T> {
  const waiting: Waiting[] = [];
  let draining = false;
  const runAlone = (w: Waiting) => alone(w.fn).then(w.resolve, w.reject);

  async function drain() {
    draining = true;
    try {
      while (waiting.length > 0) {
        const group = waiting.splice(0, groupLimit);
        if (group.length === 1) {
          await runAlone(group[0] as Waiting);
          continue;
        }
        let results: unknown[];
        try {
          results = await pg.transaction(async (tx) => {
            const sql = wrap({ tx, pg, prepared });
            const out: unknown[] = [];
            for (const w of group) out.push(await w.fn(sql));
            // a statement error that one of them caught has aborted the transaction, and COMMIT
            // would then roll everything back without a word: found here instead
            await tx.query('SELECT 1');
            return out;
          });
        } catch {
          for (const w of group) await runAlone(w);
          continue;
        }
        group.forEach((w, i) => w.resolve(results[i]));
      }
    } finally {
      draining = false;
    }
  }

  return <T>(fn: (tx: Sql) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      waiting.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!draining) void drain();
    });
}

export async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const release = await acquireFolderLock(dataDir);
  try {
    const pg = await PGlite.create(dataDir, { parsers: typeParsers });
    const base = wrap(pg);
    const prepared = new Set<string>();
    const alone = <T>(fn: (tx: Sql) => Promise<T>) => pg.transaction((tx) => fn(wrap({ tx, pg, prepared })));
    const combined = combiner(pg, prepared, alone);
    return {
      kind: 'pglite',
      location: dataDir,
      query: base.query,
      copyIn: base.copyIn,
      transaction: (fn, options) => (options?.combine ? combined(fn) : alone(fn)),
      // the folder lock keeps every other process out of an embedded database: nothing to hold
      holdLock: () => Promise.resolve({ release: () => Promise.resolve() }),
      async close() {
        await pg.close();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}
