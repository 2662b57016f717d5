/** The codes of alerts, on their own so that the web application's types can import them. */
export const AlertKind = {
  OutsideInterval: 'outside_interval',
  OriginSurge: 'origin_surge',
  UnitValueDrop: 'unit_value_drop',
} as const;
export type AlertKind = (typeof AlertKind)[keyof typeof AlertKind];
export const alertKinds: readonly AlertKind[] = Object.values(AlertKind);

export const AlertState = { Open: 'open', Acknowledged: 'acknowledged', Dismissed: 'dismissed' } as const;
export type AlertState = (typeof AlertState)[keyof typeof AlertState];
export const alertStates: readonly AlertState[] = Object.values(AlertState);
