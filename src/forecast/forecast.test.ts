import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSmoothing, forecastSmoothing, informationCriterion } from './exponential-smoothing.ts';
import { forecast } from './index.ts';
import { nelderMead } from './nelder-mead.ts';
import { seasonalIndices } from './theta.ts';

/** A seeded uniform generator (mulberry32) and a normal draw from it. */
function random(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** A season of two harmonics on a trend, multiplied or added, with relative noise. */
function aSeries(opts: {
  m: number;
  n: number;
  slope?: number;
  amplitude?: number;
  noise?: number;
  seed?: number;
  multiplicative?: boolean;
}) {
  const { m, n, slope = 0.004, amplitude = 0.3, noise = 0, seed = 1, multiplicative = false } = opts;
  const normal = random(seed);
  return Array.from({ length: n }, (_, t) => {
    const wave = Math.sin((2 * Math.PI * t) / m) + 0.5 * Math.cos((4 * Math.PI * t) / m);
    const base = 1000 * (1 + slope * t);
    const mean = multiplicative ? base * (1 + amplitude * wave) : base + 1000 * amplitude * wave;
    return Math.max(0, mean + noise * 1000 * normal());
  });
}

describe('the forecaster', () => {
  for (const [m, n] of [
    [12, 60],
    [7, 84],
    [52, 156],
  ] as const) {
    const horizon = Math.min(m, 13);
    test(`recovers a noiseless season of ${m} on a trend, ${horizon} periods ahead`, () => {
      const whole = aSeries({ m, n: n + horizon });
      const result = forecast(whole.slice(0, n), m, horizon);
      assert.equal(result.points.length, horizon);
      result.points.forEach((p, h) => {
        const truth = whole[n + h] ?? 0;
        assert.ok(
          Math.abs(p.mean - truth) / truth < 0.03,
          `${result.method} h=${h + 1}: ${p.mean} for ${truth}`,
        );
      });
    });
  }

  test('chooses seasonal methods for a seasonal series and lets seasonal naive in only when it forecasts well', () => {
    const result = forecast(
      aSeries({ m: 12, n: 60, amplitude: 0.5, noise: 0.02, multiplicative: true }),
      12,
      12,
    );
    assert.match(result.method, /ets\(A,[N|Ad]+,[AM]\)/);
    assert.doesNotMatch(result.method, /ets\(A,(N|Ad),N\)/);
  });

  test('follows a trend without a season', () => {
    const series = Array.from({ length: 48 }, (_, t) => 100 + 5 * t);
    const result = forecast(series, 12, 3);
    assert.ok(Math.abs((result.points[0]?.mean ?? 0) - 340) < 5, JSON.stringify(result.points[0]));
  });

  test('its 80% and 95% intervals cover about that share of what comes next', () => {
    let inside80 = 0;
    let inside95 = 0;
    let points = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const whole = aSeries({
        m: 12,
        n: 72,
        noise: [0.05, 0.1, 0.2][seed % 3],
        seed,
        multiplicative: seed % 2 === 0,
      });
      const result = forecast(whole.slice(0, 60), 12, 12);
      result.points.forEach((p, h) => {
        const actual = whole[60 + h] ?? 0;
        if (actual >= p.lower80 && actual <= p.upper80) inside80++;
        if (actual >= p.lower95 && actual <= p.upper95) inside95++;
        points++;
      });
    }
    assert.ok(Math.abs(inside80 / points - 0.8) <= 0.07, `80%: ${inside80 / points}`);
    assert.ok(Math.abs(inside95 / points - 0.95) <= 0.04, `95%: ${inside95 / points}`);
  });

  test('orders each interval and never goes below zero, even for an intermittent series', () => {
    const normal = random(7);
    const series = Array.from({ length: 40 }, (_, t) =>
      t % 3 === 0 ? Math.round(Math.abs(5 + 3 * normal())) : 0,
    );
    const result = forecast(series, 12, 12);
    for (const p of result.points) {
      assert.ok(p.lower95 >= 0 && p.lower95 <= p.lower80 && p.lower80 <= p.mean, JSON.stringify(p));
      assert.ok(p.mean <= p.upper80 && p.upper80 <= p.upper95, JSON.stringify(p));
    }
  });

  test('is not thrown off by a few huge spikes in a spiky value series', () => {
    const normal = random(11);
    const series = Array.from({ length: 120 }, (_, t) => 100 + 20 * (t % 7 === 0 ? 1 : 0) + 5 * normal());
    for (const t of [60, 100, 117]) series[t] = 5000;
    const result = forecast(series, 7, 7);
    result.points.forEach((p, h) => {
      const typical = 100 + ((120 + h) % 7 === 0 ? 20 : 0);
      assert.ok(Math.abs(p.mean - typical) < 15, `${result.method} h=${h + 1}: ${p.mean}`);
    });
    // the spikes still widen the intervals: they happened and may happen again
    assert.ok((result.points[0]?.upper95 ?? 0) - (result.points[0]?.mean ?? 0) > 100);
  });

  test('weighs the models by their likelihood on a long series, and names them best first', () => {
    const result = forecast(aSeries({ m: 7, n: 200, noise: 0.05, amplitude: 0.5 }), 7, 14);
    assert.match(result.method, /^(mean\()?ets\(A,(N|A|Ad),[AM]\)/);
  });

  test('falls back to non-seasonal methods on a series shorter than two seasons', () => {
    const result = forecast(aSeries({ m: 52, n: 60, noise: 0.05 }), 52, 8);
    assert.equal(result.points.length, 8);
    assert.doesNotMatch(result.method, /,[AM]\)/);
  });

  test('repeats a single observation, with no spread it could know', () => {
    assert.deepEqual(forecast([42], 7, 2), {
      method: 'constant',
      points: [
        { mean: 42, lower80: 42, upper80: 42, lower95: 42, upper95: 42 },
        { mean: 42, lower80: 42, upper80: 42, lower95: 42, upper95: 42 },
      ],
    });
  });

  test('forecasts a constant series, all zeros included, as that constant', () => {
    for (const v of [0, 17]) {
      const result = forecast(new Array<number>(30).fill(v), 7, 3);
      assert.equal(result.method, 'constant');
      assert.deepEqual(result.points[2], { mean: v, lower80: v, upper80: v, lower95: v, upper95: v });
    }
  });

  test('gives no points for a horizon of zero', () => {
    assert.deepEqual(forecast([1, 2, 3, 4, 5], 1, 0).points, []);
  });

  test('refuses a missing, infinite or negative observation and a bad season or horizon', () => {
    assert.throws(() => forecast([1, Number.NaN, 3], 7, 1), /observation 1 is NaN/);
    assert.throws(() => forecast([1, Infinity], 7, 1), /observation 1 is Infinity/);
    assert.throws(() => forecast([1, -2], 7, 1), /observation 1 is -2/);
    assert.throws(() => forecast([], 7, 1), /at least one observation/);
    assert.throws(() => forecast([1, 2], 0, 1), /season length/);
    assert.throws(() => forecast([1, 2], 7, 1.5), /horizon/);
  });
});

describe('exponential smoothing', () => {
  test('finds the smoothing that fits a level shift best and widens its intervals with the horizon', () => {
    const normal = random(3);
    const series = Array.from({ length: 80 }, (_, t) => (t < 40 ? 100 : 200) + normal());
    const fit = fitSmoothing(series, { trend: 'none', season: 'none' }, 1);
    assert.ok(fit.params.alpha > 0.5, `alpha ${fit.params.alpha}`);
    const path = forecastSmoothing(fit, 3);
    assert.ok(Math.abs((path[0]?.mean ?? 0) - 200) < 2);
    assert.ok((path[0]?.sd ?? 0) < (path[2]?.sd ?? 0));
  });
});

describe('robust fitting and the information criterion', () => {
  test('a fit with an outlier bound keeps its level where the bulk of the series is', () => {
    const normal = random(5);
    const series = Array.from({ length: 60 }, () => 100 + 3 * normal());
    series[58] = 3000;
    const plain = forecastSmoothing(fitSmoothing(series, { trend: 'none', season: 'none' }, 1), 1)[0];
    const robust = forecastSmoothing(
      fitSmoothing(series, { trend: 'none', season: 'none' }, 1, { clip: 6 }),
      1,
    )[0];
    assert.ok(Math.abs((robust?.mean ?? 0) - 100) < 10, `robust ${robust?.mean}`);
    assert.ok(
      Math.abs((plain?.mean ?? 0) - 100) > Math.abs((robust?.mean ?? 0) - 100),
      `plain ${plain?.mean}`,
    );
  });

  test('AICc prefers the smaller error, then the fewer parameters, and refuses too many', () => {
    assert.ok(informationCriterion(100, 50, 3) < informationCriterion(200, 50, 3));
    assert.ok(informationCriterion(100, 50, 3) < informationCriterion(100, 50, 6));
    assert.equal(informationCriterion(100, 5, 4), Infinity);
    const aicc = fitSmoothing(
      aSeries({ m: 12, n: 48, noise: 0.05 }),
      { trend: 'damped', season: 'additive' },
      12,
    ).aicc;
    assert.ok(Number.isFinite(aicc));
  });
});

describe('seasonal indices', () => {
  test('recover the season of a trending series of two and a half seasons, and ignore a spike', () => {
    const m = 12;
    const wave = (t: number) => 100 * Math.sin((2 * Math.PI * t) / m);
    const series = Array.from({ length: 30 }, (_, t) => 1000 + 8 * t + wave(t));
    for (const multiplicative of [false, true]) {
      const season = seasonalIndices(series, m, multiplicative);
      season.forEach((s, k) => {
        const found = multiplicative ? (s - 1) * 1000 : s;
        assert.ok(Math.abs(found - wave(k)) < 20, `${multiplicative} ${k}: ${found} for ${wave(k)}`);
      });
    }
    const long = Array.from({ length: 96 }, (_, t) => 1000 + wave(t));
    long[50] = 20_000;
    const season = seasonalIndices(long, m, false);
    assert.ok(Math.abs((season[50 % m] ?? 0) - wave(50)) < 20, `${season[50 % m]}`);
  });
});

describe('Nelder–Mead', () => {
  test('finds the minimum of the Rosenbrock valley', () => {
    const rosenbrock = ([x = 0, y = 0]: readonly number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    const min = nelderMead(rosenbrock, [-1.2, 1], { maxEvaluations: 2000, tolerance: 1e-14 });
    assert.ok(
      Math.abs((min.x[0] ?? 0) - 1) < 1e-3 && Math.abs((min.x[1] ?? 0) - 1) < 1e-3,
      JSON.stringify(min),
    );
  });
});
