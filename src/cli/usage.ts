/** Argument parsing shared by the sub-commands: a wrong argument is a UsageError with a clear message. */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  positionals = false,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: positionals });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function positiveInt(value: string | undefined, name: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a whole number above 0, got "${value}"`);
  return n;
}

export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** The sub-command a command was given, one of `known`; anything else is a UsageError listing them. */
export function subCommand<T extends string>(sub: string | undefined, known: readonly T[]): T {
  const found = known.find((k) => k === sub);
  if (found !== undefined) return found;
  throw new UsageError(
    sub === undefined
      ? `give a sub-command: one of ${known.join(', ')}`
      : `unknown sub-command "${sub}"; one of ${known.join(', ')}`,
  );
}

/** The error code of a failed file-system call ('ENOENT', ...), if it is one. */
export function fileErrorCode(error: unknown): string | undefined {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

const fileProblems: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
};

/** Why a file-system call failed, in words. */
export const fileProblem = (code: string): string => fileProblems[code] ?? code;

/** Checks that `file` is a file that can be read, before any work starts; otherwise a UsageError naming it. */
export async function readableFile(file: string, what = 'file'): Promise<string> {
  const found = await stat(file).catch((error: unknown) => {
    throw new UsageError(`cannot read the ${what} ${file}: ${fileProblem(fileErrorCode(error) ?? 'ENOENT')}`);
  });
  if (!found.isFile()) throw new UsageError(`cannot read the ${what} ${file}: ${file} is not a file`);
  await access(file, constants.R_OK).catch(() => {
    throw new UsageError(`cannot read the ${what} ${file}: permission denied`);
  });
  return file;
}

/** Checks that `folder` is a folder that can be read; otherwise a UsageError naming it. */
export async function readableFolder(folder: string, what = 'folder'): Promise<string> {
  const found = await stat(folder).catch((error: unknown) => {
    throw new UsageError(
      `cannot read the ${what} ${folder}: ${fileProblem(fileErrorCode(error) ?? 'ENOENT')}`,
    );
  });
  if (!found.isDirectory()) throw new UsageError(`cannot read the ${what} ${folder}: it is not a folder`);
  return folder;
}

/** Checks that `file` can be created or replaced (its folder exists and may be written), before any work starts. */
export async function writableFile(file: string, what = 'file'): Promise<string> {
  const folder = path.dirname(path.resolve(file));
  const found = await stat(folder).catch((error: unknown) => {
    throw new UsageError(
      `cannot write the ${what} ${file}: ${fileProblem(fileErrorCode(error) ?? 'ENOENT')}`,
    );
  });
  if (!found.isDirectory())
    throw new UsageError(`cannot write the ${what} ${file}: ${folder} is not a folder`);
  await access(folder, constants.W_OK).catch(() => {
    throw new UsageError(`cannot write the ${what} ${file}: permission denied`);
  });
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`cannot write the ${what} ${file}: it is a folder`);
  return file;
}
