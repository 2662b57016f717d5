/** How the analysts' pages write numbers. */

/** A rate as a percentage with one decimal (kept on one line), or a dash when nothing was measured. */
export const percent = (x: number | null | undefined) => (x == null ? '–' : `${(x * 100).toFixed(1)}\u00a0%`);
