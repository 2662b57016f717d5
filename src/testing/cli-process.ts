/** Runs the `clearway` command as a child process, as an operator would, for CLI tests. */
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
// the test runner's variable would make the child report to it instead of running the command
const { NODE_TEST_CONTEXT: _testRunner, ...inheritedEnv } = process.env;

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `clearway ARGS` from the repository root with the environment given on top of this one.
 * `stdin` is written to its standard input; with `killAfter`, it is sent SIGKILL as soon as its
 * standard error matches, as a power cut or an operator's kill -9 would.
 */
export function clearway(
  env: Record<string, string>,
  args: string[],
  options: { stdin?: string; killAfter?: RegExp } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/clearway.js', ...args], {
      cwd: root,
      env: { ...inheritedEnv, ...env },
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (options.killAfter?.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.stdin);
  });
}
