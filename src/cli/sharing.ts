/**
 * `clearway sharing ...`: partner agencies and data-sharing agreements (ADR 0032). The CLI is run by
 * an operator with access to the database and is therefore trusted: `--as` names the acting
 * administrator or supervisor without a credential, and the four-eyes rules are applied to the
 * names given, as over the API.
 */
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import type { AppContext } from '../app-context.ts';
import { exchangePolicy } from '../exchange/endpoint.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { findUserByName } from '../governance/users.ts';
import { idMax, parseInteger } from '../shared/integer.ts';
import { createAgency, listAgencies } from '../sharing/agencies.ts';
import { AgreementBody } from '../sharing/agreement-schema.ts';
import { loadProcedureSet } from '../sharing/agreement-terms.ts';
import { decideAgreement } from '../sharing/agreement-decisions.ts';
import { termsDigestPattern } from '../sharing/terms-digest.ts';
import {
  agreementStatuses,
  draftAgreement,
  listAgreements,
  presentAgreement,
  type AgreementStatus,
  type Decision,
  type StoredAgreement,
} from '../sharing/agreements.ts';
import { sharingDeliveriesCommand } from './sharing-deliveries.ts';
import { sharingFindings } from './sharing-findings.ts';
import { withContext } from './with-context.ts';
import { parse, readableFile, required, subCommand, UsageError } from './usage.ts';

const usage = `usage: clearway sharing agencies [--json]
       clearway sharing agency add CODE --name NAME --contact TEXT
       clearway sharing agreements [--agency CODE] [--status STATUS] [--json]
       clearway sharing agreement draft --file AGREEMENT.json --as ADMIN
       clearway sharing agreement approve ID --digest TERMS_DIGEST [--reason TEXT] --as USERNAME
       clearway sharing agreement reject|suspend|resume|revoke ID [--reason TEXT] --as USERNAME
       clearway sharing deliveries [--agency CODE] [--limit N] [--json]

--as names an administrator (draft) or an administrator or supervisor (decisions) without a
credential: the CLI is run by a trusted operator. Four-eyes holds as over the API: the drafter
does not approve or reject, the one who suspended does not resume. An approval names the terms
reviewed by their digest (the last column of \`clearway sharing agreements\`, or termsDigest with
--json): if the draft changed since, it is refused.`;

const today = () => new Date().toISOString().slice(0, 10);
/** The trusted operator reading every agreement. */
const operator: Actor = {
  userId: 0,
  username: 'system',
  role: Role.Administrator,
  partyId: null,
  offices: [],
};

export async function sharingCommand(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  const area = subCommand(what, [
    'agencies',
    'agency',
    'agreements',
    'agreement',
    'deliveries',
    'findings',
  ] as const);
  if (area === 'deliveries') return sharingDeliveriesCommand(rest);
  if (area === 'findings') return sharingFindings(rest);
  if (area === 'agencies') return agencies(rest);
  if (area === 'agency') return addAgency(rest);
  if (area === 'agreements') return agreements(rest);
  const [given, ...options] = rest;
  const sub = subCommand(given, ['draft', 'approve', 'reject', 'suspend', 'resume', 'revoke'] as const);
  return sub === 'draft' ? draft(options) : decide(sub, options);
}

async function agencies(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean', default: false } });
  return withContext(async (ctx) => {
    for (const a of await listAgencies(ctx.db))
      process.stdout.write(values.json ? JSON.stringify(a) + '\n' : `${a.code}\t${a.name}\t${a.contact}\n`);
    return 0;
  });
}

async function addAgency(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { name: { type: 'string' }, contact: { type: 'string' } },
    true,
  );
  const [sub, code, ...extra] = positionals;
  if (sub !== 'add' || !code || extra.length > 0) throw new UsageError(usage);
  const name = required(values.name, 'name');
  const contact = required(values.contact, 'contact');
  return withContext(async (ctx) => {
    const result = await createAgency(ctx.db, { code, name, contact }, 'system');
    if (!result.ok) {
      process.stderr.write(`clearway sharing agency add: ${result.error.message}\n`);
      return 1;
    }
    process.stdout.write(`added agency ${result.value.code} (${result.value.name})\n`);
    return 0;
  });
}

const line = (a: ReturnType<typeof presentAgreement>) =>
  `${a.id}\t${a.agency}\t${a.status}\t${a.inForce ? 'in force' : 'not in force'}\t${a.level}\t${a.delivery}\t${a.validFrom}..${a.validTo}\t${a.purpose}\t${a.termsDigest}`;

async function agreements(args: string[]): Promise<number> {
  const { values } = parse(args, {
    agency: { type: 'string' },
    status: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const status = values.status;
  if (status !== undefined && !(agreementStatuses as readonly string[]).includes(status))
    throw new UsageError(`--status must be one of ${agreementStatuses.join(', ')}, got "${status}"`);
  return withContext(async (ctx) => {
    const rows = await listAgreements(ctx.db, operator, {
      ...(values.agency ? { agency: values.agency } : {}),
      ...(status ? { status: status as AgreementStatus } : {}),
    });
    for (const a of rows) {
      const shown = presentAgreement(a, null, ctx.catalog, today());
      process.stdout.write(values.json ? JSON.stringify(shown) + '\n' : line(shown) + '\n');
    }
    return 0;
  });
}

/** The acting user, if it is an enabled user of one of `roles`; else the refusal. */
async function actingUser(
  ctx: AppContext,
  username: string,
  roles: readonly Role[],
): Promise<Actor | string> {
  const user = await findUserByName(ctx.db, username);
  const [row] = await ctx.db.query<{ disabled: boolean }>('SELECT disabled FROM users WHERE username = $1', [
    username,
  ]);
  if (!user || !row) return `no user ${username}`;
  if (!roles.includes(user.role) || row.disabled)
    return `${username} is not an active ${roles.map((r) => r.replace('_', ' ')).join(' or ')}`;
  return user;
}

const checkBody = new Ajv({ strict: false, allErrors: false }).compile(AgreementBody);

async function draft(args: string[]): Promise<number> {
  const { values } = parse(args, { file: { type: 'string' }, as: { type: 'string' } });
  const file = await readableFile(required(values.file, 'file'), 'agreement file');
  const by = required(values.as, 'as');
  let body: unknown;
  try {
    body = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!checkBody(body)) {
    const [first] = checkBody.errors ?? [];
    throw new UsageError(
      `${file}: ${first?.instancePath || 'the agreement'} ${first?.message ?? 'is not an agreement'}`,
    );
  }
  const b = body as AgreementBody;
  return withContext(async (ctx) => {
    const actor = await actingUser(ctx, by, [Role.Administrator]);
    if (typeof actor === 'string') return refuse('agreement draft', actor);
    const result = await draftAgreement(
      ctx.db,
      {
        ...b,
        filters: { hsPrefixes: [], procedures: [], offices: [], declarationTypes: [], ...b.filters },
        webhookUrl: b.webhookUrl ?? null,
      },
      actor.username,
      {
        catalog: ctx.catalog,
        reference: ctx.reference,
        procedures: await loadProcedureSet(ctx.config.referenceDir),
        policy: exchangePolicy(ctx.config),
        today: today(),
      },
    );
    if (!result.ok)
      return refuse(
        'agreement draft',
        `${'field' in result.error ? `${result.error.field}: ` : ''}${result.error.message}`,
      );
    process.stdout.write(
      `drafted agreement ${result.value.id} for ${result.value.agency}: a draft until another administrator or supervisor approves it (clearway sharing agreement approve ${result.value.id} --as USERNAME)\n`,
    );
    return 0;
  });
}

async function decide(decision: Decision, args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { reason: { type: 'string' }, as: { type: 'string' }, digest: { type: 'string' } },
    true,
  );
  const [given, ...extra] = positionals;
  if (!given || extra.length > 0) throw new UsageError(usage);
  const id = parseInteger(given, 1, idMax);
  if (id === null) throw new UsageError(`the agreement id is a whole number, got "${given.slice(0, 20)}"`);
  const by = required(values.as, 'as');
  const digest = approvalDigest(decision, values.digest);
  return withContext(async (ctx) => {
    const actor = await actingUser(ctx, by, [Role.Administrator, Role.Supervisor]);
    if (typeof actor === 'string') return refuse(`agreement ${decision}`, actor);
    const result = await decideAgreement(ctx.db, id, decision, actor, {
      reason: values.reason ?? null,
      ...(digest ? { termsDigest: digest } : {}),
    });
    if (!result.ok) return refuse(`agreement ${decision}`, result.error.message);
    const a: StoredAgreement = result.value;
    process.stdout.write(`agreement ${a.id}\t${a.status}${a.reason ? `\t${a.reason}` : ''}\n`);
    return 0;
  });
}

/** The digest of the terms an approval names (only an approval takes one, and it must). */
function approvalDigest(decision: Decision, given: string | undefined): string | undefined {
  const what =
    "the termsDigest of the agreement reviewed, 64 hex digits (the last column of 'clearway sharing agreements')";
  if (decision !== 'approve') {
    if (given !== undefined) throw new UsageError('--digest names the terms approved; only approve takes it');
    return undefined;
  }
  if (given === undefined || given === '') throw new UsageError(`--digest is required: ${what}`);
  if (!new RegExp(termsDigestPattern).test(given))
    throw new UsageError(`--digest is ${what}; got "${given.slice(0, 70)}"`);
  return given;
}

function refuse(what: string, message: string): number {
  process.stderr.write(`clearway sharing ${what}: ${message}\n`);
  return 1;
}
