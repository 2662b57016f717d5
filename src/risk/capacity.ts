/**
 * Control places per office, day and lane, counted in `control_capacity_use` in the transaction
 * that stores the assessments taking them. A count is exact under any concurrency because it moves
 * only under its row lock, in the same transaction as the assessments that take the places, and by
 * the places those stored assessments hold: a rolled-back assessment gives its place back, and no
 * declaration is assessed by two transactions at once (a batch locks its declarations first).
 *
 * Locks are taken in one order everywhere: the declarations, the ledger, the capacity rows, the
 * trader's history. One declaration's assessment claims its place after the ledger entry of its
 * lodging or amendment; a batch plans with the counts as they stand and claims its places after
 * storing its assessments (and their ledger entry), so it holds the capacity rows only briefly.
 */
import type { Database, Sql } from '../db/database.ts';
import type { Capacity, CapacitySettings } from './selectivity.ts';

export type CapacityLane = 'red' | 'yellow';

/** Places per lane for an office. */
export const limitOf = (c: CapacitySettings, office: string, lane: CapacityLane) =>
  c.offices[office]?.[lane] ?? c[lane];

export interface AsyncCapacity {
  take(office: string, day: string, lane: CapacityLane): Promise<boolean>;
}

/** Capacity counted in the database, one atomic claim at a time (one declaration's assessment). */
export function sqlCapacity(tx: Sql, c: CapacitySettings): AsyncCapacity {
  return {
    async take(office, day, lane) {
      const limit = limitOf(c, office, lane);
      if (limit <= 0) return false;
      const rows = await tx.query(
        `INSERT INTO control_capacity_use AS u (office, day, lane, used) VALUES ($1, $2, $3, 1)
         ON CONFLICT (office, day, lane) DO UPDATE SET used = u.used + 1 WHERE u.used < $4 RETURNING used`,
        [office, day, lane, limit],
      );
      return rows.length > 0;
    },
  };
}

export interface PlaceKey {
  office: string;
  day: string;
  lane: CapacityLane;
}

const keyOf = (k: PlaceKey) => JSON.stringify([k.office, k.day, k.lane]);
const columnsOf = (list: readonly PlaceKey[]) => [
  list.map((k) => k.office),
  list.map((k) => k.day),
  list.map((k) => k.lane),
];

/** Code-point order, the order of the "C" collation that rows are locked in below. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const inLockOrder = <K extends PlaceKey>(list: K[]): K[] =>
  list.sort(
    (a, b) => byCodePoint(a.office, b.office) || byCodePoint(a.day, b.day) || byCodePoint(a.lane, b.lane),
  );

/**
 * The places a batch plans with: the counts of its offices and days as they stand, read without a
 * lock, and claimed in memory. The plan holds only if `claimPlaces` can add it on top of the counts
 * as they are when the batch stores its assessments.
 */
export async function plannedCapacity(
  tx: Sql,
  c: CapacitySettings,
  batch: readonly { office: string; day: string }[],
): Promise<Capacity> {
  const keys = new Map<string, PlaceKey>();
  for (const b of batch) {
    for (const lane of ['red', 'yellow'] as const) {
      const key = { office: b.office, day: b.day, lane };
      keys.set(keyOf(key), key);
    }
  }
  const rows = await tx.query<PlaceKey & { used: number }>(
    `SELECT u.office, u.day, u.lane, u.used FROM control_capacity_use u
     JOIN unnest($1::text[], $2::date[], $3::text[]) AS k(o, d, l) ON u.office = k.o AND u.day = k.d AND u.lane = k.l`,
    columnsOf([...keys.values()]),
  );
  const used = new Map(rows.map((r) => [keyOf(r), r.used]));
  return {
    take(office, day, lane) {
      const key = keyOf({ office, day, lane });
      const n = used.get(key) ?? 0;
      if (n >= limitOf(c, office, lane)) return false;
      used.set(key, n + 1);
      return true;
    },
  };
}

/**
 * Adds places taken by stored assessments to the counts, under the rows' locks (taken in one
 * order, so that two writers cannot deadlock on them); false, and nothing added, when some office
 * and day no longer has the places (someone took them since the plan was made).
 */
export async function claimPlaces(
  tx: Sql,
  c: CapacitySettings,
  claims: readonly (PlaceKey & { n: number })[],
): Promise<boolean> {
  const list = inLockOrder(claims.filter((k) => k.n > 0));
  if (list.length === 0) return true;
  const columns = columnsOf(list);
  await tx.query(
    `INSERT INTO control_capacity_use (office, day, lane, used)
     SELECT o, d, l, 0 FROM unnest($1::text[], $2::date[], $3::text[]) WITH ORDINALITY AS k(o, d, l, i)
     ORDER BY i
     ON CONFLICT (office, day, lane) DO NOTHING`,
    columns,
  );
  const rows = await tx.query<PlaceKey & { used: number }>(
    `SELECT u.office, u.day, u.lane, u.used FROM control_capacity_use u
     JOIN unnest($1::text[], $2::date[], $3::text[]) AS k(o, d, l) ON u.office = k.o AND u.day = k.d AND u.lane = k.l
     ORDER BY u.office COLLATE "C", u.day, u.lane COLLATE "C"
     FOR UPDATE OF u`,
    columns,
  );
  const used = new Map(rows.map((r) => [keyOf(r), r.used]));
  if (list.some((k) => (used.get(keyOf(k)) ?? 0) + k.n > limitOf(c, k.office, k.lane))) return false;
  await tx.query(
    `UPDATE control_capacity_use u SET used = u.used + k.n
     FROM unnest($1::text[], $2::date[], $3::text[], $4::int4[]) AS k(o, d, l, n)
     WHERE u.office = k.o AND u.day = k.d AND u.lane = k.l`,
    [...columns, list.map((k) => k.n)],
  );
  return true;
}

/** Thrown inside a batch's transaction when its plan no longer fits: the batch is run again. */
export class PlacesTaken extends Error {
  constructor() {
    super('control places were taken while the batch was planned');
  }
}

/**
 * Claims the places that stored batch assessments hold (targeted red and yellow; random selections
 * take none), or throws PlacesTaken to roll the batch back.
 */
export async function claimHeldPlaces(
  tx: Sql,
  c: CapacitySettings,
  held: readonly { office: string; day: string; lane: string; random: boolean }[],
): Promise<void> {
  const claims = new Map<string, PlaceKey & { n: number }>();
  for (const a of held) {
    if (a.random || (a.lane !== 'red' && a.lane !== 'yellow')) continue;
    const key = { office: a.office, day: a.day, lane: a.lane } as const;
    const claim = claims.get(keyOf(key)) ?? { ...key, n: 0 };
    claim.n++;
    claims.set(keyOf(key), claim);
  }
  if (!(await claimPlaces(tx, c, [...claims.values()]))) throw new PlacesTaken();
}

/** Runs a batch's transaction, again while its plan is overtaken by concurrent claims (a few times). */
export async function withPlacesRetried<T>(db: Database, fn: (tx: Sql) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      if (!(error instanceof PlacesTaken) || attempt >= 20) throw error;
    }
  }
}
