/** What the ledger API sends (src/governance/ledger/): entries, verification reports, checkpoints. */

export const subjectKinds = [
  'declaration',
  'declarations',
  'profile',
  'model',
  'user',
  'price_reference',
  'reference_data',
  'retention_policy',
  'archive',
  'exchange_partner',
  'exchange_message',
  'monitoring_run',
  'monitoring_alert',
  'open_release',
  'sharing_delivery',
] as const;

export interface LedgerEntry {
  seq: number;
  /** ISO 8601 with milliseconds, as written. */
  at: string;
  actor: string;
  action: string;
  subjectKind: string;
  subjectId: string | null;
  data: unknown;
  prevHash: string;
  hash: string;
}

export type VerifyReport =
  | {
      ok: true;
      checked: number;
      lastSeq: number;
      checkpoints: number;
      signedHead: { seq: number; signedAt: string } | null;
      unsigned: number;
      copy: { dir: string; checkpoints: number; headSeq: number | null } | null;
    }
  | { ok: false; checked: number; firstBad: { seq: number; problem: string; message: string } };

export interface Checkpoint {
  id: number;
  fromSeq: number;
  toSeq: number;
  lastHash: string;
  merkleRoot: string;
  signedAt: string;
  prevCheckpoint: string | null;
  keyId: string;
  signature: string;
}
