/**
 * `clearway exchange partners list|propose|confirm`, `clearway exchange outbox|inbox`,
 * `clearway exchange retry ID` (a failed message sent again) and
 * `clearway exchange mirror-statistics`: partner administrations, the messages exchanged with them
 * and the mirror statistics of the exports received (ADR 0024). The CLI is run by an operator with access
 * to the database and is therefore trusted: `--as` names an administrator without a credential.
 * Four-eyes is enforced over the API, where each administrator signs in; here the same rules are
 * applied to the names given. A confirmation names the proposal's digest (--digest), as reviewed.
 */
import { readFile } from 'node:fs/promises';
import { openAppContext } from '../app-context.ts';
import { administrationCode, loadConfig } from '../config.ts';
import type { Sql } from '../db/database.ts';
import { exchangePolicy } from '../exchange/endpoint.ts';
import { listInbox } from '../exchange/inbox.ts';
import { mirrorStatistics, statisticsCsv, statisticsPeriod } from '../exchange/mirror-read.ts';
import { listOutbox, requeueFailed } from '../exchange/outbox.ts';
import {
  confirmPartner,
  loadPartners,
  loadProposals,
  proposePartner,
  type PartnerTerms,
} from '../exchange/partners.ts';
import { Role } from '../governance/roles.ts';
import { parse, positiveInt, required, subCommand, UsageError } from './usage.ts';

const usage = `usage: clearway exchange partners list [--json]
       clearway exchange partners propose --as ADMIN --code CODE --name NAME --endpoint URL --public-key-file FILE
                                          --agreement REF --from DAY [--to DAY] [--types export_declarations]
       clearway exchange partners confirm CODE --as ADMIN --digest DIGEST
       clearway exchange outbox|inbox [--limit N] [--json]
       clearway exchange retry ID --as ADMIN
       clearway exchange mirror-statistics [--from YYYY-MM] [--to YYYY-MM] [--partner CODE] [--chapter NN] [--csv|--json]

The CLI is run by an operator with database access and is therefore trusted: --as takes an
administrator's name without a credential. Four-eyes is enforced over the API, where each
administrator signs in. --digest is the proposal's digest shown by propose and partners list.`;

export async function exchangeCommand(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  const area = subCommand(what, ['partners', 'outbox', 'inbox', 'retry', 'mirror-statistics'] as const);
  if (area === 'mirror-statistics') return statistics(rest);
  if (area === 'retry') return retry(rest);
  if (area !== 'partners') return messages(area, rest);
  const [given, ...options] = rest;
  const sub = subCommand(given, ['list', 'propose', 'confirm'] as const);
  const { values, positionals } = parse(
    options,
    {
      json: { type: 'boolean', default: false },
      as: { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string' },
      endpoint: { type: 'string' },
      'public-key-file': { type: 'string' },
      agreement: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      types: { type: 'string', default: 'export_declarations' },
      digest: { type: 'string' },
    },
    sub === 'confirm',
  );
  // every option is checked before the database is opened
  const by = sub === 'list' ? '' : required(values.as, 'as');
  const code = sub === 'confirm' ? positionals[0] : undefined;
  if (sub === 'confirm' && !code) throw new UsageError(usage);
  const digest = sub === 'confirm' ? required(values.digest, 'digest') : '';
  const terms: PartnerTerms | undefined =
    sub === 'propose'
      ? {
          code: required(values.code, 'code'),
          name: required(values.name, 'name'),
          endpoint: required(values.endpoint, 'endpoint'),
          publicKey: await readFile(required(values['public-key-file'], 'public-key-file'), 'utf8'),
          messageTypes: values.types.split(',').map((t) => t.trim()),
          agreementRef: required(values.agreement, 'agreement'),
          validFrom: required(values.from, 'from'),
          validTo: values.to ?? null,
        }
      : undefined;
  const config = loadConfig();
  const ctx = await openAppContext(config);
  try {
    if (sub === 'list') {
      for (const p of await loadPartners(ctx.db))
        process.stdout.write(
          values.json
            ? JSON.stringify({ ...p, status: 'confirmed' }) + '\n'
            : `${p.code}\tconfirmed\t${p.validFrom}\t${p.validTo ?? '-'}\t${p.messageTypes.join(',')}\t${p.endpoint}\t${p.name}\n`,
        );
      for (const p of await loadProposals(ctx.db))
        process.stdout.write(
          values.json
            ? JSON.stringify({ ...p, status: 'pending' }) + '\n'
            : `${p.terms.code}\tpending (proposed by ${p.proposedBy}, digest ${p.digest})\t${p.terms.validFrom}\t${p.terms.validTo ?? '-'}\t${p.terms.messageTypes.join(',')}\t${p.terms.endpoint}\t${p.terms.name}\n`,
        );
      return 0;
    }
    const refusal = await notAnAdministrator(ctx.db, by);
    if (refusal) {
      process.stderr.write(`clearway exchange partners ${sub}: ${refusal}\n`);
      return 1;
    }
    const result = terms
      ? await proposePartner(ctx.db, terms, by, config.administration, exchangePolicy(config))
      : await confirmPartner(ctx.db, code ?? '', by, digest);
    if (!result.ok) {
      process.stderr.write(`clearway exchange partners ${sub}: ${result.error.message}\n`);
      return 1;
    }
    process.stdout.write(
      terms && 'digest' in result.value
        ? `proposed ${terms.code}: pending until another administrator confirms it (clearway exchange partners confirm ${terms.code} --as ADMIN --digest ${result.value.digest})\n`
        : `confirmed ${code ?? ''}: in force\n`,
    );
    return 0;
  } finally {
    await ctx.close();
  }
}

async function notAnAdministrator(sql: Sql, username: string): Promise<string | null> {
  const [user] = await sql.query<{ role: string; disabled: boolean }>(
    'SELECT role, disabled FROM users WHERE username = $1',
    [username],
  );
  if (!user) return `no user ${username}`;
  if (user.role !== Role.Administrator || user.disabled) return `${username} is not an active administrator`;
  return null;
}

async function messages(area: 'outbox' | 'inbox', args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean', default: false }, limit: { type: 'string' } });
  const limit = positiveInt(values.limit, 'limit', 100);
  const ctx = await openAppContext(loadConfig());
  try {
    const rows =
      area === 'outbox'
        ? (await listOutbox(ctx.db, limit)).map((m) =>
            values.json
              ? JSON.stringify(m)
              : `${m.id}\t${m.receiver}\t${m.type}\t${m.state}\tattempts ${m.attempts}\t${m.lastError ?? ''}`,
          )
        : (await listInbox(ctx.db, limit)).map((m) =>
            values.json ? JSON.stringify(m) : `${m.id}\t${m.sender}\t${m.type}\t${m.matchState}`,
          );
    for (const row of rows) process.stdout.write(row + '\n');
    return 0;
  } finally {
    await ctx.close();
  }
}

const messageId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A failed outbox message back to pending, to be sent at once with a fresh count of attempts (on the ledger). */
async function retry(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { as: { type: 'string' } }, true);
  const [id] = positionals;
  if (!id || positionals.length > 1) throw new UsageError(usage);
  if (!messageId.test(id)) throw new UsageError(`retry: the message id is a UUID, got "${id.slice(0, 40)}"`);
  const by = required(values.as, 'as');
  const ctx = await openAppContext(loadConfig());
  try {
    const refusal = await notAnAdministrator(ctx.db, by);
    const result = refusal ? null : await requeueFailed(ctx.db, id, by);
    if (!result?.ok) {
      process.stderr.write(`clearway exchange retry: ${refusal ?? result?.error.message ?? ''}\n`);
      return 1;
    }
    process.stdout.write(`${id}\tpending\tto ${result.value.receiver}, sent again at once\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}

/** The mirror statistics per partner, HS chapter and export month: a table, CSV or JSON lines. */
async function statistics(args: string[]): Promise<number> {
  const { values } = parse(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    partner: { type: 'string' },
    chapter: { type: 'string' },
    csv: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  // every option is checked before the database is opened
  const period = statisticsPeriod(values.from, values.to, new Date().toISOString().slice(0, 10));
  if (!period.ok) throw new UsageError(`mirror-statistics: ${period.message}`);
  if (values.partner !== undefined && !administrationCode.test(values.partner))
    throw new UsageError(
      `--partner must be an administration code (2 to 12 upper-case letters and digits, starting with a letter), got "${values.partner}"`,
    );
  if (values.chapter !== undefined && !/^\d{2}$/.test(values.chapter))
    throw new UsageError(`--chapter must be an HS chapter of two digits, got "${values.chapter}"`);
  if (values.csv && values.json) throw new UsageError('--csv and --json exclude each other');
  const ctx = await openAppContext(loadConfig());
  try {
    const rows = await mirrorStatistics(ctx.db, {
      from: period.from,
      to: period.to,
      ...(values.partner ? { partner: values.partner } : {}),
      ...(values.chapter ? { chapter: values.chapter } : {}),
    });
    if (values.csv) process.stdout.write(statisticsCsv(rows));
    else if (values.json) for (const r of rows) process.stdout.write(JSON.stringify(r) + '\n');
    else {
      process.stdout.write(`mirror statistics ${period.from} to ${period.to}\n`);
      process.stdout.write(
        'partner\tchapter\tmonth\tmatched\tunmatched\tbeyond\texport\timport\tgap\tcurrency\n',
      );
      for (const r of rows)
        process.stdout.write(
          `${r.partner}\t${r.chapter}\t${r.month}\t${r.matched}\t${r.unmatched}\t${r.beyond}\t${r.exportValue}\t${r.importValue}\t${r.valueGap}\t${r.currency}\n`,
        );
    }
    return 0;
  } finally {
    await ctx.close();
  }
}
