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

/** A model as plain JSON. */
export interface SerializedGbdt {
  format: typeof gbdtFormat;
  version: typeof gbdtVersion;
  featureNames: string[];
  /** Log-odds every prediction starts from. */
  baseScore: number;
  trees: SerializedTree[];
}
