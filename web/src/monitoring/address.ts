/** The page's choices as its address, so that reload, Back and a shared link show the same. */
export interface Choice {
  period: 'week' | 'month';
  measure: 'declarations' | 'value' | 'duty';
  dimension: 'total' | 'chapter' | 'origin' | 'office';
  key: string;
  state: 'open' | 'acknowledged' | 'dismissed';
}

const oneOf = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  allowed.find((a) => a === value) ?? fallback;

export function choiceOf(search: string): Choice {
  const q = new URLSearchParams(search);
  const key = q.get('key') ?? 'total';
  return {
    period: oneOf(q.get('period'), ['week', 'month'], 'month'),
    measure: oneOf(q.get('measure'), ['declarations', 'value', 'duty'], 'declarations'),
    dimension: oneOf(key.split(':')[0] ?? null, ['total', 'chapter', 'origin', 'office'], 'total'),
    key,
    state: oneOf(q.get('state'), ['open', 'acknowledged', 'dismissed'], 'open'),
  };
}

export const addressOf = (c: Choice): string =>
  `/monitoring?${new URLSearchParams({ period: c.period, measure: c.measure, key: c.key, state: c.state }).toString()}`;

export const measureWords: Record<Choice['measure'], string> = {
  declarations: 'Declarations',
  value: 'Value',
  duty: 'Duty',
};

export const dimensionWords: Record<Choice['dimension'], string> = {
  total: 'All imports',
  chapter: 'HS chapter',
  origin: 'Origin',
  office: 'Office',
};

export const kindWords: Record<string, string> = {
  outside_interval: 'Outside forecast',
  origin_surge: 'Origin surge',
  unit_value_drop: 'Unit value drop',
};

/** What an alert measured. */
export const alertMeasureWords: Record<string, string> = {
  declarations: 'declarations',
  value: 'value',
  duty: 'duty',
  share: "share of the HS6's declarations",
  unit_value: 'unit value',
};
