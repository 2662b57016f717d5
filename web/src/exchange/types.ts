/**
 * The exchange API's shapes, taken from the server's TypeBox schemas (src/exchange/schema.ts): one
 * definition, checked by both compilers; only the types cross over, nothing of the server's code.
 */
import type { Static } from 'typebox';
import type {
  OutboxMessage as OutboxSchema,
  OutboxState as OutboxStateSchema,
  Partner as PartnerSchema,
  PartnerTermsBody,
  Proposal as ProposalSchema,
  ReceivedMessage as ReceivedSchema,
} from '../../../src/exchange/schema.ts';

export type Partner = Static<typeof PartnerSchema>;
export type Proposal = Static<typeof ProposalSchema>;
export type PartnerTerms = Static<typeof PartnerTermsBody>;
export type OutboxMessage = Static<typeof OutboxSchema>;
export type OutboxState = Static<typeof OutboxStateSchema>;
export type ReceivedMessage = Static<typeof ReceivedSchema>;

export interface Partners {
  partners: Partner[];
  proposals: Proposal[];
  allowed: string[];
}

/** GET /api/exchange/public-key */
export interface PublicKey {
  administration: string | null;
  algorithm: 'EdDSA';
  keyId: string;
  publicKey: string;
}

export const outboxStates: readonly OutboxState[] = ['pending', 'sending', 'acknowledged', 'failed'];
