/**
 * What the release routes (/api/open-data/releases...) and the public routes (/open/releases...)
 * answer. The release (with its disclosure parameters and summary) and the cell statuses are the server's own
 * types (src/open-data/): one definition; only the types cross over, nothing of the server's code.
 */
import type { DisclosureParameters } from '../../../src/open-data/parameters.ts';
import type { Release as StoredRelease } from '../../../src/open-data/releases.ts';
import type { CellStatus } from '../../../src/open-data/table.ts';

export type { CellStatus, DisclosureParameters };

/** A release as the routes present it, with what the caller may do next: approve, reject, publish. */
export type Release = StoredRelease & { allowed: string[] };

export interface TableCount {
  name: string;
  cells: number;
  primary: number;
  secondary: number;
}

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
  parameters: DisclosureParameters;
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
