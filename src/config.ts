/** Every setting, read from the environment once, with defaults and validation. */
import { isIP } from 'node:net';
import path from 'node:path';
import { defaultTokenLifetime, type TokenLifetime } from './governance/token-lifetime.ts';
import { isReleaseLabel, parsePseudonymKey } from './governance/pseudonyms.ts';
import { defaultReferenceDir } from './reference/reference-dir.ts';
import { defaultCapacity, defaultPolicy, defaultSlots, type CapacitySettings } from './risk/selectivity.ts';
import { defaultMirrorSettings, type MirrorSettings } from './exchange/mirror.ts';
import { monitoringSettings, type MonitoringSettings } from './monitoring/settings.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  referenceDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  bodyLimitBytes: number;
  /** Largest declaration file a user may upload (POST /api/imports), counted while it streams in. */
  uploadLimitBytes: number;
  /** Where uploaded files are kept until their import ends (CLEARWAY_UPLOAD_DIR; default DATA_DIR/uploads). */
  uploadDir: string;
  /**
   * For crash tests only (CLEARWAY_TEST_UPLOAD_HOLD): uploads stop at this stage, after the first
   * stored batch (`importing`) or before assessing (`assessing`), until the process is killed.
   */
  uploadTestHold: 'importing' | 'assessing' | undefined;
  sessionTtlHours: number;
  /** Mark session cookies Secure (serve over HTTPS, e.g. behind a TLS proxy). */
  secureCookies: boolean;
  loginAttemptsPerMinute: number;
  /** Failed sign-ins per account in 15 minutes, from addresses it has not signed in from lately. */
  loginFailuresPerAccount: number;
  /** API tokens' lifetime in days when none is asked for, and the longest one given. */
  tokenLifetime: TokenLifetime;
  /**
   * Which proxies to believe about the client's address and protocol (X-Forwarded-For and
   * -Proto): none (false), all (true), a number of hops, or addresses and CIDR ranges.
   */
  trustProxy: boolean | number | string[];
  seedDemo: boolean;
  demoCount: number;
  adminPassword: string | undefined;
  demoPassword: string | undefined;
  /** Share of declarations selected at random to measure compliance (0.01 = 1%). */
  randomShare: number;
  /** Control places per office and day for the red and yellow lanes. */
  controlCapacity: CapacitySettings;
  /**
   * The key of the trader pseudonyms in exported datasets (CLEARWAY_PSEUDONYM_KEY, hex or base64,
   * at least 32 bytes); without it the embedded setup generates one into the data folder.
   */
  pseudonymKey: Buffer | undefined;
  /** The release label of exports when none is given: pseudonyms are stable within a release. */
  exportRelease: string | undefined;
  /** The administration's Ed25519 private key (PEM) that signs ledger checkpoints; created on first use if absent. */
  ledgerKeyFile: string;
  /** Minutes between the server's ledger checkpoints (0: none; `clearway ledger checkpoint` makes one). */
  ledgerCheckpointMinutes: number;
  /** Seconds between the server's signed ledger heads while entries are added (0: none). */
  ledgerHeadSeconds: number;
  /** The folder outside the database that keeps a copy of every checkpoint and the latest signed head. */
  ledgerCopyDir: string;
  /** Where the archival job writes its archive folders (CLEARWAY_ARCHIVE_DIR; default DATA_DIR/archive). */
  archiveDir: string;
  /** Hours between the server's archival runs (0: none; `clearway archive` runs one). */
  archiveHours: number;
  /**
   * This installation's identity towards partner administrations (CLEARWAY_ADMINISTRATION): an ISO
   * 3166 alpha-2 code or a code of the administration's choosing; without it nothing is exchanged.
   */
  administration: string | undefined;
  /** The Ed25519 private key (PEM) that signs exchange messages; created on first use if absent. */
  exchangeKeyFile: string;
  /** How far a message's timestamp may be from the receiver's clock, in seconds. */
  exchangeClockSkewSeconds: number;
  /** The sender's first retry delay in seconds, doubled at each failed attempt (up to an hour). */
  exchangeRetrySeconds: number;
  /** Attempts after which an undelivered message is `failed` (CLEARWAY_EXCHANGE_MAX_ATTEMPTS). */
  exchangeMaxAttempts: number;
  /** Whether partner endpoints may be plain http (CLEARWAY_EXCHANGE_ALLOW_HTTP; tests and labs). */
  exchangeAllowHttp: boolean;
  /**
   * Whether partner endpoints may be loopback, link-local or private addresses
   * (CLEARWAY_EXCHANGE_ALLOW_PRIVATE; tests and labs).
   */
  exchangeAllowPrivate: boolean;
  /**
   * Seconds between the rounds that queue pushed deliveries to partner agencies
   * (CLEARWAY_SHARING_PUSH_SECONDS; 0: none, ADR 0033); their sender follows the exchange's
   * retry, attempts and address settings.
   */
  sharingPushSeconds: number;
  /**
   * Whether the server reads attached documents in the background (CLEARWAY_DOCUMENT_READING):
   * their text, their fields and their review against the declaration (documents/reader.ts).
   */
  documentReading: boolean;
  /** Matching window and thresholds of mirror analysis (CLEARWAY_MIRROR_*; ADR 0024). */
  mirror: MirrorSettings;
  /** Trade monitoring's history, thresholds and schedule (CLEARWAY_MONITOR_*; ADR 0028). */
  monitoring: MonitoringSettings;
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
    uploadLimitBytes: int(env, 'CLEARWAY_UPLOAD_LIMIT', 200 * 1024 * 1024, 1024, 64 * 1024 * 1024 * 1024),
    uploadDir: path.resolve(
      env.CLEARWAY_UPLOAD_DIR || path.join(env.CLEARWAY_DATA_DIR || '.clearway', 'uploads'),
    ),
    uploadTestHold: uploadTestHold(env.CLEARWAY_TEST_UPLOAD_HOLD, env.NODE_ENV),
    sessionTtlHours: int(env, 'CLEARWAY_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    secureCookies: bool(env, 'CLEARWAY_SECURE_COOKIES', false),
    loginAttemptsPerMinute: int(env, 'CLEARWAY_LOGIN_RATE', 10, 1, 10_000),
    loginFailuresPerAccount: int(env, 'CLEARWAY_LOGIN_ACCOUNT_RATE', 50, 1, 100_000),
    seedDemo: bool(env, 'CLEARWAY_DEMO', true),
    demoCount: int(env, 'CLEARWAY_DEMO_COUNT', 6000, 0, 10_000_000),
    adminPassword: env.CLEARWAY_ADMIN_PASSWORD || undefined,
    demoPassword: env.CLEARWAY_DEMO_PASSWORD || undefined,
    tokenLifetime: tokenLifetime(env),
    trustProxy: trustProxy(env, 'CLEARWAY_TRUST_PROXY'),
    randomShare: share(env, 'CLEARWAY_RANDOM_SHARE', defaultPolicy.randomShare),
    controlCapacity: {
      ...capacity(env, 'CLEARWAY_CONTROL_CAPACITY'),
      slots: int(env, 'CLEARWAY_CONTROL_CAPACITY_SLOTS', defaultSlots, 1, 1024),
    },
    pseudonymKey: pseudonymKey(env, 'CLEARWAY_PSEUDONYM_KEY'),
    exportRelease: releaseLabel(env, 'CLEARWAY_EXPORT_RELEASE'),
    ledgerKeyFile: path.resolve(
      env.CLEARWAY_LEDGER_KEY_FILE || path.join(env.CLEARWAY_DATA_DIR || '.clearway', 'ledger-key.pem'),
    ),
    ledgerCheckpointMinutes: int(env, 'CLEARWAY_LEDGER_CHECKPOINT_MINUTES', 60, 0, 7 * 24 * 60),
    ledgerHeadSeconds: int(env, 'CLEARWAY_LEDGER_HEAD_SECONDS', 60, 0, 24 * 3600),
    ledgerCopyDir: path.resolve(
      env.CLEARWAY_LEDGER_COPY_DIR || path.join(env.CLEARWAY_DATA_DIR || '.clearway', 'ledger-copy'),
    ),
    archiveDir: path.resolve(
      env.CLEARWAY_ARCHIVE_DIR || path.join(env.CLEARWAY_DATA_DIR || '.clearway', 'archive'),
    ),
    archiveHours: int(env, 'CLEARWAY_ARCHIVE_HOURS', 24, 0, 24 * 366),
    administration: administration(env.CLEARWAY_ADMINISTRATION),
    exchangeKeyFile: path.resolve(
      env.CLEARWAY_EXCHANGE_KEY_FILE || path.join(env.CLEARWAY_DATA_DIR || '.clearway', 'exchange-key.pem'),
    ),
    exchangeClockSkewSeconds: int(env, 'CLEARWAY_EXCHANGE_CLOCK_SKEW_SECONDS', 300, 1, 24 * 3600),
    exchangeRetrySeconds: int(env, 'CLEARWAY_EXCHANGE_RETRY_SECONDS', 30, 1, 3600),
    exchangeMaxAttempts: int(env, 'CLEARWAY_EXCHANGE_MAX_ATTEMPTS', 20, 1, 1000),
    exchangeAllowHttp: bool(env, 'CLEARWAY_EXCHANGE_ALLOW_HTTP', false),
    exchangeAllowPrivate: bool(env, 'CLEARWAY_EXCHANGE_ALLOW_PRIVATE', false),
    sharingPushSeconds: int(env, 'CLEARWAY_SHARING_PUSH_SECONDS', 10, 0, 24 * 3600),
    documentReading: bool(env, 'CLEARWAY_DOCUMENT_READING', true),
    mirror: mirrorSettings(env),
    monitoring: monitoringSettings(env, (message) => new ConfigError(message)),
  };
}

/** An administration code: 2 to 12 upper-case letters and digits, starting with a letter. */
export const administrationCode = /^[A-Z][A-Z0-9]{1,11}$/;

function administration(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!administrationCode.test(raw))
    throw new ConfigError(
      `CLEARWAY_ADMINISTRATION must be an ISO country code or a code of 2 to 12 upper-case letters and digits starting with a letter, got "${raw}"`,
    );
  return raw;
}

function uploadTestHold(raw: string | undefined, nodeEnv: string | undefined): Config['uploadTestHold'] {
  if (raw === undefined || raw === '') return undefined;
  // a held upload never ends: a server that is not under test refuses to start with it
  if (nodeEnv !== 'test')
    throw new ConfigError('CLEARWAY_TEST_UPLOAD_HOLD is for crash tests and needs NODE_ENV=test');
  if (raw === 'importing' || raw === 'assessing') return raw;
  throw new ConfigError(`CLEARWAY_TEST_UPLOAD_HOLD must be importing or assessing, got "${raw}"`);
}

function releaseLabel(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!isReleaseLabel(raw))
    throw new ConfigError(`${name} must be letters, digits, ".", "_" or "-" (at most 64), got "${raw}"`);
  return raw;
}

function tokenLifetime(env: NodeJS.ProcessEnv): TokenLifetime {
  const maxDays = int(env, 'CLEARWAY_TOKEN_MAX_DAYS', defaultTokenLifetime.maxDays, 1, 3650);
  const defaultDays = int(
    env,
    'CLEARWAY_TOKEN_DAYS',
    Math.min(defaultTokenLifetime.defaultDays, maxDays),
    1,
    3650,
  );
  if (defaultDays > maxDays)
    throw new ConfigError(
      `CLEARWAY_TOKEN_DAYS (${defaultDays}) must not exceed CLEARWAY_TOKEN_MAX_DAYS (${maxDays})`,
    );
  return { defaultDays, maxDays };
}

function trustProxy(env: NodeJS.ProcessEnv, name: string): boolean | number | string[] {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '' || /^(false|no|0)$/i.test(raw)) return false;
  if (/^(true|yes)$/i.test(raw)) return true;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((s) => s.trim());
  const bad = entries.find((e) => {
    const [ip = '', bits, ...more] = e.split('/');
    const version = isIP(ip);
    const prefix =
      bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
    return version === 0 || !prefix || more.length > 0;
  });
  if (bad !== undefined)
    throw new ConfigError(
      `${name} must be true, false, a number of proxies, or addresses and CIDR ranges separated by commas (e.g. 10.0.0.0/8,127.0.0.1); "${bad}" is none of these`,
    );
  return entries;
}

function pseudonymKey(env: NodeJS.ProcessEnv, name: string): Buffer | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const parsed = parsePseudonymKey(raw);
  if (!parsed.ok) throw new ConfigError(`${name}: ${parsed.error.message}`);
  return parsed.value;
}

/** A decimal number in [min, max]. */
function decimal(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function mirrorSettings(env: NodeJS.ProcessEnv): MirrorSettings {
  const d = defaultMirrorSettings;
  const settings: MirrorSettings = {
    windowDays: int(env, 'CLEARWAY_MIRROR_WINDOW_DAYS', d.windowDays, 1, 3650),
    margin: decimal(env, 'CLEARWAY_MIRROR_MARGIN', d.margin, 0, 1),
    valueLow: decimal(env, 'CLEARWAY_MIRROR_VALUE_LOW', d.valueLow, 0, 1),
    valueHigh: decimal(env, 'CLEARWAY_MIRROR_VALUE_HIGH', d.valueHigh, 1, 100),
    quantityTolerance: decimal(env, 'CLEARWAY_MIRROR_QUANTITY_TOLERANCE', d.quantityTolerance, 0, 1),
    massTolerance: decimal(env, 'CLEARWAY_MIRROR_MASS_TOLERANCE', d.massTolerance, 0, 1),
  };
  return settings;
}

function share(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new ConfigError(`${name} must be a share between 0 and 1 (0.01 is 1%), got "${raw}"`);
  }
  return n;
}

/**
 * Control capacity as `red=40,yellow=120,ICN.red=10`: places per day in every office, and
 * exceptions for one office (`OFFICE.lane=places`).
 */
function capacity(env: NodeJS.ProcessEnv, name: string): CapacitySettings {
  const raw = env[name];
  const out: CapacitySettings = { ...defaultCapacity, offices: {} };
  if (raw === undefined || raw.trim() === '') return out;
  for (const entry of raw.split(',')) {
    const m = /^\s*(?:([A-Za-z0-9]{1,17})\.)?(red|yellow)\s*=\s*(\d{1,6})\s*$/.exec(entry);
    if (!m) {
      throw new ConfigError(
        `${name}: "${entry.trim()}" is not lane=places or OFFICE.lane=places (lanes: red, yellow), e.g. red=40,yellow=120,ICN.red=10`,
      );
    }
    const [, office, lane, places] = m as unknown as [string, string | undefined, 'red' | 'yellow', string];
    if (office) out.offices[office] = { ...out.offices[office], [lane]: Number(places) };
    else out[lane] = Number(places);
  }
  return out;
}
