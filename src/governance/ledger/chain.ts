/**
 * Checking entries one after another: seq continuity, the link to the previous hash and each
 * entry's own hash. The first problem names the entry and what happened to it.
 */
import { entryHash, genesisHash, type LedgerEntry } from './entry.ts';

export const Problem = {
  Altered: 'altered',
  Removed: 'removed',
  Reordered: 'reordered',
  Added: 'added',
  CheckpointSignature: 'checkpoint_signature',
  CheckpointRoot: 'checkpoint_root',
  CheckpointRemoved: 'checkpoint_removed',
  /** A checkpoint that is not the one the next checkpoint, a signed head or the copy vouches for. */
  CheckpointReplaced: 'checkpoint_replaced',
  HeadSignature: 'head_signature',
  /** Entries that no longer end with the hash a signed head names. */
  HeadRewritten: 'head_rewritten',
  /** The latest signed head is gone from the database while its copy or a checkpoint shows it. */
  HeadRemoved: 'head_removed',
  /** A file of the copy folder that is not a checkpoint or head signed with our key. */
  CopyAltered: 'copy_altered',
} as const;
export type Problem = (typeof Problem)[keyof typeof Problem];

export interface BadEntry {
  seq: number;
  problem: Problem;
  message: string;
}

export class ChainChecker {
  /** The seq and hash the next entry must follow. */
  constructor(
    public lastSeq = 0,
    public lastHash = genesisHash,
  ) {}

  /**
   * Checks the entries of a batch in order; the first problem found, or null. `batch` is also
   * where a misplaced entry is looked for, to tell a reordering from an alteration.
   */
  check(batch: readonly LedgerEntry[]): BadEntry | null {
    for (const e of batch) {
      const expected = this.lastSeq + 1;
      if (e.seq !== expected) {
        return { seq: expected, problem: Problem.Removed, message: `ledger entry ${expected} was removed` };
      }
      if (e.prevHash !== this.lastHash) return this.brokenLink(e, batch);
      if (entryHash(e) !== e.hash) {
        return {
          seq: e.seq,
          problem: Problem.Altered,
          message: `ledger entry ${e.seq} was altered: its hash does not match its content`,
        };
      }
      this.lastSeq = e.seq;
      this.lastHash = e.hash;
    }
    return null;
  }

  private brokenLink(e: LedgerEntry, batch: readonly LedgerEntry[]): BadEntry {
    // the entry that belongs here is elsewhere: its successor's link names it
    if (batch.some((other) => other !== e && other.hash === e.prevHash)) {
      return {
        seq: e.seq,
        problem: Problem.Reordered,
        message: `ledger entry ${e.seq} is out of order: it follows an entry that comes later`,
      };
    }
    if (entryHash(e) === e.hash && this.lastSeq > 0) {
      // this entry is intact where it is, so the one before it is not the entry it was chained to
      return {
        seq: this.lastSeq,
        problem: Problem.Altered,
        message: `ledger entry ${this.lastSeq} was altered: the next entry was chained to a different one`,
      };
    }
    return {
      seq: e.seq,
      problem: Problem.Removed,
      message: `the entry before ledger entry ${e.seq} was removed: it does not follow entry ${this.lastSeq}`,
    };
  }
}
