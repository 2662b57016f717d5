/**
 * A ledger entry and its hash. The hash covers everything an entry says and the hash of the entry
 * before it, so changing, removing or reordering an entry breaks the chain (ADR 0009).
 */
import { hash } from 'node:crypto';

/** What kind of thing an entry is about. */
export const SubjectKind = {
  Declaration: 'declaration',
  Declarations: 'declarations',
  Profile: 'profile',
  Model: 'model',
  /** A version of the HS classification aid's model, registered or activated. */
  ClassificationModel: 'classification_model',
  User: 'user',
  PriceReference: 'price_reference',
  ReferenceData: 'reference_data',
  RetentionPolicy: 'retention_policy',
  Archive: 'archive',
  ExchangePartner: 'exchange_partner',
  ExchangeMessage: 'exchange_message',
  /** Partners' messages read together (the mirror statistics). */
  ExchangeMessages: 'exchange_messages',
  /** A trade-monitoring run, and an alert acknowledged, dismissed or drafted into a profile. */
  MonitoringRun: 'monitoring_run',
  MonitoringAlert: 'monitoring_alert',
  /** A release of public trade statistics: prepared, approved or rejected, published. */
  OpenRelease: 'open_release',
  /** A partner agency receiving data under sharing agreements, and an agreement drafted or decided on. */
  Agency: 'agency',
  Agreement: 'sharing_agreement',
  SharingDelivery: 'sharing_delivery',
  /** What a partner agency found on a declaration it received. */
  AgencyFinding: 'agency_finding',
  /** A commercial document attached to a declaration, read by an official, or its reading recorded. */
  Document: 'document',
} as const;
export type SubjectKind = (typeof SubjectKind)[keyof typeof SubjectKind];

/** A change (or an official read) to record: small facts about what happened, not whole documents. */
export interface LedgerRecord {
  actor: string;
  action: string;
  subjectKind: SubjectKind;
  subjectId: string | null;
  data: Record<string, unknown> | null;
}

/** An entry as stored: its data as the canonical JSON text that was hashed. */
export interface LedgerEntry extends Omit<LedgerRecord, 'data'> {
  data: string;
  seq: number;
  /** ISO 8601 with milliseconds, as written. */
  at: string;
  prevHash: string;
  hash: string;
}

/** The previous hash of the first entry. */
export const genesisHash = '0'.repeat(64);

/** JSON with object keys sorted at every level, so equal data always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (v !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * SHA-256 (hex) of `[seq,at,actor,action,subjectKind,subjectId,prevHash]` as JSON followed by
 * the canonical JSON of the data. The leading array is self-delimiting, so no two entries share
 * an encoding. Keeping the data as the very text hashed lets verification hash what it reads
 * without parsing it (a million entries in seconds).
 */
export function entryHash(e: Omit<LedgerEntry, 'hash'>): string {
  const head = JSON.stringify([e.seq, e.at, e.actor, e.action, e.subjectKind, e.subjectId, e.prevHash]);
  return hash('sha256', head + e.data, 'hex');
}
