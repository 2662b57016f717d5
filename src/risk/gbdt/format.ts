/** Tag and version of the serialized model; loadGbdt accepts exactly these. */
export const gbdtFormat = 'clearway-gbdt';
export const gbdtVersion = 1;

/** One tree as parallel JSON arrays indexed by node (see TreeNodes); node 0 is the root. */
export interface SerializedTree {
  feature: number[];
  threshold: number[];
  missingLeft: boolean[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
  gain: number[];
}

/** The split arrays every binary tree of ours has (boosted or isolation), as plain JSON. */
export function splitsToJSON(tree: {
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
}) {
  return {
    feature: Array.from(tree.feature),
    threshold: Array.from(tree.threshold),
    missingLeft: Array.from(tree.missingLeft, (flag) => flag === 1),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
  };
}

/** A model as plain JSON. */
export interface SerializedGbdt {
  format: typeof gbdtFormat;
  version: typeof gbdtVersion;
  featureNames: string[];
  /** Log-odds every prediction starts from. */
  baseScore: number;
  trees: SerializedTree[];
}
