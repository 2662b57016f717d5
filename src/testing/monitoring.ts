/**
 * Trade built for monitoring tests: fifteen months of steady imports (January 2025 to March
 * 2026), then in March 2026 a surge of smartphones (HS 8517.13) from Viet Nam, an origin that never
 * shipped them before, while the unit value of furniture (HS 9403.60) has been a third of its
 * usual level since January 2026 (the same value for far more kilograms).
 *
 * Every month: two declarations of smartphones from China (1,000 USD, 10 kg each, no duty) and one
 * of furniture from Malaysia (five items of 100 USD, duty 8%: 40 USD a month). March 2026 adds five
 * declarations of smartphones from Viet Nam (1,000 USD each).
 */
import assert from 'node:assert/strict';
import { aDeclaration, anItem, type TestServer } from './harness.ts';

/** The months of the steady history, and the month that turns. */
export const steadyMonths = Array.from({ length: 15 }, (_, i) => {
  const d = new Date(Date.UTC(2025, i, 1));
  return d.toISOString().slice(0, 7);
});
export const turningMonth = '2026-03';

const phones = (month: string, day: string, origin: string) =>
  aDeclaration({
    date: `${month}-${day}`,
    originCountry: origin,
    dispatchCountry: origin,
    invoiceTotal: 1000,
    items: [anItem({ originCountry: origin, value: 1000, netMass: 10, grossMass: 12 })],
  });

const furniture = (month: string) => {
  // from January 2026 the same value is declared for 2.5 times the mass: 20 instead of 50 USD/kg
  const mass = month >= '2026-01' ? 5 : 2;
  return aDeclaration({
    date: `${month}-12`,
    originCountry: 'MY',
    dispatchCountry: 'MY',
    invoiceTotal: 500,
    items: Array.from({ length: 5 }, (_, i) =>
      anItem({
        sequence: i + 1,
        hsCode: '94036010',
        description: 'wooden kitchen cabinets',
        originCountry: 'MY',
        value: 100,
        netMass: mass,
        grossMass: mass + 1,
        supplementaryQuantity: undefined,
        supplementaryUnit: undefined,
        dutyRate: 8,
      }),
    ),
  });
};

/** Lodges the whole history through the API as `token` (a trader of TRADER-A). */
export async function lodgeMonitoringHistory(server: TestServer, token: string): Promise<void> {
  const declarations = steadyMonths.flatMap((m) => [
    phones(m, '05', 'CN'),
    phones(m, '19', 'CN'),
    furniture(m),
  ]);
  for (const day of ['03', '09', '16', '23', '27']) declarations.push(phones(turningMonth, day, 'VN'));
  const response = await server.request('POST', '/api/declarations/batch', { token, body: { declarations } });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.accepted, declarations.length, JSON.stringify(response.body.results));
}
