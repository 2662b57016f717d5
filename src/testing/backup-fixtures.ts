/**
 * Support for backup and restore tests: a source database filled with a little of everything (declarations with items, events, control results
 * and assessments, users and tokens, a session, an active model, a rule profile, an attached document
 * with its bytes, the ledger).
 */
import { PassThrough } from 'node:stream';
import type { AppContext } from '../app-context.ts';
import { importDeclarations } from '../declarations/importer.ts';
import { writeDemoCsv } from '../demo/clearway-csv-writer.ts';
import { attachDocument } from '../documents/service.ts';
import { createSession } from '../governance/users.ts';
import { Role } from '../governance/roles.ts';
import { profilesRepository } from '../risk/profiles/repository.ts';
import { activateModel } from '../risk/registry.ts';
import { trainOnControls } from '../risk/retrain.ts';
import { createRoleUsers } from './harness.ts';

/** Fills a database through the product's own paths; returns how many declarations were accepted. */
export async function fillSampleData(ctx: AppContext, itemRows: number): Promise<{ declarations: number }> {
  const csv = new PassThrough();
  const written = writeDemoCsv({ count: itemRows, seed: 11, from: '2026-01-05', to: '2026-06-30' }, csv).then(
    () => csv.end(),
    (error: unknown) => csv.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  const summary = await importDeclarations(ctx.db, ctx.validation(), csv, {
    format: 'clearway',
    actor: 'test',
  });
  await written;
  await ctx.refreshPrices();
  const trained = await trainOnControls(ctx.db, 'risk-analyst');
  if (!trained.ok) throw new Error(`too few controls to train on: ${trained.controls}`);
  await activateModel(ctx.db, trained.registered.id, 'risk-analyst');
  await profilesRepository.create(
    ctx.db,
    {
      code: 'PHONES-CN',
      name: 'Phones from China',
      lane: 'yellow',
      weight: 40,
      reason: 'phones from China are often undervalued',
      validFrom: '2026-01-01',
      conditions: [{ field: 'item.hsCode', op: 'prefix', value: ['8517'] }],
    },
    'risk-analyst',
  );
  ctx.risk.invalidate();
  await ctx.risk.assessPending('selectivity');
  await createRoleUsers(ctx);
  const [officer] = await ctx.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'officer'`);
  if (officer) await createSession(ctx.db, officer.id, 12);
  await attachInvoice(ctx);
  return { declarations: summary.accepted };
}

/** A PNG invoice scan attached by the trader of the first declaration: bytes of every value, some no text holds. */
async function attachInvoice(ctx: AppContext): Promise<void> {
  const [first] = await ctx.db.query<{ id: number; trader: string }>(
    'SELECT id, trader_id AS trader FROM declarations ORDER BY id LIMIT 1',
  );
  if (!first) throw new Error('no declaration to attach a document to');
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const content = Buffer.concat([signature, Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256))]);
  const actor = { userId: 0, username: 'trader', role: Role.Trader, partyId: first.trader, offices: [] };
  const attached = await attachDocument(ctx.db, actor, {
    declarationId: first.id,
    kind: 'invoice',
    filename: 'invoice-scan.png',
    declaredType: 'image/png',
    content,
  });
  if (!attached.ok) throw new Error(attached.error.message);
}
