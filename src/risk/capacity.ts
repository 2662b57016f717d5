/**
 * Control places per office, day and lane, counted in `control_capacity_slots` in the transaction
 * that stores the assessments taking them. The configured limit of an office, day and lane is
 * divided over `slots` rows (16 by default): each gives out at most its share (`used <= places`, a
 * CHECK as well), and the shares add up to the limit. Concurrent assessments at one office and day
 * therefore claim places in different rows instead of queueing on one; the view
 * `control_capacity_use` sums them for anything that reads the totals.
 *
 * A count is exact under any concurrency because a slot moves only under its row lock, in the
 * same transaction as the assessments that take its places, and by the places those stored
 * assessments hold: a rolled-back assessment gives its place back, and no declaration is assessed
 * by two transactions at once (a batch locks its declarations first). One declaration's claim takes
 * a slot with room that no other transaction holds (FOR UPDATE SKIP LOCKED, from a random slot on);
 * only when every slot with room is held does it wait for one and check it again, so a claim is
 * refused only when every slot is full. A batch plans with the totals as they stand and claims its
 * places over the slots after storing its assessments, the same way: the slots no one holds first,
 * and otherwise every slot of its offices and days, waiting for them in key order.
 *
 * Slots are created by the first claim of an office, day and lane, and divided again, under every
 * slot's lock, when the configured limit is not the one they were divided for: each keeps what it
 * used and the places still free are spread over them (none when more were used than the new limit).
 *
 * Lock order, the same on every write path (lodging, amending, batch assessment, import, control
 * results), so that no two writers can wait for each other in a circle; within a table, rows are
 * taken in the order of their key (text compared bytewise):
 * 1. the declarations written: new ones are the writer's own; an amendment, a cancellation or a
 *    control result locks its row first; a batch takes its rows with SKIP LOCKED;
 * 2. `quality_counts` (declarations/quality-counts.ts), by day, trader and field;
 * 3. capacity slots (here), by office, day, lane and slot: one declaration's assessment holds at
 *    most one slot of a lane (red before yellow), or every slot of a lane it divided again;
 * 4. `trader_goods` by trader, kind and value, then `trader_history` by trader (risk/indicators.ts).
 * `profile_hits` rows belong to one declaration and are written only by whoever holds it. A ledger
 * append that takes the ledger's head row takes it right after the declarations.
 */
import type { Database, Sql } from '../db/database.ts';
import { defaultSlots, type Capacity, type CapacitySettings } from './selectivity.ts';

export type CapacityLane = 'red' | 'yellow';

/** Places per lane for an office. */
export const limitOf = (c: CapacitySettings, office: string, lane: CapacityLane) =>
  c.offices[office]?.[lane] ?? c[lane];

const slotsOf = (c: CapacitySettings) => c.slots ?? defaultSlots;

export interface AsyncCapacity {
  take(office: string, day: string, lane: CapacityLane): Promise<boolean>;
}

export interface PlaceKey {
  office: string;
  day: string;
  lane: CapacityLane;
}

interface Slot extends PlaceKey {
  slot: number;
  places: number;
  used: number;
  dividedFor: number;
}

const slotColumns = `s.office, s.day, s.lane, s.slot, s.places, s.used,
  s.divided_for AS "dividedFor"`;
const lockOrder = `s.office COLLATE "C", s.day, s.lane COLLATE "C", s.slot`;

/** Capacity counted in the database, one claim at a time (one declaration's assessment). */
export function sqlCapacity(tx: Sql, c: CapacitySettings): AsyncCapacity {
  return {
    async take(office, day, lane) {
      const limit = limitOf(c, office, lane);
      if (limit <= 0) return false;
      const key = { office, day, lane };
      const start = Math.floor(Math.random() * slotsOf(c));
      for (;;) {
        const free = await takeFree(tx, key, limit, start);
        if (free.taken) return true;
        if (free.slots === 0) {
          await createSlots(tx, key, limit, slotsOf(c));
          continue;
        }
        if (free.slots < slotsOf(c) || free.divided < free.slots) {
          await divide(tx, [{ ...key, limit }], slotsOf(c));
          continue;
        }
        if (free.open === 0) return false;
        const open = (await readSlots(tx, [key])).filter((s) => s.used < s.places);
        const wait = open.find((s) => s.slot >= start) ?? open[0];
        if (wait && (await takeAfterWaiting(tx, wait, limit))) return true;
      }
    },
  };
}

/**
 * One place from a slot with room that no other transaction holds, and when there is none, how
 * the slots stood: how many there are, how many are divided for `limit`, how many have room.
 */
async function takeFree(
  tx: Sql,
  k: PlaceKey,
  limit: number,
  start: number,
): Promise<{ taken: boolean; slots: number; divided: number; open: number }> {
  const [row] = await tx.query<{ taken: boolean; slots: number; divided: number; open: number }>(
    `WITH s AS (
       SELECT slot FROM control_capacity_slots
       WHERE office = $1 AND day = $2 AND lane = $3 AND divided_for = $4 AND used < places
       ORDER BY slot < $5, slot LIMIT 1 FOR UPDATE SKIP LOCKED
     ), taken AS (
       UPDATE control_capacity_slots c SET used = c.used + 1 FROM s
       WHERE c.office = $1 AND c.day = $2 AND c.lane = $3 AND c.slot = s.slot RETURNING c.slot
     )
     SELECT EXISTS (SELECT 1 FROM taken) AS taken, count(*)::int4 AS slots,
            count(*) FILTER (WHERE divided_for = $4)::int4 AS divided,
            count(*) FILTER (WHERE used < places)::int4 AS open
     FROM control_capacity_slots WHERE office = $1 AND day = $2 AND lane = $3`,
    [k.office, k.day, k.lane, limit, start],
  );
  return row ?? { taken: false, slots: 0, divided: 0, open: 0 };
}

/**
 * One place from a slot that had room, waiting for whoever holds it; READ COMMITTED checks the
 * slot again once it is free, and false says it no longer has room (or was divided again).
 */
async function takeAfterWaiting(tx: Sql, s: Slot, limit: number): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE control_capacity_slots SET used = used + 1
     WHERE office = $1 AND day = $2 AND lane = $3 AND slot = $4 AND divided_for = $5 AND used < places
     RETURNING slot`,
    [s.office, s.day, s.lane, s.slot, limit],
  );
  return rows.length > 0;
}

const keyOf = (k: PlaceKey) => JSON.stringify([k.office, k.day, k.lane]);
const columnsOf = (list: readonly PlaceKey[]) => [
  list.map((k) => k.office),
  list.map((k) => k.day),
  list.map((k) => k.lane),
];

/** The slots of some offices, days and lanes as committed, without a lock. */
async function readSlots(tx: Sql, keys: readonly PlaceKey[]): Promise<Slot[]> {
  return tx.query<Slot>(
    `SELECT ${slotColumns} FROM control_capacity_slots s
     JOIN unnest($1::text[], $2::date[], $3::text[]) AS k(o, d, l) ON s.office = k.o AND s.day = k.d AND s.lane = k.l
     ORDER BY ${lockOrder}`,
    columnsOf(keys),
  );
}

/**
 * Adds the slots (0 to `slots` - 1) that offices, days and lanes lack, with no places, in key
 * order; a slot another transaction is adding is waited for, and then left as it is.
 */
async function addSlots(tx: Sql, keys: readonly PlaceKey[], slots: number): Promise<void> {
  await tx.query(
    `INSERT INTO control_capacity_slots (office, day, lane, slot, places, used, divided_for)
     SELECT k.o, k.d, k.l, n, 0, 0, -1
     FROM unnest($1::text[], $2::date[], $3::text[]) AS k(o, d, l), generate_series(0, $4::int4 - 1) AS n
     ORDER BY k.o COLLATE "C", k.d, k.l COLLATE "C", n
     ON CONFLICT (office, day, lane, slot) DO NOTHING`,
    [...columnsOf(keys), slots],
  );
}

/**
 * The slots of an office, day and lane that has none yet, its limit divided over them; nothing
 * when another transaction creates them first (they are waited for, and then taken as they are).
 */
async function createSlots(tx: Sql, k: PlaceKey, limit: number, slots: number): Promise<void> {
  await tx.query(
    `INSERT INTO control_capacity_slots (office, day, lane, slot, places, used, divided_for)
     SELECT $1, $2, $3, n, $4::int4 / $5::int4 + (n < $4::int4 % $5::int4)::int4, 0, $4
     FROM generate_series(0, $5::int4 - 1) AS n ORDER BY n
     ON CONFLICT (office, day, lane, slot) DO NOTHING`,
    [k.office, k.day, k.lane, limit, slots],
  );
}

/** Every slot of some offices, days and lanes, locked in key order (waiting for their holders). */
async function lockSlots(tx: Sql, keys: readonly PlaceKey[]): Promise<Slot[]> {
  return tx.query<Slot>(
    `SELECT ${slotColumns} FROM control_capacity_slots s
     JOIN unnest($1::text[], $2::date[], $3::text[]) AS k(o, d, l) ON s.office = k.o AND s.day = k.d AND s.lane = k.l
     ORDER BY ${lockOrder} FOR UPDATE OF s`,
    columnsOf(keys),
  );
}

/**
 * The places of locked slots divided again for `limit`: each keeps what it used, and the places
 * still free go one by one to the slots in turn (the lowest first). Changes the slots in place.
 */
export function divideSlots(
  slots: readonly { places: number; used: number; dividedFor: number }[],
  limit: number,
) {
  const used = slots.reduce((n, s) => n + s.used, 0);
  const free = Math.max(0, limit - used);
  slots.forEach((s, i) => {
    s.places = s.used + Math.floor(free / slots.length) + (i < free % slots.length ? 1 : 0);
    s.dividedFor = limit;
  });
}

/** Writes the places, use and division of slots. */
async function writeSlots(tx: Sql, slots: readonly Slot[]): Promise<void> {
  if (slots.length === 0) return;
  await tx.query(
    `UPDATE control_capacity_slots s SET places = v.places, used = v.used, divided_for = v.divided_for
     FROM unnest($1::text[], $2::date[], $3::text[], $4::int2[], $5::int4[], $6::int4[], $7::int4[])
       AS v(office, day, lane, slot, places, used, divided_for)
     WHERE s.office = v.office AND s.day = v.day AND s.lane = v.lane AND s.slot = v.slot`,
    [
      ...columnsOf(slots),
      slots.map((s) => s.slot),
      slots.map((s) => s.places),
      slots.map((s) => s.used),
      slots.map((s) => s.dividedFor),
    ],
  );
}

/** Creates or divides again the slots of offices, days and lanes for their limits, under their locks. */
async function divide(
  tx: Sql,
  groups: readonly (PlaceKey & { limit: number })[],
  slots: number,
): Promise<void> {
  await addSlots(tx, groups, slots);
  const locked = await lockSlots(tx, groups);
  await writeSlots(tx, redivided(locked, groups));
}

/** The locked slots whose division changed, divided for their group's limit. */
function redivided(locked: readonly Slot[], groups: readonly (PlaceKey & { limit: number })[]): Slot[] {
  const limits = new Map(groups.map((g) => [keyOf(g), g.limit]));
  const changed: Slot[] = [];
  for (const group of groupsOf(locked)) {
    const limit = limits.get(keyOf(group[0] as Slot));
    if (limit === undefined || group.every((s) => s.dividedFor === limit)) continue;
    divideSlots(group, limit);
    changed.push(...group);
  }
  return changed;
}

/** Slots in key order, split by office, day and lane. */
function groupsOf(slots: readonly Slot[]): Slot[][] {
  const out: Slot[][] = [];
  let last = '';
  for (const s of slots) {
    const key = keyOf(s);
    if (key !== last || out.length === 0) out.push([]);
    (out.at(-1) as Slot[]).push(s);
    last = key;
  }
  return out;
}

/**
 * The places a batch plans with: the totals of its offices and days as they stand, read without
 * a lock, and claimed in memory. The plan holds only if `claimPlaces` can add it on top of the
 * counts as they are when the batch stores its assessments.
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
    `SELECT s.office, s.day, s.lane, sum(s.used)::int4 AS used
     FROM control_capacity_slots s
     JOIN unnest($1::text[], $2::date[], $3::text[]) AS k(o, d, l) ON s.office = k.o AND s.day = k.d AND s.lane = k.l
     GROUP BY s.office, s.day, s.lane`,
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
 * Adds places taken by stored assessments to the slots of their offices, days and lanes; false,
 * and nothing added, when some office and day no longer has the places (someone took them since
 * the plan was made). Tries the slots no one holds first (under a savepoint, whose rollback lets
 * them go again), then waits for every slot of the batch's offices and days in key order, so that
 * it never waits while holding a slot out of order.
 */
export async function claimPlaces(
  tx: Sql,
  c: CapacitySettings,
  claims: readonly (PlaceKey & { n: number })[],
): Promise<boolean> {
  const groups = claims.filter((k) => k.n > 0).map((k) => ({ ...k, limit: limitOf(c, k.office, k.lane) }));
  if (groups.length === 0) return true;
  if (groups.some((g) => g.n > g.limit)) return false;
  const seen = await readSlots(tx, groups);
  const counts = new Map<string, number>();
  for (const s of seen) counts.set(keyOf(s), (counts.get(keyOf(s)) ?? 0) + 1);
  const complete = groups.every((g) => (counts.get(keyOf(g)) ?? 0) >= slotsOf(c));
  if (!complete) await addSlots(tx, groups, slotsOf(c));
  const limits = new Map(groups.map((g) => [keyOf(g), g.limit]));
  if (complete && seen.every((s) => limits.get(keyOf(s)) === s.dividedFor)) {
    await tx.query('SAVEPOINT capacity_claim');
    const free = await tx.query<Slot>(
      `SELECT ${slotColumns} FROM control_capacity_slots s
       JOIN unnest($1::text[], $2::date[], $3::text[], $4::int4[]) AS k(o, d, l, lim)
         ON s.office = k.o AND s.day = k.d AND s.lane = k.l
       WHERE s.divided_for = k.lim AND s.used < s.places
       ORDER BY ${lockOrder} FOR UPDATE OF s SKIP LOCKED`,
      [...columnsOf(groups), groups.map((g) => g.limit)],
    );
    const taken = placesFrom(free, groups);
    if (taken) {
      await writeSlots(tx, taken);
      await tx.query('RELEASE SAVEPOINT capacity_claim');
      return true;
    }
    await tx.query('ROLLBACK TO SAVEPOINT capacity_claim');
    await tx.query('RELEASE SAVEPOINT capacity_claim');
  }
  const locked = await lockSlots(tx, groups);
  const changed = redivided(locked, groups);
  const taken = placesFrom(locked, groups);
  if (!taken) return false;
  const written = new Map([...changed, ...taken].map((s) => [`${keyOf(s)}#${s.slot}`, s]));
  await writeSlots(tx, [...written.values()]);
  return true;
}

/**
 * The slots (changed in place) that give each group its `n` places, from slots divided for its
 * limit in the order given; null when some group lacks them.
 */
function placesFrom(slots: readonly Slot[], groups: readonly (PlaceKey & { n: number; limit: number })[]) {
  const wanted = new Map(groups.map((g) => [keyOf(g), { n: g.n, limit: g.limit }]));
  const taken: Slot[] = [];
  for (const s of slots) {
    const want = wanted.get(keyOf(s));
    if (!want || want.n === 0 || s.dividedFor !== want.limit || s.used >= s.places) continue;
    const n = Math.min(want.n, s.places - s.used);
    s.used += n;
    want.n -= n;
    taken.push(s);
  }
  return [...wanted.values()].every((w) => w.n === 0) ? taken : null;
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
