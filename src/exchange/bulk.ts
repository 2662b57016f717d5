/**
 * Declarations stored in bulk (`clearway import`, uploads: declarations/bulk-store.ts) are told to
 * exchange in the transaction that stores each batch, as a lodged one is in the transaction that
 * accepts it (exchange.ts):
 * - an import is matched to the partners' export records waiting for it (matchImports, then
 *   matchImport for each import a waiting record names), before its batch assessment;
 * - an export bound for a partner is queued in the outbox when the partner receives exports and is
 *   in force today, the declaration is dated within the agreement (from its valid_from, up to its
 *   valid_to) and it carries no historical control result. A file of past declarations (before the
 *   agreement, or already controlled) sends nothing (ADR 0023).
 * Without any partner nothing is read; the partner list is the cached one lodging reads.
 */
import type { StoredHook, StoredRow } from '../declarations/bulk-store.ts';
import { DeclarationType } from '../declarations/model.ts';
import { declarationsRepository as repo } from '../declarations/repository.ts';
import { matchImports } from './matching.ts';
import type { MirrorSettings } from './mirror.ts';
import { queueExport, receivingExports } from './outbox.ts';
import type { Partner, PartnerCache } from './partners.ts';

/** Whether an export stored in bulk is sent to `partner`: dated within its agreement, not historical. */
export function sentInBulk(partner: Partner, row: StoredRow['row']): boolean {
  return (
    row.control === undefined &&
    partner.validFrom <= row.date &&
    (partner.validTo === null || row.date <= partner.validTo)
  );
}

export function bulkHook(
  partners: PartnerCache,
  mirror: MirrorSettings,
  administration: string | undefined,
  today: () => string,
): StoredHook {
  return {
    async stored(tx, stored, actor) {
      const list = await partners.current(tx);
      if (list.length === 0) return;
      const day = today();
      const exports = stored.flatMap(({ id, row }) => {
        if (row.type !== DeclarationType.Export) return [];
        const partner = receivingExports(list, row.destination, day);
        return partner && sentInBulk(partner, row) ? [{ id, receiver: partner.code }] : [];
      });
      if (exports.length > 0) {
        const inputs = await repo.findInputs(
          tx,
          exports.map((e) => e.id),
        );
        for (const e of exports) {
          const input = inputs.get(e.id);
          if (input) await queueExport(tx, e.receiver, e.id, input);
        }
      }
      // without an identity no partner can have sent a record
      if (administration === undefined) return;
      const imports = stored.flatMap(({ id, row }) =>
        row.type === DeclarationType.Import
          ? [{ id, trader: row.trader, ucr: row.ucr, transportDocument: row.transportDocument }]
          : [],
      );
      await matchImports(tx, imports, mirror, actor, (ids) => repo.findInputs(tx, ids));
    },
  };
}
