/**
 * The thresholds of trade monitoring (ADR 0028), each set by a CLEARWAY_MONITOR_* variable.
 */
export interface MonitoringSettings {
  /** Complete periods a series needs, from its first declaration, before it is forecast. */
  minPeriods: number;
  /** Declarations a series needs over its history before it is forecast. */
  minDeclarations: number;
  /** Periods forecast ahead. */
  horizon: number;
  /** Keys per dimension (chapter, origin, office) forecast at most: those with the most declarations. */
  maxKeys: number;
  /** A surge: the origin's share of an HS6's declarations was below `rareShare` over the baseline… */
  rareShare: number;
  /** …and is above `surgeShare` in the latest period… */
  surgeShare: number;
  /** …with at least this many declarations from the origin in the latest period… */
  surgeMinDeclarations: number;
  /** …and at least this many declarations of the HS6 over the baseline. */
  surgeMinBaseline: number;
  /** The periods before the latest one that make the baseline of a surge. */
  baselinePeriods: number;
  /** A unit-value drop: each of the last `dropPeriods` periods' median below the quarter before by more than this share. */
  unitValueDrop: number;
  dropPeriods: number;
  /** Items with a unit value each period (and in the quarter before) needs for its median to count. */
  unitValueMinItems: number;
  /** Hours between the server's checks whether today's run is done (0: no scheduled run). */
  checkHours: number;
}

export const defaultMonitoringSettings: MonitoringSettings = {
  minPeriods: 12,
  minDeclarations: 12,
  horizon: 6,
  maxKeys: 100,
  rareShare: 0.02,
  surgeShare: 0.2,
  surgeMinDeclarations: 5,
  surgeMinBaseline: 20,
  baselinePeriods: 12,
  unitValueDrop: 0.3,
  dropPeriods: 3,
  unitValueMinItems: 5,
  checkHours: 1,
};

type Env = Record<string, string | undefined>;

/** The settings from CLEARWAY_MONITOR_* variables; a bad value is refused through `refuse`. */
export function monitoringSettings(env: Env, refuse: (message: string) => Error): MonitoringSettings {
  const number = (name: string, fallback: number, min: number, max: number, whole = true): number => {
    const raw = env[`CLEARWAY_MONITOR_${name}`];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || (whole && !Number.isInteger(n)) || n < min || n > max)
      throw refuse(
        `CLEARWAY_MONITOR_${name} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${raw}"`,
      );
    return n;
  };
  const d = defaultMonitoringSettings;
  return {
    minPeriods: number('MIN_PERIODS', d.minPeriods, 3, 156),
    minDeclarations: number('MIN_DECLARATIONS', d.minDeclarations, 1, 1_000_000),
    horizon: number('HORIZON', d.horizon, 1, 52),
    maxKeys: number('MAX_KEYS', d.maxKeys, 1, 1000),
    rareShare: number('RARE_SHARE', d.rareShare, 0, 1, false),
    surgeShare: number('SURGE_SHARE', d.surgeShare, 0, 1, false),
    surgeMinDeclarations: number('SURGE_MIN_DECLARATIONS', d.surgeMinDeclarations, 1, 1_000_000),
    surgeMinBaseline: number('SURGE_MIN_BASELINE', d.surgeMinBaseline, 1, 1_000_000),
    baselinePeriods: number('BASELINE_PERIODS', d.baselinePeriods, 1, 156),
    unitValueDrop: number('UNIT_VALUE_DROP', d.unitValueDrop, 0, 1, false),
    dropPeriods: number('DROP_PERIODS', d.dropPeriods, 1, 52),
    unitValueMinItems: number('UNIT_VALUE_MIN_ITEMS', d.unitValueMinItems, 1, 1_000_000),
    checkHours: number('CHECK_HOURS', d.checkHours, 0, 24),
  };
}
