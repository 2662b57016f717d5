/**
 * This installation's identity in exchanges: its administration code (CLEARWAY_ADMINISTRATION) and
 * its Ed25519 exchange key, kept like the ledger's key (a PEM file outside the repository, created on
 * first use, readable by its owner only). Partners fetch the public half at GET /api/exchange/public-key.
 */
import type { Config } from '../config.ts';
import { loadOrCreateSigner, type LedgerSigner } from '../governance/ledger/signing.ts';

export interface ExchangeIdentity {
  /** Undefined when this installation exchanges nothing. */
  administration: string | undefined;
  signer(): Promise<LedgerSigner>;
}

export function exchangeIdentity(config: Config): ExchangeIdentity {
  let signer: Promise<LedgerSigner> | undefined;
  return {
    administration: config.administration,
    signer: () =>
      (signer ??= loadOrCreateSigner(config.exchangeKeyFile).catch((error: unknown) => {
        signer = undefined; // a key file fixed meanwhile is read at the next call
        throw error;
      })),
  };
}
