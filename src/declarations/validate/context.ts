/** What validation needs besides the declaration: code lists, offices, the dictionary, price statistics, today. */
import type { OfficeList } from '../../reference/offices.ts';
import type { ReferenceData } from '../../reference/reference-data.ts';
import type { DeclarationInput, Finding, GoodsItem, Layer, Severity } from '../model.ts';
import type { DescriptionCodes } from '../description-codes.ts';
import type { UnitValueStats } from '../unit-values.ts';

/** A declaration as parsed at the edge, before validation: any field may be missing. */
export type DeclarationDraft = Partial<Omit<DeclarationInput, 'items' | 'type'>> & {
  type?: string;
  items?: Partial<GoodsItem>[];
};

export interface ValidationContext {
  reference: ReferenceData;
  /** The customs offices as administrators maintain them (the database's list, or the shipped file). */
  offices: OfficeList;
  wcoIdOf(path: string): string | undefined;
  unitValues: UnitValueStats;
  /** What goods descriptions point to (the classification aid); without it, descriptions are not compared with codes. */
  descriptionCodes?: DescriptionCodes;
  /** Today's date, YYYY-MM-DD: declarations dated far beyond it are refused. */
  today: string;
}

export type Report = (path: string, code: string, message: string, severity?: Severity) => void;

/** Collects findings, stamping each with the current layer and the field's WCO ID. */
export class Reporter {
  layer: Layer = 'existence';
  readonly report: Report;

  constructor(
    private readonly ctx: ValidationContext,
    readonly findings: Finding[],
  ) {
    this.report = (path, code, message, severity = 'error') => {
      const wcoId = this.ctx.wcoIdOf(path);
      const layer = this.layer;
      this.findings.push(
        wcoId ? { path, code, message, severity, layer, wcoId } : { path, code, message, severity, layer },
      );
    };
  }
}

export const itemPath = (index: number, field: string): string => `items[${index}].${field}`;
