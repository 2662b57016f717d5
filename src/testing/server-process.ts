/** Runs the server (`src/main.ts`) as a child process, as an operator starts it, for crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
// the test runner's variable would make the child report to it instead of running the server
const { NODE_TEST_CONTEXT: _testRunner, ...inheritedEnv } = process.env;

export interface ServerProcess {
  url: string;
  /** Everything it wrote to standard output and error so far. */
  output(): string;
  /** Sends SIGKILL, as a power cut or an operator's kill -9 would, and waits until it is gone. */
  kill(): Promise<void>;
  /** Sends SIGTERM and waits until it has shut down. */
  stop(): Promise<void>;
}

/** The servers started and not yet gone, killed by `killLeftServers` (and at the latest when this process exits). */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Kills every server a test started and left running (a failed assertion skips its stop), so that a
 * failure fails the test instead of keeping the test process alive. Call it after each test.
 */
export async function killLeftServers(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          if (!child.kill('SIGKILL')) resolve();
        }),
    ),
  );
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Starts the server with the environment given on top of this one; resolves once it is ready. A port
 * taken by another process while the server started is given up for another.
 */
export async function startServerProcess(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
  /** A port to start on, e.g. that of a server started before and stopped (tried once). */
  port?: number,
): Promise<ServerProcess> {
  if (port !== undefined) return startOn(port, env, nodeArgs);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(), env, nodeArgs);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortTaken)) throw error;
    }
  }
}

class PortTaken extends Error {}

async function startOn(
  port: number,
  env: Record<string, string>,
  nodeArgs: readonly string[],
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    // no random selection unless a test asks for it, as in openTestContext
    env: { ...inheritedEnv, CLEARWAY_RANDOM_SHARE: '0', ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  live.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  // a generous wait: a busy machine must not fail the start
  const deadline = Date.now() + 120_000;
  while (!output.includes('Clearway is ready')) {
    if (Date.now() > deadline || child.exitCode !== null || child.signalCode !== null) {
      child.kill('SIGKILL');
      await exited;
      if (output.includes('EADDRINUSE')) throw new PortTaken(output);
      throw new Error(`the server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}
