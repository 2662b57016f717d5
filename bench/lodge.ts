/**
 * `npm run bench:lodge`: lodging declarations over real HTTP, on PGlite and on PostgreSQL (a fresh
 * database on the server of DATABASE_URL, by default the local one), against a bare Fastify route.
 *
 * The real server is `src/main.ts` in a child process, started as an operator starts it on an empty
 * store (first-start seeding of LODGE_DEMO_COUNT demo rows, so a model is trained and active;
 * LOG_LEVEL warn). It lodges for a declarant created beforehand with an API token, representing
 * the traders of the bodies. The bare route (`bench/lodge-bare.ts`, its own child process) is
 * Fastify 5 validating the same body schema with the same validator and answering 201.
 * Bodies are distinct valid generated declarations, each with its own functional reference, all
 * lodged at office 030 over the last week, so lodgings contend for the same capacity counters.
 * This process is the load generator (`bench/lodge-load.ts`): keep-alive node:http clients,
 * pre-serialised bodies.
 * Any answer other than 201 is an error: printed on stderr, and the run exits non-zero.
 *
 * One JSON line per measurement, per engine:
 * - `start`: the server's start on an empty store, seeding included;
 * - `max`: 16 clients for LODGE_SECONDS, alternating bare, real, bare, real, bare, real: lodged per
 *   second, p50 and p99 of each run;
 * - `max-median`: the medians of the three, and real/bare (goal >= 0.25 on PostgreSQL);
 * - `half-rate`: the real server open-loop at half its median maximum, requests sent on a fixed
 *   schedule and latency counted from the scheduled time (no coordinated omission; `sendLagP99Ms`
 *   is this process's own lateness): p50 and p99 (ceiling 20 ms), and the slowest 1% as
 *   `sent-at-seconds:ms` in the order sent (a tail from one stall shows as neighbours);
 * - `clients`: lodged per second with 1, 4 and 16 clients, then `scaling`, their ratios (on
 *   PostgreSQL they must grow with clients).
 * Missed goals are printed (`ok: false`), not failed. `npm run bench:lodge -- postgres` runs one
 * engine; LODGE_SECONDS (5), LODGE_WARMUP_SECONDS (2), LODGE_DEMO_COUNT (2000) and LODGE_LOG_LEVEL
 * (warn) change the defaults; LODGE_CPU_PROFILE_DIR writes a CPU profile of the real server there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Database } from '../src/db/database.ts';
import { addDays } from '../src/declarations/validate/format.ts';
import { generateDeclarations } from '../src/demo/generate.ts';
import { Role } from '../src/governance/roles.ts';
import { createApiToken } from '../src/governance/tokens.ts';
import { createUser } from '../src/governance/users.ts';
import type { StorageTarget } from '../src/testing/harness.ts';
import { killLeftServers, startServerProcess, type ServerProcess } from '../src/testing/server-process.ts';
import { emptyStore } from '../src/testing/stores.ts';
import {
  closedLoop,
  openLoop,
  round,
  shownErrors,
  type Bodies,
  type Run,
  type Target,
} from './lodge-load.ts';

const seconds = setting('LODGE_SECONDS', 5);
const warmupSeconds = setting('LODGE_WARMUP_SECONDS', 2);
const demoCount = setting('LODGE_DEMO_COUNT', 2000);
const logLevel = process.env.LODGE_LOG_LEVEL || 'warn';
/** A folder for a CPU profile of the Clearway server (written as it stops), for finding where its time goes. */
const profileDir = process.env.LODGE_CPU_PROFILE_DIR;
const clients = 16;
const templates = 2000;
const office = '030';
const lodger = 'BENCH-BROKER';
const goalRatio = 0.25;
const ceilingP99Ms = 20;

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of at least 0, got "${raw}"`);
  return n;
}

const print = (line: Record<string, unknown>) =>
  process.stdout.write(JSON.stringify({ bench: 'lodge', ...line, loadAverage: loadavg()[0] }) + '\n');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Distinct declarations as request bodies: generated templates, each send with a new functional reference. */
class GeneratedBodies implements Bodies {
  readonly traders: string[];
  private readonly parts: [Buffer, Buffer][];
  private readonly run = randomBytes(4).toString('hex');
  private sent = 0;

  constructor() {
    const today = new Date().toISOString().slice(0, 10);
    const marker = '@@REF@@';
    const generated = generateDeclarations({
      count: 4 * templates,
      seed: 12,
      from: addDays(today, -6),
      to: today,
    });
    const traders = new Set<string>();
    this.parts = [];
    for (const { input } of generated) {
      if (this.parts.length === templates) break;
      traders.add(input.trader);
      const json = JSON.stringify({ ...input, office, declarant: lodger, functionalReference: marker });
      const [before = '', after = ''] = json.split(marker);
      this.parts.push([Buffer.from(before), Buffer.from(after)]);
    }
    this.traders = [...traders];
  }

  next(): Buffer {
    const n = this.sent++;
    const [before, after] = this.parts[n % this.parts.length] ?? [];
    if (!before || !after) throw new Error('no body templates');
    return Buffer.concat([before, Buffer.from(`${this.run}-${n}`), after]);
  }
}

const children = new Set<ChildProcess>();

/** Starts `bench/lodge-bare.ts` and waits for its port. */
async function startBare(): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'lodge-bare.ts')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening (\d+)/.exec(output);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error(`the bare server exited:\n${output}`)));
  });
  return {
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A declarant representing every trader of the bodies, with an API token, made in the store before the server starts. */
async function createLodger(open: () => Promise<Database>, traders: string[]) {
  const db = await open();
  try {
    const user = await createUser(db, {
      username: 'bench-lodger',
      password: randomBytes(18).toString('base64url'),
      role: Role.Declarant,
      partyId: lodger,
      represents: traders,
    });
    if (!user.ok) throw new Error(user.error.message);
    const token = await createApiToken(db, { owner: user.value, name: 'bench', by: 'system' });
    if (!token.ok) throw new Error(token.error.message);
    return token.value.token;
  } finally {
    await db.close();
  }
}

async function measure(engine: StorageTarget): Promise<void> {
  const bodies = new GeneratedBodies();
  const store = await emptyStore(engine);
  const dispose = () => store.dispose();
  disposers.add(dispose);
  let real: ServerProcess | undefined;
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    const token = await createLodger(() => store.open(), bodies.traders);
    const t = performance.now();
    real = await startServerProcess(
      {
        ...store.env,
        CLEARWAY_DEMO: 'true',
        CLEARWAY_DEMO_COUNT: String(demoCount),
        LOG_LEVEL: logLevel,
      },
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    const seeded = /Seeded (\d+) demo declarations/.exec(real.output())?.[1];
    print({
      engine,
      what: 'start',
      seconds: round((performance.now() - t) / 1000),
      demoDeclarations: Number(seeded ?? 0),
    });
    bare = await startBare();
    const targets = {
      bare: { name: 'bare', port: bare.port, token, errors: 0 } satisfies Target,
      real: { name: 'real', port: Number(new URL(real.url).port), token, errors: 0 } satisfies Target,
    };
    await closedLoop(targets.bare, clients, warmupSeconds, bodies);
    await closedLoop(targets.real, clients, warmupSeconds, bodies);
    // a setup that fails every request fails here, not after every measurement
    if (targets.bare.errors + targets.real.errors > 0)
      throw new Error('the warm-up was not answered 201 (see above): no measurement');

    const runs: Record<'bare' | 'real', Run[]> = { bare: [], real: [] };
    for (let r = 1; r <= 3; r++) {
      for (const server of ['bare', 'real'] as const) {
        const errors = targets[server].errors;
        const run = await closedLoop(targets[server], clients, seconds, bodies);
        runs[server].push(run);
        print({
          engine,
          what: 'max',
          server,
          round: r,
          clients,
          seconds,
          ...run,
          errors: targets[server].errors - errors,
        });
      }
    }
    const medians = (server: 'bare' | 'real') => ({
      perSecond: median(runs[server].map((x) => x.perSecond)),
      p50Ms: median(runs[server].map((x) => x.p50Ms)),
      p99Ms: median(runs[server].map((x) => x.p99Ms)),
    });
    const realMax = medians('real').perSecond;
    const ratio = realMax / medians('bare').perSecond;
    print({
      engine,
      what: 'max-median',
      clients,
      bare: medians('bare'),
      real: medians('real'),
      ratio: round(ratio, 4),
      roundRatios: runs.real.map((x, i) => round(x.perSecond / (runs.bare[i]?.perSecond ?? NaN), 4)),
      ...(engine === 'postgres' ? { goal: goalRatio, ok: ratio >= goalRatio } : {}),
    });

    const rate = Math.max(1, realMax / 2);
    const errors = targets.real.errors;
    const half = await openLoop(targets.real, rate, seconds, bodies);
    print({
      engine,
      what: 'half-rate',
      ratePerSecond: round(rate),
      seconds,
      ...half,
      errors: targets.real.errors - errors,
      ceilingP99Ms: ceilingP99Ms,
      ok: half.p99Ms <= ceilingP99Ms,
    });

    const perClients: Record<number, number> = {};
    for (const n of [1, 4, 16]) {
      const before = targets.real.errors;
      const run = await closedLoop(targets.real, n, seconds, bodies);
      perClients[n] = run.perSecond;
      print({ engine, what: 'clients', clients: n, seconds, ...run, errors: targets.real.errors - before });
    }
    const [one = NaN, four = NaN, sixteen = NaN] = [perClients[1], perClients[4], perClients[16]];
    print({
      engine,
      what: 'scaling',
      perSecond: perClients,
      ratio4to1: round(four / one, 2),
      ratio16to4: round(sixteen / four, 2),
      ratio16to1: round(sixteen / one, 2),
      ...(engine === 'postgres' ? { goal: 'grows with clients', ok: four > one && sixteen > four } : {}),
    });
    failures += targets.bare.errors + targets.real.errors;
  } finally {
    await bare?.stop();
    await real?.stop();
    disposers.delete(dispose);
    await dispose();
  }
}

let failures = 0;
/** The stores in use, dropped on a signal. */
const disposers = new Set<() => Promise<void>>();

/** On Ctrl-C or SIGTERM: the children are killed and the fresh database dropped before exiting. */
function stopOnSignal(signal: NodeJS.Signals) {
  process.once(signal, () => {
    shownErrors.quiet = true;
    for (const child of children) child.kill('SIGKILL');
    void killLeftServers()
      .then(() => Promise.allSettled([...disposers].map((dispose) => dispose())))
      .then((settled) => {
        for (const s of settled)
          if (s.status === 'rejected') process.stderr.write(`lodge: cleaning up: ${String(s.reason)}\n`);
      })
      .finally(() => process.exit(130));
  });
}
stopOnSignal('SIGINT');
stopOnSignal('SIGTERM');

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
// `npm run bench:lodge -- [pglite|postgres]` runs one engine
const only = process.argv[2];
try {
  if (!only || only === 'pglite') await measure('pglite');
  if (!only || only === 'postgres') await measure('postgres');
} finally {
  for (const child of children) child.kill('SIGKILL');
}
if (failures > 0) {
  process.stderr.write(`lodge: ${failures} requests were not answered 201\n`);
  process.exitCode = 1;
}
