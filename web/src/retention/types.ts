/** What the retention API sends (src/governance/retention/): policies, legal holds, archival runs. */

export interface Policy {
  dataClass: string;
  /** The period as set: '10y', '6m', '30d' or 'forever'. */
  keep: string;
  /** The period in words: '10 years'. */
  period: string;
  holds: string;
  countedFrom: string;
  updatedBy: string;
  updatedAt: string;
}

export interface Hold {
  id: number;
  declarationId: number;
  reason: string;
  placedBy: string;
  placedAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
  releaseReason: string | null;
}

export interface ArchiveRun {
  id: string;
  startedAt: string;
  finishedAt: string;
  actor: string;
  folder: string;
  ledgerSeq: number;
  /** Rows archived and purged, by data class. */
  counts: Record<string, number>;
  /** Declarations past their period that a legal hold kept. */
  held: number;
}

export interface ArchiveReport {
  runs: { run: string; folder: string; counts: Record<string, number>; ledgerSeq: number }[];
  counts: Record<string, number>;
  held: number;
  setAside: string[];
}
