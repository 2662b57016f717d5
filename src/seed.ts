/**
 * First start: an administrator and one demo user per role (credentials printed once, or taken from
 * CLEARWAY_ADMIN_PASSWORD / CLEARWAY_DEMO_PASSWORD), then a generated demo dataset, a risk model
 * trained on its control history and activated, every demo declaration risk-assessed, and its
 * clearance simulated from lodging to release (demo/clearance-writer.ts), and a partner agency
 * (AGRI) with its user and one agreement in force, drafted by `admin` and approved by `supervisor`.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { AppContext } from './app-context.ts';
import { importDeclarations } from './declarations/importer.ts';
import { simulateStoredClearance } from './demo/clearance-writer.ts';
import { referenceTextsFor } from './classification/reference-texts.ts';
import { activateClassifier } from './classification/registry.ts';
import { trainFromDatabase } from './classification/train.ts';
import { writeDemoCsv } from './demo/clearway-csv-writer.ts';
import { seededDemoOptions } from './demo/generate.ts';
import { Role, type Role as RoleType } from './governance/roles.ts';
import { createUser, findUserByName } from './governance/users.ts';
import { exchangePolicy } from './exchange/endpoint.ts';
import { createAgency } from './sharing/agencies.ts';
import { loadProcedureSet } from './sharing/agreement-terms.ts';
import { decideAgreement } from './sharing/agreement-decisions.ts';
import { termsDigest } from './sharing/terms-digest.ts';
import { draftAgreement } from './sharing/agreements.ts';
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
    demo('agency', Role.PartnerAgency, { partyId: demoAgency });
    demo('auditor', Role.Auditor);
  }
  if (ctx.config.seedDemo) {
    const agency = await createAgency(
      ctx.db,
      {
        code: demoAgency,
        name: 'Ministry of Agriculture',
        contact: 'Sanitary and phytosanitary controls, sps@agriculture.example',
      },
      'system',
    );
    if (!agency.ok) throw new Error(`cannot create agency ${demoAgency}: ${agency.error.message}`);
  }
  await ctx.db.transaction(async (tx) => {
    for (const u of plan) {
      const result = await createUser(tx, { ...u, displayName: u.username });
      if (!result.ok) throw new Error(`cannot create ${u.username}: ${result.error.message}`);
    }
  });
  if (ctx.config.seedDemo) await seedAgreement(ctx);
  return plan.map(({ username, role, password: p }) => ({ username, role, password: p }));
}

const demoAgency = 'AGRI';

/** The demo agency's agreement: drafted by `admin`, approved by `supervisor`, both on the ledger. */
async function seedAgreement(ctx: AppContext): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  const drafted = await draftAgreement(
    ctx.db,
    {
      agency: demoAgency,
      purpose: 'Sanitary and phytosanitary controls of imported animals, plants and food',
      legalBasis: 'Plant and Animal Health Act, data-sharing provisions',
      fields: [
        'date',
        'office',
        'trader',
        'originCountry',
        'dispatchCountry',
        'transportMode',
        'items[].hsCode',
        'items[].description',
        'items[].originCountry',
        'items[].netMass',
        'items[].packageType',
        'items[].packageCount',
      ],
      filters: {
        hsPrefixes: Array.from({ length: 24 }, (_, i) => String(i + 1).padStart(2, '0')),
        procedures: [],
        offices: [],
        declarationTypes: ['IM'],
      },
      level: 'pseudonymised',
      delivery: 'feed',
      webhookUrl: null,
      validFrom: `${year - 1}-01-01`,
      validTo: `${year + 2}-12-31`,
    },
    'admin',
    {
      catalog: ctx.catalog,
      reference: ctx.reference,
      procedures: await loadProcedureSet(ctx.config.referenceDir),
      policy: exchangePolicy(ctx.config),
      today,
    },
  );
  if (!drafted.ok) throw new Error(`cannot draft the demo agreement: ${drafted.error.message}`);
  const supervisor = await findUserByName(ctx.db, 'supervisor');
  if (!supervisor) throw new Error('the demo supervisor is missing');
  const approved = await decideAgreement(ctx.db, drafted.value.id, 'approve', supervisor, {
    termsDigest: termsDigest(drafted.value),
  });
  if (!approved.ok) throw new Error(`cannot approve the demo agreement: ${approved.error.message}`);
}

/**
 * Trains the classification aid once, from the HS and tariff texts and whatever descriptions are
 * stored (the demo's, when it was seeded first), and makes it the active version: every new
 * installation suggests codes from its first start. Returns the version's id, or null when one was
 * trained before; a failed training is tried again at the next start.
 */
export async function seedClassifier(ctx: AppContext): Promise<number | null> {
  if (!(await claim(ctx, 'classifier_seeded'))) return null;
  try {
    const trained = await trainFromDatabase(ctx.db, await referenceTextsFor(ctx.config), 'system');
    await activateClassifier(ctx.db, Number(trained.registered.id), 'system');
    return Number(trained.registered.id);
  } catch (error) {
    await ctx.db.query("DELETE FROM system_state WHERE key = 'classifier_seeded'");
    throw error;
  }
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
  // the classification aid learns the demo's descriptions first, so the risk model and the
  // assessment read how far each description agrees with its declared heading
  await seedClassifier(ctx);
  const trained = await trainOnControls(ctx.db, 'demo', await ctx.classification());
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
