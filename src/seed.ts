/**
 * First start: an administrator and one demo user per role (credentials printed once, or taken from
 * CLEARWAY_ADMIN_PASSWORD / CLEARWAY_DEMO_PASSWORD), then a generated demo dataset, a risk model
 * trained on its control history and activated, every demo declaration risk-assessed, and its
 * clearance simulated from lodging to release (demo/clearance-writer.ts).
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { AppContext } from './app-context.ts';
import { importDeclarations } from './declarations/importer.ts';
import { simulateStoredClearance } from './demo/clearance-writer.ts';
import { writeDemoCsv } from './demo/clearway-csv-writer.ts';
import { seededDemoOptions } from './demo/generate.ts';
import { Role, type Role as RoleType } from './governance/roles.ts';
import { createUser } from './governance/users.ts';
import { activateModel } from './risk/registry.ts';
import { trainOnControls } from './risk/retrain.ts';

export interface SeededUser {
  username: string;
  role: RoleType;
  password: string;
}

async function claim(ctx: AppContext, key: string): Promise<boolean> {
  const rows = await ctx.db.query(
    "INSERT INTO system_state (key, value) VALUES ($1, 'true') ON CONFLICT DO NOTHING RETURNING key",
    [key],
  );
  return rows.length > 0;
}

/** Creates the administrator and demo users once; returns who was created, with passwords. */
export async function seedUsers(
  ctx: AppContext,
  traderId: string,
  declarantId: string,
  office: string,
): Promise<SeededUser[]> {
  if (!(await claim(ctx, 'users_seeded'))) return [];
  const password = (given: string | undefined) => given ?? randomBytes(9).toString('base64url');
  const demoPassword = ctx.config.demoPassword;
  const plan: (SeededUser & { partyId?: string; offices?: string[]; represents?: string[] })[] = [
    { username: 'admin', role: Role.Administrator, password: password(ctx.config.adminPassword) },
  ];
  if (ctx.config.seedDemo) {
    const demo = (
      username: string,
      role: RoleType,
      extra: { partyId?: string; offices?: string[]; represents?: string[] } = {},
    ) => plan.push({ username, role, password: password(demoPassword), ...extra });
    demo('trader', Role.Trader, { partyId: traderId });
    demo('declarant', Role.Declarant, { partyId: declarantId, represents: [traderId] });
    demo('officer', Role.Officer, { offices: [office] });
    demo('supervisor', Role.Supervisor, { offices: [office] });
    demo('analyst', Role.RiskAnalyst);
    demo('agency', Role.PartnerAgency);
    demo('auditor', Role.Auditor);
  }
  await ctx.db.transaction(async (tx) => {
    for (const u of plan) {
      const result = await createUser(tx, { ...u, displayName: u.username });
      if (!result.ok) throw new Error(`cannot create ${u.username}: ${result.error.message}`);
    }
  });
  return plan.map(({ username, role, password: p }) => ({ username, role, password: p }));
}

/** Red or yellow declarations per office that the demo leaves for its officers to control. */
const demoWorkPerOffice = 8;

/** Generates and imports the demo dataset once; returns how many declarations were accepted. */
export async function seedDemoData(
  ctx: AppContext,
): Promise<{ accepted: number; trader: string; declarant: string; office: string } | null> {
  if (!ctx.config.seedDemo || ctx.config.demoCount === 0 || !(await claim(ctx, 'demo_seeded'))) return null;
  const to = new Date().toISOString().slice(0, 10);
  const csv = new PassThrough();
  const written = writeDemoCsv(seededDemoOptions(ctx.config.demoCount, to), csv).then(
    () => csv.end(),
    (error: unknown) => csv.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  const summary = await importDeclarations(ctx.db, ctx.validation(), csv, {
    format: 'clearway',
    actor: 'demo',
  });
  await written;
  await ctx.refreshPrices();
  const trained = await trainOnControls(ctx.db, 'demo');
  if (trained.ok) await activateModel(ctx.db, trained.registered.id, 'demo');
  ctx.risk.invalidate();
  await ctx.risk.assessPending('selectivity');
  // their stages to release, simulated on their own days; the last days' still in progress, and
  // each office's latest controls left for its officers, so a demo officer's worklist holds work
  await simulateStoredClearance(ctx.db, {
    seed: 1,
    until: new Date(),
    lodgedBy: 'demo',
    actor: 'demo',
    awaitingOfficers: demoWorkPerOffice,
  });
  // the demo users act for the busiest trader, broker and office, so their lists are full
  const [busiest] = await ctx.db.query<{ trader_id: string; declarant_id: string }>(
    'SELECT trader_id, declarant_id FROM declarations GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1',
  );
  const [office] = await ctx.db.query<{ office: string }>(
    'SELECT office FROM declarations GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1',
  );
  return {
    accepted: summary.accepted,
    trader: busiest?.trader_id ?? 'DEMO-TRADER',
    declarant: busiest?.declarant_id ?? 'DEMO-BROKER',
    office: office?.office ?? '030',
  };
}
