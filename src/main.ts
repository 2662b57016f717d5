/** Starts the server from the configuration: database, first-start seeding, HTTP. */
import { openAppContext } from './app-context.ts';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { buildApp } from './http/app.ts';
import { seedClassifier, seedDemoData, seedUsers } from './seed.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  const ctx = await openAppContext(config);
  const demo = await seedDemoData(ctx);
  if (demo) process.stdout.write(`Seeded ${demo.accepted} demo declarations.\n`);
  const classifier = await seedClassifier(ctx);
  if (classifier !== null)
    process.stdout.write(`Trained and activated classification model ${classifier}.\n`);
  const users = await seedUsers(
    ctx,
    demo?.trader ?? 'DEMO-TRADER',
    demo?.declarant ?? 'DEMO-BROKER',
    demo?.office ?? '030',
  );
  if (users.length) {
    process.stdout.write('\nUsers created (passwords are shown only this once):\n');
    for (const u of users)
      process.stdout.write(`  ${u.username.padEnd(11)} ${u.role.padEnd(15)} ${u.password}\n`);
    process.stdout.write('\n');
  }
  const app = await buildApp(ctx);
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const where =
    ctx.db.kind === 'pglite'
      ? `embedded PostgreSQL in ${ctx.db.location}`
      : `PostgreSQL at ${ctx.db.location}`;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  process.stdout.write(
    `Clearway is ready in ${((Date.now() - started) / 1000).toFixed(1)} s on ${where}.\n  API docs: ${url}/api/docs\n  Health:   ${url}/health\n`,
  );
  const exposed = ledgerSecretsBesideTheDatabase(config);
  if (exposed.length)
    process.stdout.write(
      `  Note: ${exposed.join(' and ')} ${exposed.length > 1 ? 'are' : 'is'} in the embedded database's folder, where whoever can write the database can reach ${exposed.length > 1 ? 'them' : 'it'}: for a ledger that resists them, set CLEARWAY_LEDGER_KEY_FILE and CLEARWAY_LEDGER_COPY_DIR to storage they cannot reach (ADR 0012).\n`,
    );
}

/** The ledger's key and copy folder that sit inside the embedded database's folder. */
function ledgerSecretsBesideTheDatabase(config: Config): string[] {
  if (config.databaseUrl) return [];
  const inside = (p: string) => !path.relative(config.dataDir, p).startsWith('..');
  return [
    ...(inside(config.ledgerKeyFile) ? ['the ledger key'] : []),
    ...(inside(config.ledgerCopyDir) ? ['the ledger copy folder'] : []),
  ];
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    (error instanceof Error && /reference file|in use by process|ECONNREFUSED/.test(error.message))
  ) {
    process.stderr.write(`clearway: ${error.message}\n`);
  } else {
    process.stderr.write(
      `clearway: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
