/**
 * The synthetic demo-data generator: a deterministic stream of realistic, labelled declarations
 * for the server's first start, the tests and the benchmarks. Memory stays constant whatever the
 * count: declarations are yielded one by one, in date order.
 */
import { dailyVolumeWeights, fromDayNumber, isIsoDate, toDayNumber } from './calendar.ts';
import { buildDeclaration, type DemoDeclaration } from './declaration.ts';
import { Random, at } from './random.ts';
import { createTraderPopulation } from './traders.ts';

export { ControlOutcome, type DemoDeclaration, type DemoLabel } from './declaration.ts';
export { Irregularity } from './irregularities.ts';

/** What to generate: about `count` item rows dated `from`..`to` (YYYY-MM-DD), reproducible by `seed`. */
export interface DemoOptions {
  count: number;
  seed: number;
  from: string;
  to: string;
}

/** The demo set a server seeds at its first start (`src/seed.ts`): `count` item rows over the 182 days to `to`. */
export function seededDemoOptions(count: number, to: string): DemoOptions {
  return { count, seed: 1, from: fromDayNumber(toDayNumber(to) - 182), to };
}

/**
 * Yields declarations until about `options.count` item rows (declarations have 1 to 5 items, so
 * the last day may overshoot by a few), spread over the days by season and weekday.
 * The same options always give the same declarations. Throws a RangeError on invalid options.
 */
export function* generateDeclarations(options: DemoOptions): Generator<DemoDeclaration> {
  assertOptions(options);
  const { traders, weights: traderWeights } = createTraderPopulation(options);
  const random = new Random(options.seed, 2);
  const fromDay = toDayNumber(options.from);
  const dayWeights = dailyVolumeWeights(fromDay, toDayNumber(options.to), new Random(options.seed, 3));
  const totalWeight = dayWeights.reduce((sum, w) => sum + w, 0);
  const counters = new Uint32Array(traders.length);
  let rows = 0;
  let weightSoFar = 0;
  for (let day = 0; day < dayWeights.length; day++) {
    weightSoFar += dayWeights[day] ?? 0;
    const last = day === dayWeights.length - 1;
    const target = last ? options.count : Math.round((options.count * weightSoFar) / totalWeight);
    const date = fromDayNumber(fromDay + day);
    const compactDate = date.replaceAll('-', '');
    while (rows < target) {
      const index = random.weighted(traderWeights);
      const trader = at(traders, index);
      const serial = (counters[index] ?? 0) + 1;
      counters[index] = serial;
      const declaration = buildDeclaration(random, trader, date, `${trader.id}-${compactDate}-${serial}`);
      rows += declaration.input.items.length;
      yield declaration;
    }
  }
}

function assertOptions({ count, seed, from, to }: DemoOptions): void {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new RangeError(`count must be a positive integer, got ${count}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!isIsoDate(from) || !isIsoDate(to))
    throw new RangeError(`dates must be YYYY-MM-DD, got ${from} and ${to}`);
  if (from > to) throw new RangeError(`from (${from}) is after to (${to})`);
}
