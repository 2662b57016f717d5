import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Sql } from '../db/database.ts';
import { openTestContext, storageTargets, type TestContext } from '../testing/harness.ts';
import { claimPlaces, divideSlots, sqlCapacity } from './capacity.ts';
import type { CapacitySettings } from './selectivity.ts';

const onOneConnection = 'PGlite has one connection: its transactions never run at once';

const settings = (red: number, slots = 4): CapacitySettings => ({ red, yellow: 0, offices: {}, slots });

interface SlotRow {
  slot: number;
  places: number;
  used: number;
}

test('dividing places again keeps what each slot used and spreads the rest, none when more were used', () => {
  const slots = [
    { places: 3, used: 3, dividedFor: 10 },
    { places: 3, used: 1, dividedFor: 10 },
    { places: 2, used: 0, dividedFor: 10 },
    { places: 2, used: 2, dividedFor: 10 },
  ];
  divideSlots(slots, 12);
  assert.deepEqual(
    slots.map((s) => [s.places, s.used, s.dividedFor]),
    [
      [5, 3, 12],
      [3, 1, 12],
      [1, 0, 12],
      [3, 2, 12],
    ],
  );
  divideSlots(slots, 4);
  assert.deepEqual(
    slots.map((s) => s.places),
    [3, 1, 0, 2],
    'six used and a limit of four: every slot full',
  );
});

for (const target of storageTargets()) {
  describe(`control places claimed over slots (${target})`, () => {
    let ctx: TestContext;
    let office = 0;
    /** A fresh office for each test. */
    const nextOffice = () => `T${++office}`;
    const day = '2026-05-04';

    before(async () => {
      ctx = await openTestContext(target);
    });
    after(async () => {
      await ctx?.dispose();
    });

    const take = (at: string, c: CapacitySettings) =>
      ctx.db.transaction((tx) => sqlCapacity(tx, c).take(at, day, 'red'));
    async function slotsOf(at: string): Promise<SlotRow[]> {
      return ctx.db.query<SlotRow>(
        `SELECT slot, places, used FROM control_capacity_slots WHERE office = $1 AND day = $2 AND lane = 'red' ORDER BY slot`,
        [at, day],
      );
    }
    async function total(at: string): Promise<{ used: number; places: number } | undefined> {
      const [row] = await ctx.db.query<{ used: number; places: number }>(
        `SELECT used, places FROM control_capacity_use WHERE office = $1 AND day = $2 AND lane = 'red'`,
        [at, day],
      );
      return row;
    }

    test('a claim is refused only once every slot is full, and the slots hold the limit between them', async () => {
      const at = nextOffice();
      const answers: boolean[] = [];
      for (let i = 0; i < 9; i++) answers.push(await take(at, settings(7)));
      assert.deepEqual(answers, [true, true, true, true, true, true, true, false, false]);
      const slots = await slotsOf(at);
      assert.deepEqual(
        slots.map((s) => s.places),
        [2, 2, 2, 1],
      );
      assert.ok(slots.every((s) => s.used === s.places));
      assert.deepEqual(await total(at), { used: 7, places: 7 });
    });

    test('a changed limit divides the places again between claims, keeping what was used', async () => {
      const at = nextOffice();
      const claims = async (n: number, c: CapacitySettings) => {
        let granted = 0;
        for (let i = 0; i < n; i++) if (await take(at, c)) granted++;
        return granted;
      };
      assert.equal(await claims(6, settings(10)), 6);
      assert.equal(await claims(5, settings(8)), 2, 'a lower limit leaves two');
      assert.deepEqual(await total(at), { used: 8, places: 8 });
      assert.equal(await claims(3, settings(5)), 0, 'a limit below what was used leaves none');
      assert.deepEqual(await total(at), { used: 8, places: 8 });
      assert.equal(await claims(6, settings(12)), 4, 'a higher limit gives the difference');
      assert.equal(await claims(3, settings(12, 8)), 0, 'more slots divide the same places');
      assert.equal((await slotsOf(at)).length, 8);
      assert.deepEqual(await total(at), { used: 12, places: 12 });
      assert.equal(await take(at, settings(0)), false, 'no places at all');
    });

    test('counts kept in one slot before the slots existed are divided again at the first claim', async () => {
      const at = nextOffice();
      // what migration 0019 leaves of a count of 7: one full slot divided for no limit
      await ctx.db.query(
        `INSERT INTO control_capacity_slots (office, day, lane, slot, places, used, divided_for) VALUES ($1, $2, 'red', 0, 7, 7, -1)`,
        [at, day],
      );
      let granted = 0;
      for (let i = 0; i < 5; i++) if (await take(at, settings(10))) granted++;
      assert.equal(granted, 3);
      assert.deepEqual(await total(at), { used: 10, places: 10 });
    });

    test('a batch claims its places over the slots, and nothing when they are too few', async () => {
      const at = nextOffice();
      const batch = (n: number, c: CapacitySettings) =>
        ctx.db.transaction((tx) => claimPlaces(tx, c, [{ office: at, day, lane: 'red', n }]));
      assert.equal(await take(at, settings(10)), true);
      assert.equal(await batch(10, settings(10)), false, 'one place is taken');
      assert.deepEqual(await total(at), { used: 1, places: 10 });
      assert.equal(await batch(9, settings(10)), true);
      assert.deepEqual(await total(at), { used: 10, places: 10 });
      assert.equal(await batch(2, settings(11)), false);
      assert.equal(await batch(1, settings(11)), true, 'a higher limit is divided again by a batch too');
      assert.deepEqual(await total(at), { used: 11, places: 11 });
      assert.ok((await slotsOf(at)).every((s) => s.used === s.places));
    });

    test(
      'many claims at once fill the places exactly and never past them',
      { skip: target === 'pglite' ? onOneConnection : false },
      async () => {
        const at = nextOffice();
        const c = settings(25, 8);
        const answers = await Promise.all(
          Array.from({ length: 60 }, () =>
            ctx.db.transaction(async (tx) => {
              const taken = await sqlCapacity(tx, c).take(at, day, 'red');
              // hold the slot a moment, as a lodging does until it commits
              await tx.query('SELECT pg_sleep(0.005)');
              return taken;
            }),
          ),
        );
        assert.equal(answers.filter(Boolean).length, 25);
        assert.deepEqual(await total(at), { used: 25, places: 25 });
        assert.ok((await slotsOf(at)).every((s) => s.used === s.places));
      },
    );

    /** Runs `second` while `first` holds its transaction open; `first` ends as `end` says. */
    async function whileHeld<T>(
      first: (tx: Sql) => Promise<unknown>,
      second: () => Promise<T>,
      end: 'commit' | 'rollback',
    ): Promise<T> {
      let release = () => undefined as void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let ready = () => undefined as void;
      const started = new Promise<void>((resolve) => (ready = resolve));
      const holder = ctx.db
        .transaction(async (tx) => {
          await first(tx);
          ready();
          await held;
          if (end === 'rollback') throw new Error('rolled back');
        })
        .catch((error: unknown) => {
          if (!(error instanceof Error && error.message === 'rolled back')) throw error;
        });
      await started;
      const result = second();
      // the second waits for the first's lock before the first ends
      for (let tries = 0; ; tries++) {
        const [w] = await ctx.db.query<{ n: number }>(
          `SELECT count(*)::int4 AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if ((w?.n ?? 0) > 0) break;
        if (tries > 1000) {
          release();
          throw new Error('the second transaction never waited for the first');
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      release();
      await holder;
      return result;
    }

    test(
      'a claim that finds every slot with room held waits, and takes the place its holder gave back',
      { skip: target === 'pglite' ? onOneConnection : false },
      async () => {
        const at = nextOffice();
        const c = settings(2);
        assert.equal(await take(at, c), true, 'the slots exist, one place is left');
        const took = await whileHeld(
          (tx) => sqlCapacity(tx, c).take(at, day, 'red'),
          () => take(at, c),
          'rollback',
        );
        assert.equal(took, true);
        assert.equal(await take(at, c), false);
        assert.deepEqual(await total(at), { used: 2, places: 2 });
      },
    );

    test(
      'a claim waiting for the last place is refused once its holder commits',
      { skip: target === 'pglite' ? onOneConnection : false },
      async () => {
        const at = nextOffice();
        const c = settings(2);
        assert.equal(await take(at, c), true, 'the slots exist, one place is left');
        const took = await whileHeld(
          (tx) => sqlCapacity(tx, c).take(at, day, 'red'),
          () => take(at, c),
          'commit',
        );
        assert.equal(took, false);
        assert.deepEqual(await total(at), { used: 2, places: 2 });
      },
    );

    test(
      'a batch whose places are in a held slot waits for it, and takes them once its holder commits',
      { skip: target === 'pglite' ? onOneConnection : false },
      async () => {
        const at = nextOffice();
        const c = settings(8, 2);
        const claimed = await whileHeld(
          (tx) => sqlCapacity(tx, c).take(at, day, 'red'),
          () => ctx.db.transaction((tx) => claimPlaces(tx, c, [{ office: at, day, lane: 'red', n: 7 }])),
          'commit',
        );
        assert.equal(claimed, true);
        assert.deepEqual(await total(at), { used: 8, places: 8 });
      },
    );
  });
}
