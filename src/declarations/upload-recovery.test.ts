/**
 * Uploads survive a crash of the server: the server runs as a child process and is killed with
 * SIGKILL while an upload is receiving, importing or assessing (each stage held open by
 * CLEARWAY_TEST_UPLOAD_HOLD or by a body that is never finished, so the kill lands where it should),
 * then started again. The job ends done or failed with a message, every declaration has a lane, the
 * counts add up, the owner uploads again, and the upload folder is left empty.
 */
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { aClearwayRow, clearwayCsv } from '../testing/clearway-csv.ts';
import { storageTargets } from '../testing/harness.ts';
import { killLeftServers, startServerProcess, type ServerProcess } from '../testing/server-process.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';

type Job = Record<string, unknown> & { id: number; status: string; error: string | null };

const password = 'crash test password';
const trader = 'DEMO-TRADER';

/** The demo users (the trader is DEMO-TRADER) without demo declarations. */
const serverEnv = (store: EmptyStore, hold?: 'importing' | 'assessing') => ({
  ...store.env,
  CLEARWAY_DEMO: 'true',
  CLEARWAY_DEMO_COUNT: '0',
  CLEARWAY_DEMO_PASSWORD: password,
  CLEARWAY_LEDGER_CHECKPOINT_MINUTES: '0',
  CLEARWAY_ARCHIVE_HOURS: '0',
  LOG_LEVEL: 'warn',
  CLEARWAY_TEST_UPLOAD_HOLD: hold ?? '',
  NODE_ENV: 'test',
});

const rows = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => aClearwayRow(`${prefix}-${i + 1}`, { trader, office: '030' }));

async function signIn(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'trader', password }),
  });
  assert.equal(res.status, 200, await res.text());
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function upload(server: ServerProcess, cookie: string, csv: string): Promise<Job> {
  const res = await fetch(`${server.url}/api/imports?format=clearway`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'text/csv' },
    body: csv,
  });
  const body = (await res.json()) as Job;
  assert.equal(res.status, 202, JSON.stringify(body));
  return body;
}

async function jobs(server: ServerProcess, cookie: string): Promise<Job[]> {
  const res = await fetch(`${server.url}/api/imports`, { headers: { cookie } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { items: Job[] }).items;
}

/** Polls the trader's latest import until `ready` holds. */
async function until(server: ServerProcess, cookie: string, ready: (job: Job) => boolean): Promise<Job> {
  for (let i = 0; i < 1200; i++) {
    const [latest] = await jobs(server, cookie);
    if (latest && ready(latest)) return latest;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the import did not get there:\n${server.output()}`);
}

const ended = (job: Job) => job.status === 'done' || job.status === 'failed';

/** What the store holds once the server has stopped. */
async function stored(store: EmptyStore, prefix: string) {
  const db = await store.open();
  try {
    // `checked`: the trader's declarations counted for data quality, each once
    const [row] = await db.query<{ n: number; distinct: number; laneless: number; checked: number }>(
      `SELECT count(*)::int8 AS n, count(DISTINCT functional_reference)::int8 AS distinct,
         (SELECT count(*)::int8 FROM declarations WHERE lane IS NULL AND status <> 'cancelled') AS laneless,
         (SELECT coalesce(sum(checked), 0)::int8 FROM quality_counts WHERE trader_id = $2 AND field = '')
           AS checked
       FROM declarations WHERE functional_reference LIKE $1`,
      [`${prefix}-%`, trader],
    );
    return row;
  } finally {
    await db.close();
  }
}

async function uploadFolder(store: EmptyStore): Promise<string[]> {
  return readdir(path.join(store.env.CLEARWAY_DATA_DIR ?? '', 'uploads'));
}

/** The owner uploads again once the interrupted job has ended, and that upload is done. */
async function uploadsAgain(server: ServerProcess, cookie: string): Promise<void> {
  const again = await upload(server, cookie, clearwayCsv(rows('AGAIN', 3)));
  const job = await until(server, cookie, (j) => j.id === again.id && ended(j));
  assert.deepEqual([job.status, job.accepted, job.assessed], ['done', 3, 3]);
}

for (const target of storageTargets()) {
  describe(`uploads interrupted by kill -9 (${target})`, { concurrency: false }, () => {
    afterEach(killLeftServers);
    test('an upload killed while its file is received fails at the next start, and its file is removed', async () => {
      const store = await emptyStore(target);
      try {
        let server = await startServerProcess(serverEnv(store));
        let cookie = await signIn(server);
        const csv = clearwayCsv(rows('RECV', 200));
        // the body is never finished: the server is receiving it when it is killed
        const sending = fetch(`${server.url}/api/imports?format=clearway`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'text/csv' },
          body: new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode(csv.slice(0, 20_000)));
            },
          }),
          duplex: 'half',
        } as RequestInit).catch(() => null);
        const receiving = await until(server, cookie, (j) => j.status === 'receiving');
        const file = path.join(store.env.CLEARWAY_DATA_DIR ?? '', 'uploads', `${receiving.id}.csv`);
        for (let i = 0; i < 100 && ((await stat(file).catch(() => null))?.size ?? 0) === 0; i++)
          await new Promise((resolve) => setTimeout(resolve, 50));
        assert.ok((await stat(file)).size > 0, 'the file is being received into the upload folder');
        await server.kill();
        await sending;

        server = await startServerProcess(serverEnv(store));
        cookie = await signIn(server);
        const [job] = await jobs(server, cookie);
        assert.equal(job?.id, receiving.id);
        assert.equal(job?.status, 'failed');
        assert.equal(
          job?.error,
          'the server stopped while the file was being received: upload the file again',
        );
        assert.deepEqual(await uploadFolder(store), []);
        await uploadsAgain(server, cookie);
        await server.stop();
        assert.deepEqual(await stored(store, 'RECV'), { n: 0, distinct: 0, laneless: 0, checked: 3 });
        assert.deepEqual(await uploadFolder(store), []);
      } finally {
        await store.dispose();
      }
    });

    test('an upload killed while importing is imported to the end at the next start, each declaration once', async () => {
      const store = await emptyStore(target);
      try {
        let server = await startServerProcess(serverEnv(store, 'importing'));
        let cookie = await signIn(server);
        // two batches (10,000 declarations each at most), and a rejected row in the first
        const all = rows('IMP', 10_500);
        all[10] = aClearwayRow('IMP-11', { trader, office: '030', hs_code: '99999999' });
        const started = await upload(server, cookie, clearwayCsv(all));
        // held after the first batch is stored and counted
        const held = await until(server, cookie, (j) => j.status === 'importing' && Number(j.accepted) > 0);
        assert.ok(Number(held.accepted) < 10_499, `part of the file is stored: ${String(held.accepted)}`);
        await server.kill();

        server = await startServerProcess(serverEnv(store));
        cookie = await signIn(server);
        const job = await until(server, cookie, (j) => j.id === started.id && ended(j));
        assert.equal(job.status, 'done', String(job.error));
        assert.deepEqual(
          [job.rowsRead, job.accepted, job.rejected, job.duplicates, job.assessed, job.findings],
          [10_500, 10_499, 1, 0, 10_499, 1],
        );
        const lanes = job.lanes as Record<string, number>;
        assert.equal(
          Object.values(lanes).reduce((a, b) => a + b, 0),
          10_499,
        );
        const rejects = await fetch(`${server.url}/api/imports/${job.id}/rejects`, { headers: { cookie } });
        const items = ((await rejects.json()) as { items: { line: number; code: string }[] }).items;
        assert.deepEqual(
          items.map((r) => [r.line, r.code]),
          [[12, 'unknown_hs_code']],
        );
        assert.deepEqual(await uploadFolder(store), []);
        await uploadsAgain(server, cookie);
        await server.stop();
        assert.deepEqual(await stored(store, 'IMP'), {
          n: 10_499,
          distinct: 10_499,
          laneless: 0,
          checked: 10_500 + 3,
        });
      } finally {
        await store.dispose();
      }
    });

    test('an upload killed while assessing is assessed at the next start and done', async () => {
      const store = await emptyStore(target);
      try {
        let server = await startServerProcess(serverEnv(store, 'assessing'));
        let cookie = await signIn(server);
        const started = await upload(server, cookie, clearwayCsv(rows('ASSESS', 50)));
        await until(server, cookie, (j) => j.status === 'assessing');
        await server.kill();

        server = await startServerProcess(serverEnv(store));
        cookie = await signIn(server);
        const job = await until(server, cookie, (j) => j.id === started.id && ended(j));
        assert.equal(job.status, 'done', String(job.error));
        assert.deepEqual(
          [job.rowsRead, job.accepted, job.rejected, job.duplicates, job.assessed],
          [50, 50, 0, 0, 50],
        );
        assert.deepEqual(await uploadFolder(store), []);
        await uploadsAgain(server, cookie);
        await server.stop();
        assert.deepEqual(await stored(store, 'ASSESS'), { n: 50, distinct: 50, laneless: 0, checked: 53 });
      } finally {
        await store.dispose();
      }
    });
  });
}
