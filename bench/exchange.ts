/**
 * `npm run bench:exchange`: exchange between two administrations on loopback, end to end, and the
 * lodging of WCO XML against JSON in the same run.
 *
 * Two servers (`src/main.ts` in child processes, as an operator starts them), NL and KR, each on its
 * own store: a PGlite data folder, or with DATABASE_URL a fresh database each on that server. Each
 * makes its exchange key at first use; each registers the other over the API from its published key,
 * proposed by one administrator and confirmed by a second. A broker with an API token lodges the
 * demo pairs' declarations (`clearway demo pairs`): the exports at NL, bound for KR.
 *
 * One JSON line per measurement:
 * - `start`: both servers' start on empty stores;
 * - `exchange` (3 rounds of EXCHANGE_MESSAGES exports, lodged in batches of 100): messages signed,
 *   delivered, verified and stored per second, from the first lodging at NL until every message is
 *   acknowledged there and listed in KR's inbox; beside it the peer, the rate at which NL accepted
 *   the same exports, and delivered/lodged (the sender keeps up when it is near 1);
 * - `matched`: the matching imports are lodged at KR, and the exports matched per second counted
 *   until every message is matched;
 * - `lodge-json`, `lodge-xml`: the same declarations lodged at KR one by one, 8 clients for
 *   EXCHANGE_SECONDS, as JSON and as DEC-DMS 2 messages, alternating, 3 rounds each;
 * - `lodge-median`: the medians and xml/json (goal >= 0.5).
 * Missed goals are printed (`ok: false`) and make the exit code 1. EXCHANGE_MESSAGES (300) and
 * EXCHANGE_SECONDS (5) change the defaults.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Database } from '../src/db/database.ts';
import { declarationToXml } from '../src/declarations/formats/wco-xml/index.ts';
import type { DeclarationInput } from '../src/declarations/model.ts';
import { addDays } from '../src/declarations/validate/format.ts';
import { generatePairs, pairBroker, pairTraders, type DemoPair } from '../src/demo/pairs.ts';
import { Role } from '../src/governance/roles.ts';
import { createApiToken } from '../src/governance/tokens.ts';
import { createUser } from '../src/governance/users.ts';
import type { StorageTarget } from '../src/testing/harness.ts';
import { killLeftServers, startServerProcess, type ServerProcess } from '../src/testing/server-process.ts';
import { emptyStore, type EmptyStore } from '../src/testing/stores.ts';
import { closedLoop, round, shownErrors, type Bodies, type Run, type Target } from './lodge-load.ts';

// at most 500: the outbox and inbox are read through the API, 500 messages at a time
const messages = Math.min(500, setting('EXCHANGE_MESSAGES', 300));
const seconds = setting('EXCHANGE_SECONDS', 5);
const batchSize = 100;
const clients = 8;
const goalXmlToJson = 0.5;
const engine: StorageTarget = process.env.DATABASE_URL ? 'postgres' : 'pglite';

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a whole number of at least 1, got "${raw}"`);
  return n;
}

const print = (line: Record<string, unknown>) =>
  process.stdout.write(
    JSON.stringify({ bench: 'exchange', engine, ...line, loadAverage: loadavg()[0] }) + '\n',
  );
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Side {
  code: 'NL' | 'KR';
  store: EmptyStore;
  server: ServerProcess;
  broker: string;
  admins: [string, string];
}

/** The broker of the pairs' traders and two administrators, with API tokens, made before the server starts. */
async function createUsers(
  db: Database,
  code: string,
): Promise<{ broker: string; admins: [string, string] }> {
  const token = async (
    username: string,
    role: Role,
    extra: { partyId?: string; represents?: string[] } = {},
  ) => {
    const user = await createUser(db, {
      username,
      password: randomBytes(18).toString('base64url'),
      role,
      displayName: username,
      ...extra,
    });
    if (!user.ok) throw new Error(user.error.message);
    const made = await createApiToken(db, { owner: user.value, name: 'bench', by: 'system' });
    if (!made.ok) throw new Error(made.error.message);
    return made.value.token;
  };
  const broker = await token('broker', Role.Declarant, {
    partyId: pairBroker(code),
    represents: pairTraders(code),
  });
  return {
    broker,
    admins: [await token('admin1', Role.Administrator), await token('admin2', Role.Administrator)],
  };
}

async function startSide(code: 'NL' | 'KR'): Promise<Side> {
  const store = await emptyStore(engine);
  stores.add(store);
  const db = await store.open();
  const users = await createUsers(db, code).finally(() => db.close());
  const server = await startServerProcess({
    ...store.env,
    CLEARWAY_ADMINISTRATION: code,
    CLEARWAY_DEMO: 'false',
    CLEARWAY_EXCHANGE_KEY_FILE: path.join(store.env.CLEARWAY_DATA_DIR ?? '', 'exchange-key.pem'),
    CLEARWAY_EXCHANGE_RETRY_SECONDS: '1',
    CLEARWAY_EXCHANGE_ALLOW_HTTP: 'true',
    CLEARWAY_EXCHANGE_ALLOW_PRIVATE: 'true',
    CLEARWAY_LEDGER_CHECKPOINT_MINUTES: '0',
    CLEARWAY_ARCHIVE_HOURS: '0',
    LOG_LEVEL: 'warn',
  });
  return { code, store, server, ...users };
}

async function call<T>(side: Side, method: string, url: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(`${side.server.url}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300)
    throw new Error(`${side.code} ${method} ${url}: ${response.status} ${text.slice(0, 400)}`);
  return JSON.parse(text) as T;
}

/** `of` registers `partner` from its published key: proposed by one administrator, confirmed by the other. */
async function register(of: Side, partner: Side): Promise<void> {
  const key = await call<{ publicKey: string }>(partner, 'GET', '/api/exchange/public-key', partner.broker);
  const proposal = await call<{ digest: string }>(of, 'POST', '/api/exchange/partners', of.admins[0], {
    code: partner.code,
    name: `Customs ${partner.code}`,
    endpoint: `${partner.server.url}/api/exchange/inbox`,
    publicKey: key.publicKey,
    messageTypes: ['export_declarations'],
    agreementRef: 'MoU NL-KR bench',
    validFrom: '2026-01-01',
  });
  await call(of, 'POST', `/api/exchange/partners/${partner.code}/confirm`, of.admins[1], {
    digest: proposal.digest,
  });
}

/** Lodges declarations in batches; returns the ids of the accepted. */
async function lodgeBatches(side: Side, declarations: DeclarationInput[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < declarations.length; i += batchSize) {
    const answer = await call<{
      rejected: number;
      results: { outcome: string; id?: number; code?: string }[];
    }>(side, 'POST', '/api/declarations/batch', side.broker, {
      declarations: declarations.slice(i, i + batchSize),
    });
    const refused = answer.results.find((r) => r.outcome !== 'accepted');
    if (refused) throw new Error(`${side.code} did not accept a declaration: ${JSON.stringify(refused)}`);
    ids.push(...answer.results.map((r) => r.id ?? 0));
  }
  return ids;
}

async function waitUntil(what: string, done: () => Promise<boolean>, limitSeconds = 600): Promise<void> {
  const deadline = Date.now() + limitSeconds * 1000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function exchangeRounds(nl: Side, kr: Side, today: string): Promise<void> {
  const rates: number[] = [];
  for (let r = 1; r <= 3; r++) {
    const pairs = [
      ...generatePairs({
        pairs: messages,
        seed: 1000 + r,
        from: addDays(today, -20),
        to: today,
        exporting: 'NL',
        importing: 'KR',
        undervaluedShare: 0.2,
        unmatchedShare: 0,
      }),
    ];
    const exports = pairs.flatMap((p) => (p.export ? [p.export] : []));
    const started = performance.now();
    const ids = new Set(await lodgeBatches(nl, exports));
    const lodgedMs = performance.now() - started;
    let sent = new Set<string>();
    await waitUntil('every export to be acknowledged', async () => {
      const { messages: out } = await call<{
        messages: { id: string; declarationId: number | null; state: string }[];
      }>(nl, 'GET', `/api/exchange/outbox?limit=500`, nl.admins[0]);
      const mine = out.filter((m) => m.declarationId !== null && ids.has(m.declarationId));
      const failed = mine.find((m) => m.state === 'failed');
      if (failed) throw new Error(`message ${failed.id} failed`);
      sent = new Set(mine.filter((m) => m.state === 'acknowledged').map((m) => m.id));
      return sent.size === ids.size;
    });
    const { messages: inbox } = await call<{ messages: { id: string }[] }>(
      kr,
      'GET',
      '/api/exchange/inbox?limit=500',
      kr.admins[0],
    );
    const stored = inbox.filter((m) => sent.has(m.id)).length;
    const ms = performance.now() - started;
    const perSecond = round((ids.size * 1000) / ms);
    const lodgedPerSecond = round((ids.size * 1000) / lodgedMs);
    rates.push(perSecond);
    print({
      what: 'exchange',
      round: r,
      messages: ids.size,
      storedAtReceiver: stored,
      seconds: round(ms / 1000, 2),
      perSecond,
      peer: { what: 'exports accepted at NL per second', perSecond: lodgedPerSecond },
      ratio: round(perSecond / lodgedPerSecond, 3),
      ok: stored === ids.size,
    });
    if (stored !== ids.size) failures++;
    await matchRound(kr, pairs, sent, r);
  }
  print({ what: 'exchange-median', perSecond: median(rates) });
}

/** The matching imports lodged at KR, and the received exports matched per second. */
async function matchRound(kr: Side, pairs: DemoPair[], sent: Set<string>, r: number) {
  const imports = pairs.flatMap((p) => (p.import ? [p.import] : []));
  const started = performance.now();
  await lodgeBatches(kr, imports);
  let matched = 0;
  await waitUntil('the exports to be matched', async () => {
    const { messages: inbox } = await call<{ messages: { id: string; matchState: string }[] }>(
      kr,
      'GET',
      '/api/exchange/inbox?limit=500',
      kr.admins[0],
    );
    matched = inbox.filter((m) => sent.has(m.id) && m.matchState !== 'unmatched').length;
    return matched === sent.size;
  });
  const ms = performance.now() - started;
  print({
    what: 'matched',
    round: r,
    matched,
    seconds: round(ms / 1000, 2),
    perSecond: round((matched * 1000) / ms),
  });
}

/** Distinct bodies of the same declarations, each send with a new functional reference. */
class Templates implements Bodies {
  private readonly parts: [Buffer, Buffer][];
  private sent = 0;

  constructor(
    declarations: readonly DeclarationInput[],
    write: (d: DeclarationInput) => string,
    private readonly prefix: string,
  ) {
    const marker = 'BENCHREFMARKER';
    this.parts = declarations.map((d) => {
      const [before = '', after = ''] = write({ ...d, functionalReference: marker }).split(marker);
      return [Buffer.from(before), Buffer.from(after)];
    });
  }

  next(): Buffer {
    const n = this.sent++;
    const [before, after] = this.parts[n % this.parts.length] ?? [];
    if (!before || !after) throw new Error('no body templates');
    return Buffer.concat([before, Buffer.from(`${this.prefix}${n}`), after]);
  }
}

async function lodgeXmlAgainstJson(kr: Side, today: string): Promise<void> {
  const declarations = [
    ...generatePairs({
      pairs: 500,
      seed: 77,
      from: addDays(today, -6),
      to: today,
      exporting: 'NL',
      importing: 'KR',
      undervaluedShare: 0,
      unmatchedShare: 0,
    }),
  ].flatMap((p) => (p.import ? [p.import] : []));
  const run = randomBytes(3).toString('hex');
  const port = Number(new URL(kr.server.url).port);
  const formats = {
    json: {
      target: { name: 'json', port, token: kr.broker, errors: 0 } satisfies Target,
      bodies: new Templates(declarations, (d) => JSON.stringify(d), `J${run}-`),
    },
    xml: {
      target: {
        name: 'xml',
        port,
        token: kr.broker,
        errors: 0,
        contentType: 'application/xml',
      } satisfies Target,
      bodies: new Templates(declarations, declarationToXml, `X${run}-`),
    },
  };
  for (const f of Object.values(formats)) await closedLoop(f.target, clients, 1, f.bodies);
  if (formats.json.target.errors + formats.xml.target.errors > 0)
    throw new Error('the warm-up was not answered 201 (see above): no measurement');
  const runs: Record<'json' | 'xml', Run[]> = { json: [], xml: [] };
  for (let r = 1; r <= 3; r++)
    for (const name of ['json', 'xml'] as const) {
      const { target, bodies } = formats[name];
      const errors = target.errors;
      const measured = await closedLoop(target, clients, seconds, bodies);
      runs[name].push(measured);
      print({
        what: `lodge-${name}`,
        round: r,
        clients,
        seconds,
        ...measured,
        errors: target.errors - errors,
      });
    }
  const medians = (name: 'json' | 'xml') => ({
    perSecond: median(runs[name].map((x) => x.perSecond)),
    p50Ms: median(runs[name].map((x) => x.p50Ms)),
    p99Ms: median(runs[name].map((x) => x.p99Ms)),
  });
  const ratio = medians('xml').perSecond / medians('json').perSecond;
  print({
    what: 'lodge-median',
    clients,
    json: medians('json'),
    xml: medians('xml'),
    ratio: round(ratio, 3),
    goal: goalXmlToJson,
    ok: ratio >= goalXmlToJson,
  });
  if (ratio < goalXmlToJson) failures++;
  failures += formats.json.target.errors + formats.xml.target.errors;
}

let failures = 0;
const stores = new Set<EmptyStore>();

async function main(): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const t = performance.now();
  const [nl, kr] = await Promise.all([startSide('NL'), startSide('KR')]);
  print({ what: 'start', servers: 2, seconds: round((performance.now() - t) / 1000, 2) });
  await register(nl, kr);
  await register(kr, nl);
  try {
    await exchangeRounds(nl, kr, today);
    await lodgeXmlAgainstJson(kr, today);
  } finally {
    await Promise.all([nl.server.stop(), kr.server.stop()]);
  }
}

/** On Ctrl-C or SIGTERM: the servers are killed and the stores dropped before exiting. */
function stopOnSignal(signal: NodeJS.Signals) {
  process.once(signal, () => {
    shownErrors.quiet = true;
    void killLeftServers()
      .then(() => Promise.allSettled([...stores].map((s) => s.dispose())))
      .finally(() => process.exit(130));
  });
}
stopOnSignal('SIGINT');
stopOnSignal('SIGTERM');

try {
  await main();
} finally {
  await killLeftServers();
  await Promise.allSettled([...stores].map((s) => s.dispose()));
}
if (failures > 0) {
  process.stderr.write(`exchange: ${failures} goals missed or requests refused\n`);
  process.exitCode = 1;
}
