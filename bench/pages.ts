/**
 * `npm run bench:pages`: how long a signed-in officer waits for the worklist and a declaration page
 * in Debian's Chromium. The server is started as an operator starts it (`src/main.ts`, its first
 * start seeding the demo data; PGlite unless DATABASE_URL is set), the officer signs in through the
 * form, and each page is loaded until its content is shown: the worklist's first row, the
 * declaration's heading. The time is the page's own, from the start of its navigation to the
 * content being seen in it, as the user counts it.
 *
 * - `cold`: a new browser context every run (empty cache, the session cookie only), as a user
 *   opening a link in a fresh browser;
 * - `warm`: the same page loaded again in a context that has already loaded it (bundles cached),
 *   coming from another address of the application, as a user does who has it open. (Coming from
 *   `about:blank` instead, Chromium starts a new renderer process for the site, which is the cold
 *   load's cost, not the page's.)
 *
 * One JSON line per page and kind with median and p95 over the runs, against its ceiling
 * (warm 300 ms, cold 900 ms). Build the web application first (`npm run build`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../src/testing/browser.ts';
import { testPassword } from '../src/testing/harness.ts';
import { killLeftServers, startServerProcess } from '../src/testing/server-process.ts';

const demoCount = process.env.BENCH_DECLARATIONS ?? '6000';
const runs = Number(process.env.BENCH_RUNS ?? 9);
const ceilings = { warm: 300, cold: 900 } as const;
type Kind = keyof typeof ceilings;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)] ?? NaN;
const round = (x: number) => Math.round(x * 10) / 10;

function line(what: string, kind: Kind, ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  process.stdout.write(
    JSON.stringify({
      bench: 'pages',
      page: what,
      kind,
      declarations: Number(demoCount),
      storage: process.env.DATABASE_URL ? 'postgres' : 'pglite',
      runs: ms.length,
      medianMs: round(median),
      p95Ms: round(percentile(sorted, 95)),
      ceilingMs: ceilings[kind],
      pass: median <= ceilings[kind],
    }) + '\n',
  );
}

/**
 * Milliseconds from the start of the navigation to `shown` being visible, in the page's own clock
 * (its navigation timing), as the user who typed the address or clicked the link counts them; the
 * time the benchmark takes to tell the browser to go there is not the page's. The clock is read in
 * the page just after the content was seen there, so it is, if anything, a little late.
 */
async function timeLoad(page: Page, url: string, shown: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(shown).first().waitFor({ state: 'visible' });
  return page.evaluate(() => performance.now());
}

async function measure(browser: Browser, baseUrl: string, declarationId: number) {
  const signInPage = await browser.newPage();
  await signInPage.goto(`${baseUrl}/worklist`);
  await signInPage.getByLabel('Username').fill('officer');
  await signInPage.getByLabel('Password').fill(testPassword);
  await signInPage.getByRole('button', { name: 'Sign in' }).click();
  await signInPage.getByRole('button', { name: 'Sign out' }).waitFor();
  const cookies = await signInPage.context().cookies();
  await signInPage.context().close();

  const targets = [
    { what: 'worklist', url: `${baseUrl}/worklist`, shown: 'main tbody tr' },
    { what: 'declaration', url: `${baseUrl}/declarations/${declarationId}`, shown: 'main h1' },
  ];
  for (const target of targets) {
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext(); // an empty cache every time
      await context.addCookies(cookies);
      const page = await context.newPage();
      cold.push(await timeLoad(page, target.url, target.shown));
      await page.goto(`${baseUrl}/health`);
      warm.push(await timeLoad(page, target.url, target.shown));
      await context.close();
    }
    line(target.what, 'cold', cold);
    line(target.what, 'warm', warm);
  }
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'clearway-bench-pages-'));
try {
  const server = await startServerProcess({
    CLEARWAY_DATA_DIR: dataDir,
    CLEARWAY_DEMO_COUNT: demoCount,
    CLEARWAY_DEMO_PASSWORD: testPassword,
    CLEARWAY_ADMIN_PASSWORD: testPassword,
    CLEARWAY_LOGIN_ACCOUNT_RATE: '1000',
  });
  try {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'officer', password: testPassword }),
    });
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    if (!cookie) throw new Error(`sign-in failed: ${login.status}`);
    const work = await fetch(`${server.url}/api/worklist?limit=1`, { headers: { cookie } });
    const body = (await work.json()) as { items: { id: number }[] };
    const first = body.items[0];
    if (!work.ok || !first) throw new Error(`the officer's worklist is empty (${work.status})`);
    const browser = await launchBrowser();
    try {
      await measure(browser, server.url, first.id);
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
} finally {
  await killLeftServers();
  await rm(dataDir, { recursive: true, force: true });
}
