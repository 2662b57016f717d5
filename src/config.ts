/** Every setting, read from the environment once, with defaults and validation. */
import path from 'node:path';
import { defaultReferenceDir } from './reference/reference-dir.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  referenceDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  bodyLimitBytes: number;
  sessionTtlHours: number;
  /** Mark session cookies Secure (serve over HTTPS, e.g. behind a TLS proxy). */
  secureCookies: boolean;
  loginAttemptsPerMinute: number;
  seedDemo: boolean;
  demoCount: number;
  adminPassword: string | undefined;
  demoPassword: string | undefined;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.CLEARWAY_DATA_DIR || '.clearway'),
    referenceDir: path.resolve(env.CLEARWAY_REFERENCE_DIR || defaultReferenceDir()),
    databaseUrl,
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimitBytes: int(env, 'CLEARWAY_BODY_LIMIT', 5 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    sessionTtlHours: int(env, 'CLEARWAY_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    secureCookies: bool(env, 'CLEARWAY_SECURE_COOKIES', false),
    loginAttemptsPerMinute: int(env, 'CLEARWAY_LOGIN_RATE', 10, 1, 10_000),
    seedDemo: bool(env, 'CLEARWAY_DEMO', true),
    demoCount: int(env, 'CLEARWAY_DEMO_COUNT', 6000, 0, 10_000_000),
    adminPassword: env.CLEARWAY_ADMIN_PASSWORD || undefined,
    demoPassword: env.CLEARWAY_DEMO_PASSWORD || undefined,
  };
}
