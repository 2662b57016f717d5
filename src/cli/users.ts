/** `clearway users ...` and `clearway tokens ...`: administration from the command line. */
import { randomBytes } from 'node:crypto';
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { createApiToken, createUser, findUserByName, listUsers } from '../governance/users.ts';
import { parse, positiveInt, required, UsageError } from './usage.ts';

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
          `${u.username}\t${u.role}\t${u.partyId ?? '-'}\t${u.office ?? '-'}${u.disabled ? '\tdisabled' : ''}\n`,
        );
      }
      return 0;
    } finally {
      await ctx.close();
    }
  }
  if (sub !== 'create') throw new UsageError('usage: clearway users create|list ...');
  const { values } = parse(rest, {
    username: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    party: { type: 'string' },
    trader: { type: 'string' },
    office: { type: 'string' },
    represents: { type: 'string' },
    'password-stdin': { type: 'boolean', default: false },
  });
  const generated = !values['password-stdin'];
  const password = generated ? randomBytes(12).toString('base64url') : await readStdin();
  const ctx = await openAppContext(loadConfig());
  try {
    const result = await ctx.db.transaction((tx) =>
      createUser(tx, {
        username: required(values.username, 'username'),
        role: required(values.role, 'role'),
        password,
        displayName: values.name,
        partyId: values.party ?? values.trader,
        office: values.office,
        represents: values.represents
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      }),
    );
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

export async function tokensCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create')
    throw new UsageError('usage: clearway tokens create --user NAME [--name LABEL] [--days N]');
  const { values } = parse(rest, {
    user: { type: 'string' },
    name: { type: 'string' },
    days: { type: 'string' },
  });
  const username = required(values.user, 'user');
  const days = values.days === undefined ? undefined : positiveInt(values.days, 'days');
  const ctx = await openAppContext(loadConfig());
  try {
    const user = await findUserByName(ctx.db, username);
    if (!user) {
      process.stderr.write(`clearway tokens create: no user named ${username}\n`);
      return 1;
    }
    process.stdout.write((await createApiToken(ctx.db, user.userId, values.name ?? 'cli', days)) + '\n');
    return 0;
  } finally {
    await ctx.close();
  }
}
