/** Histogram gradient-boosted decision trees for binary classification (logistic loss). */
export type { Dataset } from './dataset.ts';
export { featureMismatch } from './dataset.ts';
export type { SerializedGbdt, SerializedTree } from './format.ts';
export { gbdtFormat, gbdtVersion } from './format.ts';
export { loadGbdt } from './load.ts';
export { auc, precisionAt } from './metrics.ts';
export type { GbdtModel } from './model.ts';
export { sigmoid } from './model.ts';
export type { GbdtParams } from './params.ts';
export { defaultParams } from './params.ts';
export type { Validation } from './train.ts';
export { trainGbdt } from './train.ts';
