/**
 * `clearway demo generate`: writes synthetic, labelled declarations in the clearway CSV format.
 * The CSV may go to stdout, so every message goes to stderr.
 * `clearway demo pairs`: writes paired exports and imports for two administrations (demo/pairs.ts).
 * `clearway demo clearance`: stage times for stored demo declarations (demo-clearance.ts).
 */
import { parseArgs } from 'node:util';
import { isIsoDate, localToday, monthsBefore } from '../demo/calendar.ts';
import { writeDemoCsv } from '../demo/clearway-csv-writer.ts';
import type { DemoOptions } from '../demo/generate.ts';
import type { PairOptions } from '../demo/pairs.ts';
import { maxPairs, writeDemoPairs } from '../demo/pairs-writer.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { clearanceCommand, clearanceUsage } from './demo-clearance.ts';

const usage =
  'usage: clearway demo generate [--count N] [--seed S] [--out FILE|-] [--from YYYY-MM-DD] [--to YYYY-MM-DD]' +
  ' | clearway demo pairs --out DIR [--pairs N] [--seed S] [--exporting NL] [--importing KR] [--undervalued SHARE] [--unmatched SHARE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]' +
  ` | ${clearanceUsage}`;
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
  if (subCommand === 'pairs') return pairsCommand(rest);
  if (subCommand === 'clearance') return clearanceCommand(rest);
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

async function pairsCommand(args: string[]): Promise<number> {
  const parsed = parsePairsArgs(args);
  if (!parsed.ok) return fail(`clearway demo pairs: ${parsed.error.message}`, 2);
  const { options, out } = parsed.value;
  try {
    const written = await writeDemoPairs(options, out);
    process.stdout.write(JSON.stringify(written) + '\n');
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(`clearway demo pairs: cannot write ${out}: ${message}`, 1);
  }
}

/** Parses and checks the options of `demo pairs`. */
export function parsePairsArgs(
  args: string[],
  today: string = localToday(),
): Result<{ options: PairOptions; out: string }, UsageError> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(
        ['out', 'pairs', 'seed', 'from', 'to', 'exporting', 'importing', 'undervalued', 'unmatched'].map(
          (o) => [o, { type: 'string' as const }],
        ),
      ),
    }).values as Record<string, string | undefined>;
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('. ')[0] ?? error.message) : String(error);
    return bad(message);
  }
  if (!values.out) return bad('--out DIR is required');
  const pairs = parseInteger(values.pairs ?? '200');
  if (pairs === undefined || pairs < 1 || pairs > maxPairs)
    return bad(`--pairs must be an integer from 1 to ${maxPairs}, got '${values.pairs}'`);
  const seed = parseInteger(values.seed ?? '1');
  if (seed === undefined) return bad(`--seed must be an integer, got '${values.seed}'`);
  const to = values.to ?? today;
  if (!isIsoDate(to)) return bad(`--to must be a date YYYY-MM-DD, got '${to}'`);
  const from = values.from ?? monthsBefore(to, 3);
  if (!isIsoDate(from)) return bad(`--from must be a date YYYY-MM-DD, got '${from}'`);
  if (from > to) return bad(`--from (${from}) must not be after --to (${to})`);
  const exporting = values.exporting ?? 'NL';
  const importing = values.importing ?? 'KR';
  for (const [name, code] of [
    ['exporting', exporting],
    ['importing', importing],
  ] as const)
    if (!/^[A-Z][A-Z0-9]{1,11}$/.test(code))
      return bad(
        `--${name} must be an administration code (2 to 12 upper-case letters and digits), got '${code}'`,
      );
  if (exporting === importing) return bad('--exporting and --importing must differ');
  const undervalued = share(values.undervalued ?? '0.2', 1);
  if (undervalued === undefined)
    return bad(`--undervalued must be a share from 0 to 1, got '${values.undervalued}'`);
  const unmatched = share(values.unmatched ?? '0.1', 0.5);
  if (unmatched === undefined)
    return bad(`--unmatched must be a share from 0 to 0.5, got '${values.unmatched}'`);
  return ok({
    options: {
      pairs,
      seed,
      from,
      to,
      exporting,
      importing,
      undervaluedShare: undervalued,
      unmatchedShare: unmatched,
    },
    out: values.out,
  });
}

function share(text: string, max: number): number | undefined {
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
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
