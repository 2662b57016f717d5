/**
 * The declaration, after the WCO Data Model goods declaration: a header and its goods items.
 * These are domain values; external field names (KCS columns, XML tags) never reach this file.
 */
import type { Brand } from '../shared/brand.ts';

export type DeclarationId = Brand<number, 'DeclarationId'>;
export type TraderId = Brand<string, 'TraderId'>;

export const DeclarationType = { Import: 'IM', Export: 'EX' } as const;
export type DeclarationType = (typeof DeclarationType)[keyof typeof DeclarationType];

export const Status = {
  Accepted: 'accepted',
  Amended: 'amended',
  Controlled: 'controlled',
  Cancelled: 'cancelled',
  /** The goods may go: checks done and duty paid or guaranteed (final). */
  Released: 'released',
  /** An officer holds the goods, giving a reason: released, seized or refused later. */
  Detained: 'detained',
  /** The goods were seized (final). */
  Seized: 'seized',
  /** Release was refused (final). */
  Refused: 'refused',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** A goods item (WCO DM GovernmentAgencyGoodsItem). Quantities are in kilograms and in the header currency. */
export interface GoodsItem {
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
  /** National indicator on how origin was established (e.g. preferential certificate). */
  originIndicator?: string;
}

/** The declaration as lodged: every field the trader supplies. */
export interface DeclarationInput {
  type: DeclarationType;
  functionalReference: string;
  /** Declaration (issue) date, YYYY-MM-DD: the date whose code lists apply. */
  date: string;
  office: string;
  declarant: string;
  /** Importer for IM, exporter for EX: the trader the declaration belongs to. */
  trader: string;
  seller?: string;
  buyer?: string;
  courier?: string;
  transportMode?: string;
  dispatchCountry?: string;
  originCountry?: string;
  currency: string;
  invoiceTotal?: number;
  /** Requested customs procedure (e.g. CPC "4000", or a national import type). */
  procedure?: string;
  additionalProcedure?: string;
  paymentMethod?: string;
  processingMode?: string;
  /** Unique Consignment Reference (WCO UCR, ISO 15459), shared by export and import of one consignment. */
  ucr?: string;
  /** Transport document number: bill of lading, air waybill or road/rail consignment note. */
  transportDocument?: string;
  /** Type of the transport document (e.g. N705 bill of lading, N740 air waybill). */
  transportDocumentType?: string;
  /** Exporter identifier: the foreign exporter on IM declarations; on EX declarations the trader is the exporter. */
  exporter?: string;
  /** Country of destination, ISO 3166 alpha-2. */
  destinationCountry?: string;
  /** Delivery terms, Incoterms code (e.g. FOB, CIF). */
  incoterm?: string;
  items: GoodsItem[];
}

export const Severity = { Error: 'error', Warning: 'warning' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export const Layer = {
  Existence: 'existence',
  Format: 'format',
  Reference: 'reference',
  Consistency: 'consistency',
  Plausibility: 'plausibility',
} as const;
export type Layer = (typeof Layer)[keyof typeof Layer];

/** One validation finding, addressed by field path (e.g. `items[3].hsCode`). */
export interface Finding {
  path: string;
  code: string;
  message: string;
  severity: Severity;
  layer: Layer;
  wcoId?: string;
  /** Where an XML submission carried the field: element path, line and column (from 1). */
  xmlPath?: string;
  line?: number;
  column?: number;
}

export interface Declaration extends DeclarationInput {
  id: DeclarationId;
  status: Status;
  version: number;
  lodgedAt: string;
  findings: Finding[];
  /** The control lane risk assessment chose; absent until it was assessed. */
  lane?: 'red' | 'yellow' | 'blue' | 'green';
  /** The officer working on it (staff only). */
  assignedTo?: string;
}
