import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { PriceChart, type PriceReference } from './PriceChart.tsx';

export interface PricePoint {
  item: number;
  hs6: string;
  origin?: string;
  currency: string;
  unitValue: number;
  ratio: number;
}

/** A unit value found far from its price reference, drawn against the reference's distribution. */
export function PriceAnomaly({ point }: { point: PricePoint }) {
  const [reference, setReference] = useState<PriceReference | null | undefined>(undefined);
  useEffect(() => {
    const query = new URLSearchParams({
      currency: point.currency,
      ...(point.origin ? { origin: point.origin } : {}),
    });
    api<PriceReference>('GET', `/api/risk/prices/${point.hs6}?${query}`).then(setReference, () =>
      setReference(null),
    );
  }, [point]);
  if (reference === undefined) return <p>Loading the price reference…</p>;
  if (reference === null) return <p>No price reference for HS {point.hs6} can be shown.</p>;
  return <PriceChart reference={reference} declared={point.unitValue} />;
}
