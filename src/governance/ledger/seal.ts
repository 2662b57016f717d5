/**
 * Sealing (ADR 0013): pending entries, recorded by the transactions that made the changes, are
 * chained into the ledger in the order they were recorded (their id), in batches, each batch in one
 * transaction under the head row's lock. The sealer is the only writer of `ledger_head` besides the
 * rare `recordChained`, so no change waits on it. A sealed entry is hashed exactly as one appended
 * directly (entry.ts): checkpoints, signed heads and verification read the same chain.
 */
import { setImmediate } from 'node:timers/promises';
import type { Database, Sql } from '../../db/database.ts';
import { entryHash, type LedgerEntry, type SubjectKind } from './entry.ts';
import { writtenAt } from './read.ts';
import { onPending } from './seal-signal.ts';

/**
 * Entries chained per transaction: a few milliseconds of hashing and writing, so that lodging, which
 * waits for the sealer on PGlite and for the Node thread anywhere, is not held up behind a backlog.
 */
const batchSize = 500;

/**
 * Sealed entries leave dead rows in `ledger_pending`, which every seal would otherwise read again:
 * under steady lodging, tens of thousands between two autovacuum runs (and PGlite has none). The
 * sealer vacuums the table itself once it has removed this many. It does not truncate the table:
 * truncating locks out every lodging's insert while it runs, and the space is used again anyway.
 */
const vacuumAfter = 2000;
const removedSinceVacuum = new WeakMap<Database, number>();

interface Pending {
  id: number;
  at: string;
  actor: string;
  action: string;
  subjectKind: SubjectKind;
  subjectId: string | null;
  data: string;
}

interface Head {
  seq: number;
  hash: string;
}

/** The head, locked until the transaction `tx` ends: whoever holds it is the only one chaining. */
export async function lockHead(tx: Sql): Promise<Head> {
  const [head] = await tx.query<Head>('SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE');
  if (!head) throw new Error('the ledger has no head row');
  return head;
}

/**
 * Chains up to `batchSize` committed pending entries after `head`, which `tx` holds locked;
 * returns the new head and how many it chained.
 */
export async function chainPending(tx: Sql, head: Head): Promise<{ head: Head; chained: number }> {
  // under the head's lock: another sealer that took these entries has committed or rolled back
  const pending = await tx.query<Pending>(
    `DELETE FROM ledger_pending WHERE id IN (SELECT id FROM ledger_pending ORDER BY id LIMIT $1)
     RETURNING id, ${writtenAt} AS at, actor, action, subject_kind AS "subjectKind",
       subject_id AS "subjectId", data`,
    [batchSize],
  );
  if (pending.length === 0) return { head, chained: 0 };
  pending.sort((a, b) => a.id - b.id);
  const entries: LedgerEntry[] = [];
  let prev = head;
  for (const p of pending) {
    const e = { ...p, seq: prev.seq + 1, prevHash: prev.hash };
    const hash = entryHash(e);
    entries.push({
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      action: e.action,
      subjectKind: e.subjectKind,
      subjectId: e.subjectId,
      data: e.data,
      prevHash: e.prevHash,
      hash,
    });
    prev = { seq: e.seq, hash };
  }
  await tx.query(
    `INSERT INTO ledger (seq, at, actor, action, subject_kind, subject_id, data, prev_hash, hash)
     SELECT * FROM unnest($1::int8[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                          $7::text[], $8::text[], $9::text[])`,
    [
      entries.map((e) => e.seq),
      entries.map((e) => e.at),
      entries.map((e) => e.actor),
      entries.map((e) => e.action),
      entries.map((e) => e.subjectKind),
      entries.map((e) => e.subjectId),
      entries.map((e) => e.data),
      entries.map((e) => e.prevHash),
      entries.map((e) => e.hash),
    ],
  );
  await tx.query('UPDATE ledger_head SET seq = $1, hash = $2 WHERE id = 1', [prev.seq, prev.hash]);
  return { head: prev, chained: entries.length };
}

/** Chains the next batch of committed pending entries; how many it chained. */
async function sealBatch(db: Database): Promise<number> {
  return db.transaction(async (tx) => (await chainPending(tx, await lockHead(tx))).chained);
}

/**
 * Chains every entry committed as pending so far; how many. Cheap when there are none (one read,
 * no transaction). Whoever reads the ledger calls it first, so a change committed before the read
 * is in the chain it reads.
 */
export async function sealPending(db: Database): Promise<number> {
  let sealed = 0;
  for (;;) {
    const [any] = await db.query('SELECT id FROM ledger_pending ORDER BY id LIMIT 1');
    if (!any) break;
    const n = await sealBatch(db);
    sealed += n;
    if (n < batchSize) break;
    await setImmediate(); // requests that came in meanwhile go first
  }
  const removed = (removedSinceVacuum.get(db) ?? 0) + sealed;
  removedSinceVacuum.set(db, removed >= vacuumAfter ? 0 : removed);
  // housekeeping: a vacuum that fails (a timeout, a role that does not own the table) leaves the
  // dead rows to autovacuum, and must not fail the sealing that has committed
  if (removed >= vacuumAfter) await db.query('VACUUM (TRUNCATE false) ledger_pending').catch(() => undefined);
  return sealed;
}

/**
 * Seals what it can before the chain is read or signed; a failure (a head moved back by someone
 * writing to the database makes the next seq taken) is returned, not thrown, so that verification
 * and the checks before signing still run and name the tampering.
 */
export async function sealBeforeReading(db: Database): Promise<unknown> {
  try {
    await sealPending(db);
    return null;
  } catch (error) {
    return error;
  }
}

/** How many entries are pending (recorded, not yet chained), and the time of the oldest. */
export async function pendingEntries(db: Database): Promise<{ count: number; oldest: string | null }> {
  const [row] = await db.query<{ count: number; oldest: string | null }>(
    `SELECT count(*)::int8 AS count, to_char(min(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS oldest
     FROM ledger_pending`,
  );
  return row ?? { count: 0, oldest: null };
}

export interface SealerLog {
  error(data: object, message: string): void;
}

export interface SealerTiming {
  /** How long after an entry is recorded in this process the sealer runs (ms): entries made meanwhile join its batch. */
  delayMs: number;
  /** How often it looks for entries recorded by other processes, or committed after its last run (ms). */
  everyMs: number;
}

export const defaultSealerTiming: SealerTiming = { delayMs: 20, everyMs: 1000 };

/**
 * The server's sealer: runs `delayMs` after this process records an entry, again while it finds
 * entries to chain, and every `everyMs` in any case. The returned function stops it and chains what
 * is still pending, so a server that stops leaves nothing unsealed.
 */
export function startSealer(db: Database, log: SealerLog, timing = defaultSealerTiming): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastProblem = ''; // a ledger that cannot be sealed is logged once, not at every run
  const run = () => {
    timer = undefined;
    running = running.then(async () => {
      try {
        if ((await sealPending(db)) > 0) schedule(timing.delayMs);
        lastProblem = '';
      } catch (error) {
        if (!stopped && String(error) !== lastProblem) log.error({ err: error }, 'sealing the ledger failed');
        lastProblem = String(error);
      }
    });
  };
  const schedule = (ms: number) => {
    if (timer || stopped) return;
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const unsubscribe = onPending(() => schedule(timing.delayMs));
  const backstop = setInterval(() => schedule(0), timing.everyMs);
  backstop.unref();
  return async () => {
    stopped = true;
    unsubscribe();
    clearInterval(backstop);
    if (timer) clearTimeout(timer);
    await running;
    await sealPending(db);
  };
}
