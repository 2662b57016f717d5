/**
 * One tree as flat arrays indexed by node; node 0 is the root. An internal node sends a row left when
 * `x <= threshold`, or when x is NaN and `missingLeft` is 1. A leaf has feature -1 and children -1.
 */
export interface TreeNodes {
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf value (shrunk log-odds); for an internal node, the value it would have as a leaf. */
  value: Float64Array;
  /** Hessian sum of the training rows that reached the node. */
  cover: Float64Array;
  /** Loss reduction of the node's split; 0 for a leaf. */
  gain: Float64Array;
}

/** Grows a TreeNodes one node at a time; `finish` returns compact typed arrays. */
export class TreeBuilder {
  private readonly feature: number[] = [];
  private readonly threshold: number[] = [];
  private readonly missingLeft: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly value: number[] = [];
  private readonly cover: number[] = [];
  private readonly gain: number[] = [];

  /** Adds a leaf and returns its index. */
  addLeaf(value: number, cover: number): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(value);
    this.cover.push(cover);
    this.gain.push(0);
    return this.value.length - 1;
  }

  /** Turns leaf `node` into a split with the given children. */
  split(
    node: number,
    feature: number,
    threshold: number,
    missingLeft: boolean,
    gain: number,
    left: number,
    right: number,
  ): void {
    this.feature[node] = feature;
    this.threshold[node] = threshold;
    this.missingLeft[node] = missingLeft ? 1 : 0;
    this.left[node] = left;
    this.right[node] = right;
    this.gain[node] = gain;
  }

  finish(): TreeNodes {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      missingLeft: Uint8Array.from(this.missingLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      cover: Float64Array.from(this.cover),
      gain: Float64Array.from(this.gain),
    };
  }
}
