/** What the release routes (/api/open-data/releases...) and the public routes (/open/releases...) answer. */

export interface DominanceRule {
  n: number;
  k: number;
}

export interface Parameters {
  minTraders: number;
  dominance: DominanceRule[];
  protectionPercent: number;
}

export interface Summary {
  tables: number;
  cells: number;
  primary: number;
  secondary: number;
  withheld: string[];
}

export type ReleaseStatus = 'prepared' | 'approved' | 'rejected' | 'published';

export interface Release {
  id: number;
  name: string;
  version: number;
  periodFrom: string;
  periodTo: string;
  currency: string;
  parameters: Parameters;
  summary: Summary;
  corrects: number | null;
  correctionNote: string | null;
  status: ReleaseStatus;
  preparedBy: string;
  preparedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  keyId: string | null;
  /** What the caller may do next: approve, reject, publish. */
  allowed: string[];
}

export interface TableCount {
  name: string;
  cells: number;
  primary: number;
  secondary: number;
}

export type CellStatus = 'published' | 'primary' | 'secondary';

/** A cell as the check view reads it: amounts in minor units (cents, grams, thousandths). */
export interface CheckCell {
  tableName: string;
  hs: string;
  partner: string;
  value: number;
  netMass: number;
  declarations: number;
  traders: number;
  status: CellStatus;
  reason: string | null;
}

/** A published release as the public list gives it. */
export interface PublicRelease {
  name: string;
  version: number;
  periodFrom: string;
  periodTo: string;
  currency: string;
  publishedAt: string;
  corrects: number | null;
  correctionNote: string | null;
  parameters: Parameters;
  url: string;
  datapackage: string;
}

export interface PublicFile {
  name: string;
  mediaType: string;
  bytes: number;
  sha256: string;
  url: string;
}

export interface PublicReleaseDetail extends PublicRelease {
  files: PublicFile[];
  signature: { algorithm: string; value: string; keyId: string; publicKey: string };
}

/** A cell of a published table's JSON file: values as decimal text, none when confidential. */
export interface PublicCell {
  hs: string;
  level: 'total' | 'chapter' | 'heading' | 'subheading';
  partner: string;
  value: string | null;
  netMass: string | null;
  declarations: number | null;
  confidential: boolean;
}

export interface PublicTable {
  table: string;
  flow: string;
  month: string;
  procedure: string;
  currency: string;
  cells: PublicCell[];
}

export const period = (from: string, to: string) => (from === to ? from : `${from} to ${to}`);

/** A table's name in words: "imports-2026-10-4000" is "Imports, 2026-10, procedure 4000". */
export function tableTitle(name: string): string {
  const m = /^(imports|exports)-(\d{4}-\d{2})-(.*)$/.exec(name);
  if (!m) return name;
  const flow = m[1] === 'imports' ? 'Imports' : 'Exports';
  return `${flow}, ${m[2]}${m[3] ? `, procedure ${m[3]}` : ''}`;
}
