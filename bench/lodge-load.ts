/**
 * The load generator of `bench/lodge.ts`: keep-alive node:http clients POSTing pre-serialised
 * bodies to `/api/declarations`, closed-loop (each client sends as soon as its answer is in) or
 * open-loop (on a fixed schedule, timed from the scheduled send). Any answer but 201 is an error.
 */
import { Agent, request } from 'node:http';

/** Sockets of the open loop: enough that requests wait for the server, not for a socket. */
const openLoopSockets = 64;

/** Where requests go, and how many were not answered 201. */
export interface Target {
  name: string;
  port: number;
  /** The bodies' type: application/json unless given (bench/exchange.ts lodges WCO XML too). */
  contentType?: string;
  token: string;
  errors: number;
}

/** Errors shown on stderr so far (the first ten are), and whether to stop showing them (after Ctrl-C). */
export const shownErrors = { count: 0, quiet: false };

/** Where the bodies come from: each call a new one. */
export interface Bodies {
  next(): Buffer;
}

/** POSTs one body; resolves when the answer is read. Anything but 201 counts (and is shown) as an error. */
function lodge(target: Target, agent: Agent, body: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const fail = (what: string) => {
      target.errors++;
      if (!shownErrors.quiet && shownErrors.count++ < 10)
        process.stderr.write(`lodge: ${target.name} server: ${what.slice(0, 600)}\n`);
      resolve(false);
    };
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port: target.port,
        method: 'POST',
        path: '/api/declarations',
        headers: {
          'content-type': target.contentType ?? 'application/json',
          'content-length': body.length,
          authorization: `Bearer ${target.token}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          if (res.statusCode !== 201) chunks.push(chunk);
        });
        res.on('end', () =>
          res.statusCode === 201
            ? resolve(true)
            : fail(`${res.statusCode} ${Buffer.concat(chunks).toString()}`),
        );
        res.on('error', (error) => fail(error.message));
      },
    );
    req.on('error', (error) => fail(error.message));
    req.end(body);
  });
}

export interface Run {
  lodged: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function summarise(latencies: number[], elapsedMs: number): Run {
  const sorted = Float64Array.from(latencies).sort();
  return {
    lodged: latencies.length,
    perSecond: Math.round((latencies.length * 1000) / elapsedMs),
    p50Ms: round(percentile(sorted, 0.5), 2),
    p99Ms: round(percentile(sorted, 0.99), 2),
  };
}

/** `n` clients, each sending its next body as soon as the previous answer is in, for `secs` seconds. */
export async function closedLoop(target: Target, n: number, secs: number, bodies: Bodies): Promise<Run> {
  const agent = new Agent({ keepAlive: true, maxSockets: n });
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + secs * 1000;
  let last = start;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (performance.now() < end) {
        const body = bodies.next();
        const sent = performance.now();
        const ok = await lodge(target, agent, body);
        last = performance.now();
        if (ok) latencies.push(last - sent);
      }
    }),
  );
  agent.destroy();
  return summarise(latencies, last - start);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bodies sent at `rate` a second on a fixed schedule for `secs` seconds, timed from their scheduled send. */
export async function openLoop(target: Target, rate: number, secs: number, bodies: Bodies) {
  const agent = new Agent({ keepAlive: true, maxSockets: openLoopSockets });
  const count = Math.max(1, Math.round(rate * secs));
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const lags: number[] = [];
  /** When (ms after the start) each answer was scheduled, and how long it took. */
  const timeline: [number, number][] = [];
  const answers: Promise<void>[] = [];
  const start = performance.now() + 5;
  for (let i = 0; i < count;) {
    const now = performance.now();
    for (; i < count && start + i * interval <= now; i++) {
      const scheduled = start + i * interval;
      lags.push(now - scheduled);
      answers.push(
        lodge(target, agent, bodies.next()).then((ok) => {
          if (!ok) return;
          latencies.push(performance.now() - scheduled);
          timeline.push([scheduled - start, performance.now() - scheduled]);
        }),
      );
    }
    if (i < count) await sleep(start + i * interval - performance.now());
  }
  await Promise.all(answers);
  const elapsed = performance.now() - start;
  agent.destroy();
  const lag = Float64Array.from(lags).sort();
  // the slowest 1% in the order they were sent: a tail from one stall is a run of neighbours
  const slowest = [...timeline].sort((a, b) => b[1] - a[1]).slice(0, Math.ceil(timeline.length / 100));
  return {
    ...summarise(latencies, elapsed),
    sendLagP99Ms: round(percentile(lag, 0.99), 2),
    slowestSentAtS: slowest
      .sort((a, b) => a[0] - b[0])
      .map(([at, ms]) => `${round(at / 1000, 2)}:${round(ms)}`),
  };
}

/** The nearest-rank percentile `q` (0..1) of ascending `sorted`. */
const percentile = (sorted: Float64Array, q: number) =>
  sorted.length ? (sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN) : NaN;

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
