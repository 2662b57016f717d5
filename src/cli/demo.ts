/**
 * `clearway demo generate`: writes synthetic, labelled declarations in the clearway CSV format.
 * The CSV may go to stdout, so every message goes to stderr.
 */
import { parseArgs } from 'node:util';
import { isIsoDate, localToday, monthsBefore } from '../demo/calendar.ts';
import { writeDemoCsv } from '../demo/clearway-csv-writer.ts';
import type { DemoOptions } from '../demo/generate.ts';
import { err, ok, type Result } from '../shared/result.ts';

const usage =
  'usage: clearway demo generate [--count N] [--seed S] [--out FILE|-] [--from YYYY-MM-DD] [--to YYYY-MM-DD]';
const maxCount = 50_000_000;

interface GenerateRequest {
  options: DemoOptions;
  /** A file path, or undefined for stdout. */
  out: string | undefined;
}

type UsageError = { code: 'bad_arguments'; message: string };

/** Runs `clearway demo <sub-command> ...args`; returns the process exit code. */
export async function demoCommand(args: string[]): Promise<number> {
  const [subCommand, ...rest] = args;
  if (subCommand !== 'generate') {
    const problem = subCommand === undefined ? 'missing sub-command' : `unknown sub-command '${subCommand}'`;
    return fail(`clearway demo: ${problem}; ${usage}`, 2);
  }
  const parsed = parseGenerateArgs(rest);
  if (!parsed.ok) return fail(`clearway demo generate: ${parsed.error.message}`, 2);
  const { options, out } = parsed.value;
  const started = performance.now();
  try {
    const { declarations, rows } = await writeDemoCsv(options, out ?? process.stdout);
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `clearway demo generate: wrote ${rows} rows (${declarations} declarations, ${options.from}..${options.to}, ` +
        `seed ${options.seed}) to ${out ?? 'stdout'} in ${seconds.toFixed(1)} s\n`,
    );
    return 0;
  } catch (error) {
    // The reader of stdout went away (`... | head`): it has all it wanted.
    if (out === undefined && isBrokenPipe(error)) return 0;
    const message = error instanceof Error ? error.message : String(error);
    return fail(`clearway demo generate: cannot write ${out ?? 'stdout'}: ${message}`, 1);
  }
}

function isBrokenPipe(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EPIPE';
}

function fail(message: string, code: number): number {
  process.stderr.write(`${message}\n`);
  return code;
}

/** Parses and checks the options of `demo generate`. */
export function parseGenerateArgs(
  args: string[],
  today: string = localToday(),
): Result<GenerateRequest, UsageError> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        count: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
      },
    }).values;
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('. ')[0] ?? error.message) : String(error);
    return bad(message);
  }
  const count = parseInteger(values.count ?? '3000');
  if (count === undefined || count < 1 || count > maxCount) {
    return bad(`--count must be an integer from 1 to ${maxCount}, got '${values.count}'`);
  }
  const seed = parseInteger(values.seed ?? '1');
  if (seed === undefined) return bad(`--seed must be an integer, got '${values.seed}'`);
  const to = values.to ?? today;
  if (!isIsoDate(to)) return bad(`--to must be a date YYYY-MM-DD, got '${to}'`);
  const from = values.from ?? monthsBefore(to, 6);
  if (!isIsoDate(from)) return bad(`--from must be a date YYYY-MM-DD, got '${from}'`);
  if (from > to) return bad(`--from (${from}) must not be after --to (${to})`);
  const out = values.out === undefined || values.out === '-' ? undefined : values.out;
  return ok({ options: { count, seed, from, to }, out });
}

function parseInteger(text: string): number | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function bad(message: string): { ok: false; error: UsageError } {
  return err({ code: 'bad_arguments', message });
}
