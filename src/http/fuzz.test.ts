/**
 * The API under hostile input: every operation of the OpenAPI document, signed in as a role it
 * documents (x-roles), gets generated values for each parameter and body field (NUL, lone
 * surrogates, huge, negative, exponent and hex numbers, Infinity, NaN, far days, text over its
 * limit, wrong types, nested junk, empty bodies, unknown fields, ids that are not ids). No answer
 * may be a 5xx, every refusal has the API's error shape, and a refused request leaves no row
 * behind. Seeded (FUZZ_SEED, FUZZ_RUNS to explore further) and bounded; on every storage engine.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { listTables, plainIdentifier } from '../backup/catalog.ts';
import type { Role } from '../governance/roles.ts';
import { clearwayCsv } from '../testing/clearway-csv.ts';
import {
  build,
  generated,
  isSchema,
  operationsOf,
  sweep,
  valid,
  type Baseline,
  type Built,
  type Generated,
  type Operation,
} from '../testing/fuzz-requests.ts';
import {
  aDeclaration,
  createRoleUsers,
  createUserToken,
  openTestContext,
  startTestServer,
  storageTargets,
  testPassword,
  testTrader,
  type TestContext,
  type TestServer,
} from '../testing/harness.ts';
import { serialize, type Json } from '../testing/hostile.ts';
import { sealPending } from '../governance/ledger/seal.ts';

const seed = Number(process.env.FUZZ_SEED ?? 11);
/** Random requests per operation, besides the sweep of every field: about 3,000 requests in all. */
const runs = Number(process.env.FUZZ_RUNS ?? 25);

/** What the running suite made for the generated requests to reach past their lookups. */
interface Fixtures {
  declarationId: number;
  importId: number;
  profileId: number;
}

let serial = 0;

/** Bodies that get past validation into the services, where the schema alone cannot give one. */
function exampleBody(op: Operation): Json | undefined {
  const key = `${op.method} ${op.path}`;
  const declaration = () => aDeclaration() as Json;
  switch (key) {
    case 'POST /api/auth/login':
      return { username: 'trader', password: testPassword };
    case 'POST /api/users':
      return { username: `fuzz-user-${++serial}`, password: testPassword, role: 'auditor' };
    case 'POST /api/declarations':
    case 'POST /api/declarations/validate':
      return declaration();
    case 'POST /api/declarations/batch':
      return { declarations: [declaration()] };
    case 'POST /api/declarations/{id}/amend':
      return { declaration: declaration() };
    case 'PUT /api/risk/prices/overrides':
      return { hs6: '851713', origin: 'CN', currency: 'USD', min: 5, max: 20, reason: 'fuzz band' };
    case 'POST /api/declarations/{id}/assign':
      return { officer: 'officer' };
    case 'POST /api/risk/profiles':
      return {
        code: `FZ${++serial}`,
        name: 'fuzz profile',
        lane: 'yellow',
        weight: 5,
        reason: 'generated',
        validFrom: '2026-01-01',
        conditions: [{ field: 'originCountry', op: 'eq', value: 'CN' }],
      };
    case 'PUT /api/retention/policies/{dataClass}':
      return { keep: '10y' };
    default:
      return op.body ? valid(op.body) : undefined;
  }
}

/** The value a path parameter takes when it is not the one being fuzzed. */
function pathValue(op: Operation, name: string, f: Fixtures): string {
  if (name === 'id') {
    if (op.path.startsWith('/api/declarations/')) return String(f.declarationId);
    if (op.path.startsWith('/api/imports/')) return String(f.importId);
    if (op.path.startsWith('/api/risk/profiles/')) return String(f.profileId);
    if (op.path.startsWith('/api/quality/traders/')) return testTrader;
    return '999999'; // models, checkpoints, tokens: none the suite depends on
  }
  const byName: Record<string, string> = {
    code: '8517',
    hs6: '851713',
    username: 'fuzz-target',
    path: 'items.hsCode',
    // sessions: a policy set here purges only sessions that have expired, never data the suite reads
    dataClass: 'sessions',
  };
  return byName[name] ?? 'x';
}

// ---------------------------------------------------------------------------------------------
// What a refused request may leave behind, and nothing more

/**
 * Rows a refusal writes on purpose, by table: anything else a 4xx leaves behind is a defect.
 */
function mayWriteWhenRefused(op: Operation, b: Built, status: number, table: string): boolean {
  // an Idempotency-Key remembers its first outcome, refusals included, so a retry gets the same answer
  if (table === 'idempotency_keys') return 'idempotency-key' in b.headers;
  // data quality counts every validation of a lodging or amendment, refused ones above all (422); one
  // for a party the caller may not lodge for (403) is counted unattributed
  if (table === 'quality_counts')
    return (
      (status === 422 || status === 403) && op.method === 'POST' && op.path.startsWith('/api/declarations')
    );
  return false;
}

/** One statement counting the rows of every table, prepared once: it runs after every request. */
const countStatement = (tables: string[]) => ({
  name: `fuzz_row_counts_${tables.length}`,
  text: `SELECT ARRAY[${tables.map((t) => `(SELECT count(*) FROM ${plainIdentifier(t)})`).join(', ')}]::int[] AS n`,
});

async function rowCounts(ctx: TestContext, tables: string[]): Promise<Map<string, number>> {
  // ledger entries pending from earlier requests are chained first, as the server's sealer would at
  // any moment: what is left to count is what this request wrote
  await sealPending(ctx.db);
  const [row] = await ctx.db.query<{ n: number[] }>(countStatement(tables));
  return new Map(tables.map((t, i) => [t, row?.n[i] ?? -1]));
}

// ---------------------------------------------------------------------------------------------

for (const target of storageTargets()) {
  describe(`every route under hostile input on ${target}`, () => {
    let ctx: TestContext;
    let server: TestServer;
    let tokens: Record<Role, string>;
    let fixtures: Fixtures;
    const baseline: Baseline = { body: exampleBody, pathValue: (op, name) => pathValue(op, name, fixtures) };
    let operations: Operation[];
    let tables: string[];
    let counts: Map<string, number>;
    const tally = { requests: 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, unsendable: 0 };
    /** A second user for operations that end the caller's own credentials. */
    let bystander = { token: '', serial: 0 };

    const newBystander = async () => {
      bystander = {
        serial: bystander.serial + 1,
        token: await createUserToken(ctx, {
          username: `fuzz-bystander-${bystander.serial + 1}`,
          role: 'administrator',
        }),
      };
    };

    before(async () => {
      ctx = await openTestContext(target, {
        // a pseudonym key, so that the analytics export runs instead of answering 503
        CLEARWAY_PSEUDONYM_KEY: 'a5'.repeat(32),
        // no signing of the ledger in the background: the rows counted are those requests leave
        CLEARWAY_LEDGER_HEAD_SECONDS: '0',
        CLEARWAY_LEDGER_CHECKPOINT_MINUTES: '0',
      });
      tokens = await createRoleUsers(ctx);
      await createUserToken(ctx, { username: 'fuzz-target', role: 'auditor' });
      await newBystander();
      server = await startTestServer(ctx);
      const lodged = await server.request('POST', '/api/declarations', {
        token: tokens.trader,
        body: aDeclaration(),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      const uploaded = await server.request('POST', '/api/imports?format=clearway', {
        token: tokens.trader,
        raw: clearwayCsv([]),
        headers: { 'content-type': 'text/csv' },
      });
      assert.equal(uploaded.status, 202, JSON.stringify(uploaded.body));
      const profile = await server.request('POST', '/api/risk/profiles', {
        token: tokens.risk_analyst,
        raw: serialize(exampleBody({ method: 'POST', path: '/api/risk/profiles' } as Operation)),
      });
      assert.equal(profile.status, 201, JSON.stringify(profile.body));
      fixtures = {
        declarationId: Number(lodged.body.id),
        importId: Number(uploaded.body.id),
        profileId: Number(profile.body.id),
      };
      await settled(fixtures.importId);
      const doc = await server.request('GET', '/api/openapi.json');
      operations = operationsOf(doc.body);
      tables = (await listTables(ctx.db)).map((t) => t.name);
      counts = await rowCounts(ctx, tables);
    });
    after(async () => {
      await server.close();
      await ctx.dispose();
    });

    /** Waits until an upload has finished in the background, so its rows are not a request's. */
    async function settled(importId: number) {
      let status: unknown;
      for (let i = 0; i < 600; i++) {
        const job = await server.request('GET', `/api/imports/${importId}`, { token: tokens.supervisor });
        status = job.body.status;
        if (status === 'done' || status === 'failed') return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`import ${importId} did not finish: ${String(status)}`);
    }

    /** Sends one generated request and says what went wrong with its answer, if anything. */
    async function check(op: Operation, g: Generated): Promise<string | null> {
      const b = build(op, g, baseline);
      // operations that end their caller's credentials are called by a bystander, not a role user
      const ends = /\/(revoke|disable|logout)$/.test(op.path);
      const token = g.role === null ? null : ends ? bystander.token : tokens[g.role];
      if (token) b.headers.authorization = `Bearer ${token}`;
      let status: number;
      let text: string;
      try {
        const response = await fetch(server.url + b.url, {
          method: b.method,
          headers: b.headers,
          ...(b.body === undefined ? {} : { body: b.body }),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        // fetch refuses to send some URLs and headers at all: nothing reached the server
        tally.unsendable++;
        if (error instanceof TypeError) return null;
        throw error;
      }
      tally.requests++;
      const klass = `${Math.floor(status / 100)}xx` as '2xx' | '3xx' | '4xx' | '5xx';
      tally[klass]++;
      const what = `${b.method} ${b.url.slice(0, 300)} as ${g.role ?? 'nobody'} with ${(b.body ?? '').slice(0, 300)}`;
      if (status >= 500) return `${status} for ${what}: ${text.slice(0, 300)}`;
      if (status === 202 && op.path === '/api/imports') {
        const id = (JSON.parse(text) as { id: number }).id;
        await settled(id);
      }
      if (ends && status === 401) await newBystander();
      const now = await rowCounts(ctx, tables);
      const before = counts;
      counts = now;
      if (status >= 400) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = null;
        }
        if (!isSchema(parsed) || typeof parsed.error !== 'string' || typeof parsed.message !== 'string')
          return `${status} without the error shape for ${what}: ${text.slice(0, 200)}`;
        const left = tables.filter(
          (t) => now.get(t) !== before.get(t) && !mayWriteWhenRefused(op, b, status, t),
        );
        if (left.length > 0)
          return `${status} left rows in ${left.map((t) => `${t} (${before.get(t)} -> ${now.get(t)})`).join(', ')} for ${what}`;
      }
      return null;
    }

    test('walks every documented operation, signed in as a role it allows', async (t) => {
      assert.ok(operations.length > 50, `only ${operations.length} operations documented`);
      const failures: string[] = [];
      // the archival run goes last: it may purge what earlier requests made
      const ordered = [...operations].sort(
        (a, b) => Number(a.path === '/api/retention/archive') - Number(b.path === '/api/retention/archive'),
      );
      for (const [index, op] of ordered.entries()) {
        const samples = [
          ...sweep(op, seed + index, exampleBody(op)),
          ...fc.sample(generated(op), { seed: seed + index, numRuns: runs }),
        ];
        for (const g of samples) {
          const problem = await check(op, g);
          if (problem) failures.push(problem);
        }
      }
      const summary = `${tally.requests} requests over ${operations.length} operations (seed ${seed}): ${tally['2xx']} 2xx, ${tally['3xx']} 3xx, ${tally['4xx']} 4xx, ${tally['5xx']} 5xx; ${tally.unsendable} not sendable`;
      t.diagnostic(summary);
      console.log(`fuzz on ${target}: ${summary}`);
      assert.deepEqual(failures.slice(0, 40), [], `${failures.length} failures`);
    });

    test('the role users can still act after the fuzzing, so no request ran with lost credentials', async () => {
      for (const [role, token] of Object.entries(tokens)) {
        const me = await server.request('GET', '/api/auth/me', { token });
        assert.equal(me.status, 200, role);
      }
    });
  });
}
