/**
 * The Merkle tree hash of RFC 6962 (Certificate Transparency) over entry hashes: leaf =
 * SHA-256(0x00 || entry hash bytes), node = SHA-256(0x01 || left || right), a range of n leaves
 * split at the largest power of two below n. Built incrementally with one hash per level held, so
 * a million leaves need no list of them; any RFC 6962 implementation computes the same root.
 */
import { hash } from 'node:crypto';

// one-shot hashing of reused buffers: a million leaves cost two hashes each and no allocations
// beyond the digests
const leafInput = Buffer.alloc(33); // 0x00 || entry hash
const nodeInput = Buffer.alloc(65); // 0x01 || left || right
nodeInput[0] = 1;

const node = (left: Buffer, right: Buffer): Buffer => {
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return hash('sha256', nodeInput, 'buffer');
};

export class MerkleBuilder {
  /** Roots of complete subtrees, largest first, with their heights. */
  private readonly stack: { height: number; hash: Buffer }[] = [];
  size = 0;

  /** Adds the next leaf: an entry hash as 64 hex characters. */
  add(entryHashHex: string): void {
    leafInput.write(entryHashHex, 1, 'hex');
    let h: Buffer = hash('sha256', leafInput, 'buffer');
    let height = 0;
    for (let top = this.stack.at(-1); top && top.height === height; top = this.stack.at(-1)) {
      this.stack.pop();
      h = node(top.hash, h);
      height++;
    }
    this.stack.push({ height, hash: h });
    this.size++;
  }

  /** The root (hex) of the leaves added so far; the empty tree's root is SHA-256 of nothing. */
  root(): string {
    let top = this.stack.at(-1);
    if (!top) return hash('sha256', '', 'hex');
    let h: Buffer = top.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) {
      top = this.stack[i];
      if (top) h = node(top.hash, h);
    }
    return h.toString('hex');
  }
}

export function merkleRoot(entryHashes: Iterable<string>): string {
  const builder = new MerkleBuilder();
  for (const h of entryHashes) builder.add(h);
  return builder.root();
}
