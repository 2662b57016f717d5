/**
 * What a server needs to exchange with partner administrations: its identity, the partner list and
 * lodging's hook (an accepted export is queued for its partner; an accepted import is matched to
 * the partners' export records waiting for it; an amended import is matched again), and bulk
 * storage's (bulk.ts).
 */
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { exchangeIdentity, type ExchangeIdentity } from './identity.ts';
import { exportHook, type ExportHook } from './outbox.ts';
import { partnerCache, type PartnerCache } from './partners.ts';
import { DeclarationType } from '../declarations/model.ts';
import { matchAmended, matchImport } from './matching.ts';
import type { AcceptedHook } from '../declarations/service.ts';
import type { MirrorSettings } from './mirror.ts';
import type { StoredHook } from '../declarations/bulk-store.ts';
import { bulkHook } from './bulk.ts';

export interface Exchange {
  identity: ExchangeIdentity;
  partners: PartnerCache;
  hook: ExportHook & Required<Pick<AcceptedHook, 'amended'>>;
  /** Bulk storage's hook: exports queued and imports matched in each batch's transaction (bulk.ts). */
  bulk: StoredHook;
  /** The matching window and thresholds of mirror analysis. */
  mirror: MirrorSettings;
}

export function openExchange(config: Config, db: Database, today: () => string): Exchange {
  const partners = partnerCache(db);
  const exports = exportHook(partners, today);
  const hook: Exchange['hook'] = {
    async accepted(tx, id, declaration, actor) {
      await exports.accepted(tx, id, declaration, actor);
      // an import takes the partners' export records waiting for it, before it is assessed; without
      // an identity or any partner, no record can have come
      if (declaration.type !== DeclarationType.Import || config.administration === undefined) return;
      if ((await partners.current(tx)).length === 0) return;
      await matchImport(tx, id, declaration, config.mirror, actor ?? 'matching');
    },
    async amended(tx, id, declaration, actor) {
      // its matches are kept and computed again against the amended import, even without partners now
      if (declaration.type !== DeclarationType.Import) return;
      await matchAmended(tx, id, declaration, config.mirror, actor ?? 'matching');
    },
  };
  const bulk = bulkHook(partners, config.mirror, config.administration, today);
  return { identity: exchangeIdentity(config), partners, hook, bulk, mirror: config.mirror };
}
