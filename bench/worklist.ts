/**
 * `npm run bench:worklist`: is an office's worklist usable within a second when the database holds
 * 100,000 declarations? On PGlite and on PostgreSQL (a fresh database on the server of
 * DATABASE_URL, by default the local one), with generated declarations imported, a model trained
 * on their control history and activated, and every declaration assessed.
 *
 * One JSON line per measurement:
 * - `api-first-page` / `api-deep-page`: GET /api/worklist of the busiest office over real HTTP, the
 *   first page and the page after 20 pages (keyset), p50/p95 over the runs;
 * - `browser`: a signed-in officer opens /worklist in Debian's Chromium with an empty cache, until
 *   the first rows are shown (loading the application, its page bundle and the data); median over
 *   the runs. The ceiling for every line is 1,000 ms.
 */
import { PassThrough } from 'node:stream';
import { chromium } from 'playwright-core';
import { importDeclarations } from '../src/declarations/importer.ts';
import { writeDemoCsv } from '../src/demo/clearway-csv-writer.ts';
import { createUser } from '../src/governance/users.ts';
import { Role } from '../src/governance/roles.ts';
import { trainOnControls } from '../src/risk/retrain.ts';
import { activateModel } from '../src/risk/registry.ts';
import {
  openTestContext,
  startTestServer,
  testPassword,
  type StorageTarget,
} from '../src/testing/harness.ts';
import { launchBrowser } from '../src/testing/browser.ts';

const declarations = Number(process.env.BENCH_DECLARATIONS ?? 100_000);
const ceilingMs = 1000;
const apiRuns = 40;
const browserRuns = 7;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
const round = (x: number) => Math.round(x * 10) / 10;

function line(storage: string, what: string, ms: number[], extra: Record<string, unknown> = {}) {
  const sorted = [...ms].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  process.stdout.write(
    JSON.stringify({
      bench: 'worklist',
      storage,
      what,
      declarations,
      runs: ms.length,
      p50Ms: round(p50),
      p95Ms: round(percentile(sorted, 95)),
      ceilingMs,
      pass: p50 <= ceilingMs,
      ...extra,
    }) + '\n',
  );
}

async function measure(storage: StorageTarget): Promise<void> {
  const ctx = await openTestContext(storage);
  const server = await startTestServer(ctx);
  try {
    const csv = new PassThrough();
    const written = writeDemoCsv(
      { count: declarations, seed: 5, from: '2025-01-01', to: '2026-09-30' },
      csv,
    ).then(() => csv.end());
    await importDeclarations(ctx.db, ctx.validation(), csv, { format: 'clearway', actor: 'bench' });
    await written;
    await ctx.refreshPrices();
    const trained = await trainOnControls(ctx.db, 'bench');
    if (!trained.ok) throw new Error(`only ${trained.controls} controlled declarations`);
    await activateModel(ctx.db, trained.registered.id, 'bench');
    ctx.risk.invalidate();
    await ctx.risk.assessPending('bench');

    const [busiest] = await ctx.db.query<{ office: string; open: number }>(
      `SELECT office, count(*)::int8 AS open FROM declarations
       WHERE lane IN ('red', 'yellow') AND status IN ('accepted', 'amended')
       GROUP BY office ORDER BY open DESC LIMIT 1`,
    );
    if (!busiest) throw new Error('no open red or yellow work after assessment');
    const made = await createUser(ctx.db, {
      username: 'bench-officer',
      password: testPassword,
      role: Role.Officer,
      offices: [busiest.office],
    });
    if (!made.ok) throw new Error(made.error.message);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench-officer', password: testPassword }),
    });
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    if (!cookie) throw new Error(`sign-in failed: ${login.status}`);

    const get = async (path: string) => {
      const t = performance.now();
      const res = await fetch(server.url + path, { headers: { cookie } });
      const body = (await res.json()) as { items: unknown[]; nextCursor: string | null };
      if (!res.ok || body.items.length === 0) throw new Error(`${path}: ${res.status}`);
      return { ms: performance.now() - t, next: body.nextCursor };
    };
    const first: number[] = [];
    for (let i = 0; i < apiRuns; i++) first.push((await get('/api/worklist?limit=50')).ms);
    line(storage, 'api-first-page', first, { office: busiest.office, openWork: busiest.open });

    let cursor: string | null = null;
    for (let page = 0; page < 20 && (page === 0 || cursor); page++)
      cursor = (await get(`/api/worklist?limit=50${cursor ? `&after=${cursor}` : ''}`)).next;
    if (cursor) {
      const deep: number[] = [];
      for (let i = 0; i < apiRuns; i++) deep.push((await get(`/api/worklist?limit=50&after=${cursor}`)).ms);
      line(storage, 'api-deep-page', deep, { office: busiest.office, afterRows: 1000 });
    }

    const browser = await launchBrowser();
    try {
      const shown: number[] = [];
      const [name, value] = cookie.split('=') as [string, string];
      for (let i = 0; i < browserRuns; i++) {
        const context = await browser.newContext(); // an empty cache every time
        await context.addCookies([{ name, value, url: server.url }]);
        const page = await context.newPage();
        const t = performance.now();
        await page.goto(`${server.url}/worklist`);
        await page.locator('tbody a.link').first().waitFor();
        shown.push(performance.now() - t);
        await context.close();
      }
      line(storage, 'browser', shown, { office: busiest.office, chromium: chromium.name() });
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
    await ctx.dispose();
  }
}

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const targets: StorageTarget[] = process.env.BENCH_STORAGE
  ? [process.env.BENCH_STORAGE as StorageTarget]
  : ['pglite', 'postgres'];
for (const target of targets) await measure(target);
