/** A declaration and its history as the declarations API gives them (GET /api/declarations/:id, /events). */
import type { Factor } from '../factors.ts';
import type { PricePoint } from '../PriceAnomaly.tsx';

export interface Item {
  sequence: number;
  hsCode: string;
  description?: string;
  originCountry?: string;
  netMass?: number;
  grossMass?: number;
  supplementaryQuantity?: number;
  supplementaryUnit?: string;
  value: number;
  dutyTaxType?: string;
  dutyRate?: number;
  packageType?: string;
  packageCount?: number;
  originIndicator?: string;
}

export interface Finding {
  path: string;
  code: string;
  message: string;
  severity: string;
}

export interface Declaration {
  id: number;
  type: string;
  functionalReference: string;
  trader: string;
  declarant: string;
  seller?: string;
  buyer?: string;
  courier?: string;
  exporter?: string;
  ucr?: string;
  transportDocument?: string;
  transportDocumentType?: string;
  destinationCountry?: string;
  incoterm?: string;
  office: string;
  date: string;
  lodgedAt: string;
  status: string;
  lane?: string;
  transportMode?: string;
  dispatchCountry?: string;
  originCountry?: string;
  procedure?: string;
  additionalProcedure?: string;
  paymentMethod?: string;
  processingMode?: string;
  currency: string;
  invoiceTotal?: number;
  items: Item[];
  findings: Finding[];
  assignedTo?: string;
  allowed: string[];
}

export type Reason =
  | { kind: 'rule'; code: string; text: string; lane: string; weight: number }
  | { kind: 'factor'; feature: string; contribution: number }
  | { kind: 'anomaly'; detector: string; text: string; price?: PricePoint }
  | { kind: 'random' | 'capacity'; text: string }
  /** a gap of mirror analysis beyond its threshold: a partner's export record against this import */
  | { kind: 'mirror'; partner: string; gap: string; item: number | null; text: string };

/** How the model's score adds up, in log-odds, with its largest factors. */
export interface Explanation {
  base: number;
  factors: Factor[];
  others: number;
  otherCount: number;
  total: number;
  probability: number;
}

export interface Assessment {
  assessedAt: string;
  score: number;
  critical: number | null;
  lane: string;
  random: boolean;
  reasons: Reason[];
  explanation: Explanation | null;
  versions: Record<string, string>;
  thresholds?: { red: number; yellow: number; blue: number };
}

export interface DeclarationEvent {
  seq: number;
  kind: string;
  at: string;
  actor: string;
  data: Record<string, unknown> | null;
}
