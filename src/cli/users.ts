/** `clearway users ...` and `clearway tokens ...`: administration from the command line. */
import { randomBytes } from 'node:crypto';
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { setUserDisabled } from '../governance/account-status.ts';
import { changeUser } from '../governance/user-changes.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../governance/tokens.ts';
import { createUser, findUserByName, listUsers, validateNewUser } from '../governance/users.ts';
import { userOfficesCommand } from './offices.ts';
import { parse, required, UsageError } from './usage.ts';
import { idMax, parseInteger } from '../shared/integer.ts';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

export async function usersCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    parse(rest, {});
    const ctx = await openAppContext(loadConfig());
    try {
      for (const u of await listUsers(ctx.db)) {
        process.stdout.write(
          `${u.username}\t${u.role}\t${u.partyId ?? '-'}\t${u.offices.join(',') || '-'}${u.disabled ? '\tdisabled' : ''}\n`,
        );
      }
      return 0;
    } finally {
      await ctx.close();
    }
  }
  if (sub === 'disable' || sub === 'enable') return setDisabled(sub, rest);
  if (sub === 'offices') return userOfficesCommand(rest);
  if (sub === 'change') return changeCommand(rest);
  if (sub !== 'create')
    throw new UsageError('usage: clearway users create|list|change|disable|enable|offices ...');
  const { values } = parse(rest, {
    username: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    party: { type: 'string' },
    trader: { type: 'string' },
    office: { type: 'string', multiple: true },
    represents: { type: 'string' },
    'password-stdin': { type: 'boolean', default: false },
  });
  const username = required(values.username, 'username');
  const role = required(values.role, 'role');
  const generated = !values['password-stdin'];
  const password = generated ? randomBytes(12).toString('base64url') : await readStdin();
  const user = {
    username,
    role,
    password,
    displayName: values.name,
    partyId: values.party ?? values.trader,
    offices: values.office
      ?.flatMap((o) => o.split(','))
      .map((o) => o.trim())
      .filter(Boolean),
    represents: values.represents
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
  // every mistake in the options is found before the database is opened
  const problem = validateNewUser(user);
  if (problem) throw new UsageError(problem);
  const ctx = await openAppContext(loadConfig());
  try {
    const result = await ctx.db.transaction((tx) => createUser(tx, user));
    if (!result.ok) {
      process.stderr.write(`clearway users create: ${result.error.message}\n`);
      return 1;
    }
    process.stdout.write(
      `created ${result.value.username} (${result.value.role})${generated ? `; password: ${password}` : ''}\n`,
    );
    return 0;
  } finally {
    await ctx.close();
  }
}

const list = (text: string | undefined) =>
  text
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const changeUsage =
  'usage: clearway users change USERNAME [--role ROLE] [--party ID] [--office CODE]... [--represents ID,ID]';

/**
 * `users change NAME ...`: a new role, party, offices or represented traders (the options given
 * replace what the user had). A change of role or party ends its sessions and revokes its tokens.
 */
async function changeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      role: { type: 'string' },
      party: { type: 'string' },
      office: { type: 'string', multiple: true },
      represents: { type: 'string' },
    },
    true,
  );
  const [username, ...extra] = positionals;
  if (!username || extra.length > 0) throw new UsageError(changeUsage);
  const change = {
    role: values.role,
    partyId: values.party,
    offices: values.office?.flatMap((o) => list(o) ?? []),
    represents: list(values.represents),
  };
  if (Object.values(change).every((v) => v === undefined))
    throw new UsageError('nothing to change: give --role, --party, --office or --represents');
  const ctx = await openAppContext(loadConfig());
  try {
    const result = await changeUser(ctx.db, username, change, 'system');
    if (!result.ok) {
      process.stderr.write(`clearway users change: ${result.error.message}\n`);
      return 1;
    }
    const { user, sessionsEnded, tokensRevoked } = result.value;
    const what = [
      user.role,
      user.partyId && `party ${user.partyId}`,
      user.offices.length > 0 && `offices ${user.offices.join(', ')}`,
      user.represents.length > 0 && `represents ${user.represents.join(', ')}`,
    ].filter(Boolean);
    const ended =
      sessionsEnded + tokensRevoked > 0
        ? `; ${sessionsEnded} sessions ended, ${tokensRevoked} tokens revoked`
        : '';
    process.stdout.write(`${username} is now ${what.join(', ')}${ended}\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}

/** `users disable|enable NAME`: disabling ends the user's sessions and revokes its tokens at once. */
async function setDisabled(sub: 'disable' | 'enable', args: string[]): Promise<number> {
  const { positionals } = parse(args, {}, true);
  const [username, ...extra] = positionals;
  if (!username || extra.length > 0) throw new UsageError(`usage: clearway users ${sub} USERNAME`);
  const ctx = await openAppContext(loadConfig());
  try {
    const result = await setUserDisabled(ctx.db, username, sub === 'disable', 'system');
    if (!result.ok) {
      process.stderr.write(`clearway users ${sub}: ${result.error.message}\n`);
      return 1;
    }
    const { sessionsEnded, tokensRevoked } = result.value;
    process.stdout.write(
      sub === 'disable'
        ? `disabled ${username}: ${sessionsEnded} sessions ended, ${tokensRevoked} tokens revoked\n`
        : `enabled ${username}\n`,
    );
    return 0;
  } finally {
    await ctx.close();
  }
}

function wholeNumber(text: string, name: string, max: number): number {
  const n = parseInteger(text, 1, max);
  if (n === null) throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got "${text}"`);
  return n;
}

const tokensUsage =
  'usage: clearway tokens create --user NAME [--name LABEL] [--days N] | list --user NAME [--json] | revoke --user NAME --id ID';

export async function tokensCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') throw new UsageError(tokensUsage);
  const { values } = parse(rest, {
    user: { type: 'string' },
    ...(sub === 'create' ? { name: { type: 'string' }, days: { type: 'string' } } : {}),
    ...(sub === 'list' ? { json: { type: 'boolean', default: false } } : {}),
    ...(sub === 'revoke' ? { id: { type: 'string' } } : {}),
  } as const);
  const username = required(values.user, 'user');
  const days = values.days === undefined ? undefined : wholeNumber(String(values.days), 'days', 3650);
  const id = sub === 'revoke' ? wholeNumber(required(values.id?.toString(), 'id'), 'id', idMax) : 0;
  const config = loadConfig();
  const ctx = await openAppContext(config);
  try {
    const user = await findUserByName(ctx.db, username);
    if (!user) {
      process.stderr.write(`clearway tokens ${sub}: no user named ${username}\n`);
      return 1;
    }
    if (sub === 'list') {
      const tokens = await listApiTokens(ctx.db, user.userId);
      for (const t of tokens)
        process.stdout.write(
          values.json
            ? JSON.stringify(t) + '\n'
            : `${t.id}\t${t.name}\t${t.status}\texpires ${t.expiresAt}\tmade by ${t.createdBy ?? '-'}\n`,
        );
      return 0;
    }
    const result =
      sub === 'revoke'
        ? await revokeApiToken(ctx.db, user, id, 'system')
        : await createApiToken(
            ctx.db,
            { owner: user, name: String(values.name ?? 'cli'), days, by: 'system' },
            config.tokenLifetime,
          );
    if (!result.ok) {
      process.stderr.write(`clearway tokens ${sub}: ${result.error.message}\n`);
      return 1;
    }
    process.stdout.write(
      'token' in result.value ? `${result.value.token}\n` : `revoked token ${id} of ${username}\n`,
    );
    return 0;
  } finally {
    await ctx.close();
  }
}
