/**
 * `npm run bench:forecast`: forecast error (MASE) and the coverage of the 80% and 95% intervals of
 * Clearway's forecaster next to seasonal naive and statsmodels' ETSModel and ExponentialSmoothing
 * (Debian's python3-statsmodels, through /usr/bin/python3) in the same run, on generated series with
 * known season and trend (weekly, monthly, daily; several noise levels) and on the declaration counts
 * and values of the KCS files per day and per week (rolling origins); then the time to forecast
 * 1,000 series. One JSON line per measurement; `ratio` is Clearway's figure over the best peer's.
 * BENCH_FORECAST_SCALE (default 1) multiplies the number of generated series.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seasonalNaive, type Forecast, type Forecaster } from '../src/forecast/forecaster.ts';
import { forecast } from '../src/forecast/index.ts';
import { dataFile } from '../src/reference/reference-dir.ts';

const python = '/usr/bin/python3';
const scale = Number(process.env.BENCH_FORECAST_SCALE ?? 1);
/** BENCH_FORECAST_PEERS=0 leaves statsmodels out (for a quick look at Clearway's own figures). */
const withPeers = process.env.BENCH_FORECAST_PEERS !== '0';
const peersScript = new URL('./forecast-peers.py', import.meta.url).pathname;

interface Task {
  y: number[];
  m: number;
  h: number;
  actual: number[];
}

function ensurePeers(): void {
  try {
    execFileSync(python, ['-c', 'import statsmodels, pandas'], { stdio: 'ignore' });
  } catch {
    process.stderr.write('installing python3-statsmodels from Debian\n');
    execFileSync('apt-get', ['install', '-y', 'python3-statsmodels'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
}

/** A seeded generator (mulberry32) and a normal draw from it. */
function random(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** Series with a known season (two harmonics, additive or multiplicative), trend and noise. */
function generated(
  kind: { name: string; m: number; n: number; h: number; count: number },
  seed: number,
): Task[] {
  const r = random(seed);
  const tasks: Task[] = [];
  for (let k = 0; k < kind.count; k++) {
    const level = 20 + r.uniform() * 2000;
    const slope = [0, 0, 0.002, 0.005, -0.003][k % 5] ?? 0;
    const amplitude = [0.1, 0.3, 0.5][k % 3] ?? 0.3;
    const noise = [0.05, 0.1, 0.2][Math.floor(k / 3) % 3] ?? 0.1;
    const multiplicative = k % 2 === 0;
    const p1 = r.uniform() * 2 * Math.PI;
    const p2 = r.uniform() * 2 * Math.PI;
    const y: number[] = [];
    for (let t = 0; t < kind.n + kind.h; t++) {
      const wave =
        Math.sin((2 * Math.PI * t) / kind.m + p1) + 0.5 * Math.sin((4 * Math.PI * t) / kind.m + p2);
      const base = level * (1 + slope * t);
      const mean = multiplicative ? base * (1 + amplitude * wave) : base + level * amplitude * wave;
      y.push(Math.max(0, mean + noise * level * r.normal()));
    }
    tasks.push({ y: y.slice(0, kind.n), m: kind.m, h: kind.h, actual: y.slice(kind.n) });
  }
  return tasks;
}

/** Declarations (distinct ids) and their value (sum of item prices) per day of the KCS files. */
function kcsDays(): { days: string[]; counts: number[]; values: number[] } {
  const perDay = new Map<string, { ids: Set<string>; value: number }>();
  for (const file of ['train.csv', 'valid.csv']) {
    const lines = readFileSync(dataFile(`kcs/${file}`), 'utf8').split('\n');
    const header = (lines[0] ?? '').split(',');
    const id = header.indexOf('Declaration ID');
    const date = header.indexOf('Date');
    const price = header.indexOf('Item Price');
    for (const line of lines.slice(1)) {
      if (!line) continue;
      const cells = line.split(',');
      const day = cells[date] ?? '';
      const entry = perDay.get(day) ?? { ids: new Set<string>(), value: 0 };
      entry.ids.add(cells[id] ?? '');
      entry.value += Number(cells[price] ?? 0);
      perDay.set(day, entry);
    }
  }
  const first = new Date(`${[...perDay.keys()].sort()[0]}T00:00:00Z`);
  const last = new Date(`${[...perDay.keys()].sort().at(-1)}T00:00:00Z`);
  const days: string[] = [];
  for (let d = first; d <= last; d = new Date(d.getTime() + 86_400_000))
    days.push(d.toISOString().slice(0, 10));
  return {
    days,
    counts: days.map((d) => perDay.get(d)?.ids.size ?? 0),
    values: days.map((d) => (perDay.get(d)?.value ?? 0) / 1e6),
  };
}

/** Whole weeks (Monday to Sunday) of a daily series. */
function weekly(days: string[], ys: number[]): number[] {
  const start = days.findIndex((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1);
  const out: number[] = [];
  for (let i = start; i + 7 <= ys.length; i += 7) out.push(ys.slice(i, i + 7).reduce((a, b) => a + b, 0));
  return out;
}

/** Rolling origins: the last `origins` forecasts of h periods, each `step` periods apart, ending at the series' end. */
function rolling(ys: number[], m: number, h: number, origins: number, step: number): Task[] {
  const tasks: Task[] = [];
  for (let o = origins - 1; o >= 0; o--) {
    const cut = ys.length - h - o * step;
    tasks.push({ y: ys.slice(0, cut), m, h, actual: ys.slice(cut, cut + h) });
  }
  return tasks;
}

interface Score {
  mase: number;
  coverage80: number;
  coverage95: number;
}

function score(tasks: Task[], forecasts: Pick<Forecast, 'points'>[]): Score {
  let mase = 0;
  let inside80 = 0;
  let inside95 = 0;
  let points = 0;
  tasks.forEach((task, i) => {
    const lag = task.y.length > task.m ? task.m : 1;
    let scaleSum = 0;
    for (let t = lag; t < task.y.length; t++) scaleSum += Math.abs((task.y[t] ?? 0) - (task.y[t - lag] ?? 0));
    const scaleOf = scaleSum / Math.max(1, task.y.length - lag) || 1;
    const f = forecasts[i]?.points ?? [];
    let error = 0;
    task.actual.forEach((a, h) => {
      const p = f[h];
      if (!p) return;
      error += Math.abs(a - p.mean);
      if (a >= p.lower80 && a <= p.upper80) inside80++;
      if (a >= p.lower95 && a <= p.upper95) inside95++;
      points++;
    });
    mase += error / task.actual.length / scaleOf;
  });
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    mase: round(mase / tasks.length),
    coverage80: round(inside80 / points),
    coverage95: round(inside95 / points),
  };
}

interface PeerRun {
  seconds: number;
  failures: number;
  forecasts: { mean: number[]; lower80: number[]; upper80: number[]; lower95: number[]; upper95: number[] }[];
}

function runPeers(tasks: Task[]): Record<string, PeerRun> {
  const dir = mkdtempSync(join(tmpdir(), 'clearway-forecast-'));
  try {
    const input = join(dir, 'series.json');
    const output = join(dir, 'forecasts.json');
    writeFileSync(input, JSON.stringify(tasks.map(({ y, m, h }) => ({ y, m, h }))));
    execFileSync(python, [peersScript, input, output], {
      stdio: ['ignore', 'ignore', 'inherit'],
      maxBuffer: 1 << 30,
    });
    return JSON.parse(readFileSync(output, 'utf8')) as Record<string, PeerRun>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const asForecast = (f: PeerRun['forecasts'][number]): Pick<Forecast, 'points'> => ({
  points: f.mean.map((mean, h) => ({
    mean,
    lower80: f.lower80[h] ?? mean,
    upper80: f.upper80[h] ?? mean,
    lower95: f.lower95[h] ?? mean,
    upper95: f.upper95[h] ?? mean,
  })),
});

function timed(method: Forecaster, tasks: Task[]): { forecasts: Forecast[]; ms: number } {
  const started = performance.now();
  const forecasts = tasks.map((t) => method(t.y, t.m, t.h));
  return { forecasts, ms: performance.now() - started };
}

function evaluate(data: string, tasks: Task[]): void {
  const peers = withPeers ? runPeers(tasks) : {};
  const scores: Record<string, Score & { ms: number }> = {};
  const ours = timed(forecast, tasks);
  scores.clearway = { ...score(tasks, ours.forecasts), ms: ours.ms };
  const floor = timed(seasonalNaive, tasks);
  scores.seasonal_naive = { ...score(tasks, floor.forecasts), ms: floor.ms };
  for (const [name, run] of Object.entries(peers)) {
    scores[name] = { ...score(tasks, run.forecasts.map(asForecast)), ms: run.seconds * 1000 };
  }
  const bestPeer = Math.min(
    ...Object.entries(scores)
      .filter(([n]) => n !== 'clearway')
      .map(([, s]) => s.mase),
  );
  const methods = new Map<string, number>();
  for (const f of ours.forecasts) methods.set(f.method, (methods.get(f.method) ?? 0) + 1);
  for (const [model, s] of Object.entries(scores)) {
    const line = {
      bench: 'forecast',
      data,
      model,
      series: tasks.length,
      mase: s.mase,
      coverage80: s.coverage80,
      coverage95: s.coverage95,
      ms: Math.round(s.ms),
      maseRatioToBestPeer: Math.round((s.mase / bestPeer) * 1000) / 1000,
      ...(model === 'clearway' ? { chosen: Object.fromEntries(methods) } : {}),
    };
    process.stdout.write(JSON.stringify(line) + '\n');
  }
}

if (withPeers) ensurePeers();
const count = (n: number) => Math.max(6, Math.round(n * scale));
evaluate('generated-weekly', generated({ name: 'weekly', m: 52, n: 156, h: 13, count: count(60) }, 1));
evaluate('generated-monthly', [
  ...generated({ name: 'monthly', m: 12, n: 60, h: 12, count: count(90) }, 2),
  ...generated({ name: 'monthly-short', m: 12, n: 30, h: 12, count: count(60) }, 3),
]);
evaluate('generated-daily', generated({ name: 'daily', m: 7, n: 84, h: 14, count: count(150) }, 4));

const kcs = kcsDays();
evaluate('kcs-declarations-per-day', rolling(kcs.counts, 7, 14, 6, 14));
evaluate('kcs-value-per-day', rolling(kcs.values, 7, 14, 6, 14));
evaluate('kcs-declarations-per-week', rolling(weekly(kcs.days, kcs.counts), 52, 4, 6, 4));
evaluate('kcs-value-per-week', rolling(weekly(kcs.days, kcs.values), 52, 4, 6, 4));

// the time to forecast 1,000 monthly series of five years, a year ahead; statsmodels (tens of
// milliseconds a series) is timed on the first BENCH_FORECAST_PEER_TIMING of them and scaled to 1,000
const timing = generated({ name: 'timing', m: 12, n: 60, h: 12, count: 1000 }, 5);
const ours = timed(forecast, timing).ms;
const peerTimed = Math.min(1000, Number(process.env.BENCH_FORECAST_PEER_TIMING ?? 200));
const times: [string, number, number][] = [['clearway', ours, 1000]];
if (withPeers) {
  for (const [name, run] of Object.entries(runPeers(timing.slice(0, peerTimed)))) {
    times.push([name, (run.seconds * 1000 * 1000) / peerTimed, peerTimed]);
  }
}
const fastestPeer = Math.min(...times.filter(([n]) => n !== 'clearway').map(([, ms]) => ms));
for (const [model, ms, timed] of times) {
  const line = {
    bench: 'forecast',
    measure: 'time_1000_series',
    model,
    ms: Math.round(ms),
    seriesTimed: timed,
  };
  process.stdout.write(
    JSON.stringify({ ...line, ratioToFastestPeer: Math.round((ms / fastestPeer) * 1000) / 1000 }) + '\n',
  );
}
