/** Tag and version of a serialized isolation forest; loadIsolationForest accepts exactly these. */
export const iforestFormat = 'clearway-iforest';
export const iforestVersion = 1;

/** One tree as parallel JSON arrays indexed by node (see IsolationTree); node 0 is the root. */
export interface SerializedIsolationTree {
  feature: number[];
  threshold: number[];
  missingLeft: boolean[];
  left: number[];
  right: number[];
  size: number[];
}

/** An isolation forest as plain JSON. */
export interface SerializedIsolationForest {
  format: typeof iforestFormat;
  version: typeof iforestVersion;
  names: string[];
  /** Rows each tree was grown on; c(sampleSize) normalises the score. */
  sampleSize: number;
  trees: SerializedIsolationTree[];
}
