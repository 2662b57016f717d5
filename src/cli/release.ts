/**
 * `clearway release prepare|approve|reject|publish|list`: releases of public trade statistics from
 * the command line, recorded in the ledger as made by `cli:USER`. The four-eyes rule holds here too:
 * the user who prepared a release cannot approve it.
 */
import { userInfo } from 'node:os';
import { loadConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { exchangeIdentity } from '../exchange/identity.ts';
import { committedHead, signHeadAtEnd } from '../governance/ledger/heads.ts';
import { sealPending } from '../governance/ledger/seal.ts';
import { defaultParameters, type DominanceRule } from '../open-data/parameters.ts';
import {
  decideRelease,
  listReleases,
  prepareRelease,
  publishRelease,
  type Release,
  type ReleaseError,
} from '../open-data/releases.ts';
import type { Result } from '../shared/result.ts';
import { parse, positiveInt, required, subCommand, UsageError } from './usage.ts';

const usage = `usage: clearway release prepare --from YYYY-MM [--to YYYY-MM] --currency CUR [--min-traders N]
                  [--dominance N:K,...] [--protection P] [--correction TEXT] [--json]
       clearway release approve|reject ID [--note TEXT] [--json]
       clearway release publish ID [--json]
       clearway release list [--json]`;

function dominanceOf(text: string): DominanceRule[] {
  return text.split(',').map((rule) => {
    const match = /^(\d+):(\d+(?:\.\d+)?)$/.exec(rule.trim());
    if (!match) throw new UsageError(`--dominance takes rules as N:K (e.g. 1:85,2:95), got "${rule}"`);
    return { n: Number(match[1]), k: Number(match[2]) };
  });
}

const line = (r: Release) =>
  `${String(r.id).padStart(4)}  ${r.name} v${r.version}  ${r.status.padEnd(9)}  primary ${r.summary.primary}, secondary ${r.summary.secondary} of ${r.summary.cells} cells in ${r.summary.tables} tables${r.corrects ? `  corrects v${r.corrects}` : ''}`;

export async function releaseCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const command = subCommand(sub, ['prepare', 'approve', 'reject', 'publish', 'list'] as const);
  const { values, positionals } = parse(
    rest,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      currency: { type: 'string' },
      'min-traders': { type: 'string' },
      dominance: { type: 'string' },
      protection: { type: 'string' },
      correction: { type: 'string' },
      note: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    true,
  );
  const id =
    command === 'prepare' || command === 'list' ? 0 : positiveInt(positionals[0], 'ID (the release)');
  if (command !== 'prepare' && command !== 'list' && positionals.length !== 1) throw new UsageError(usage);
  const protection =
    values.protection === undefined ? defaultParameters.protectionPercent : Number(values.protection);
  if (!Number.isFinite(protection))
    throw new UsageError(`--protection must be a percentage, got "${values.protection}"`);
  const prepare =
    command === 'prepare'
      ? {
          from: required(values.from, 'from'),
          to: values.to ?? required(values.from, 'from'),
          currency: required(values.currency, 'currency'),
          parameters: {
            minTraders: positiveInt(values['min-traders'], 'min-traders', defaultParameters.minTraders),
            dominance:
              values.dominance === undefined ? defaultParameters.dominance : dominanceOf(values.dominance),
            protectionPercent: protection,
          },
          ...(values.correction === undefined ? {} : { correctionNote: values.correction }),
        }
      : null;
  const config = loadConfig();
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const ledgerAtOpen = (await committedHead(db)).seq;
  const actor = `cli:${userInfo().username}`;
  const show = (r: Release) => process.stdout.write(values.json ? JSON.stringify(r) + '\n' : line(r) + '\n');
  try {
    if (command === 'list') {
      const releases = await listReleases(db, false);
      process.stdout.write(
        values.json ? JSON.stringify(releases) + '\n' : releases.map((r) => line(r) + '\n').join(''),
      );
      return 0;
    }
    const done: Result<Release, ReleaseError> = await run(
      db,
      command,
      id,
      actor,
      prepare,
      values.note ?? null,
      config,
    );
    if (!done.ok) {
      process.stderr.write(`clearway release: ${done.error.message}\n`);
      return 1;
    }
    show(done.value);
    return 0;
  } finally {
    await sealPending(db)
      .then(() => signHeadAtEnd(db, config, ledgerAtOpen))
      .catch((error: unknown) =>
        process.emitWarning(`the ledger was not sealed and signed: ${String(error)}`),
      );
    await db.close();
  }
}

async function run(
  db: Database,
  command: 'prepare' | 'approve' | 'reject' | 'publish',
  id: number,
  actor: string,
  prepare: Parameters<typeof prepareRelease>[1] | null,
  note: string | null,
  config: ReturnType<typeof loadConfig>,
): Promise<Result<Release, ReleaseError>> {
  if (command === 'prepare' && prepare) return prepareRelease(db, prepare, actor);
  if (command === 'approve' || command === 'reject') return decideRelease(db, id, command, actor, note);
  const identity = exchangeIdentity(config);
  return publishRelease(db, id, actor, await identity.signer(), identity.administration ?? 'CLEARWAY');
}
