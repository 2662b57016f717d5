/**
 * The office a worklist opens on when the address names none: one with open work. Supervisors and
 * risk analysts read the queues of every office: their first own office with open work, else the
 * office with the most open work, else their first office. An officer of several offices: the
 * first of them with open work. Else the first office the user works at ('' when none).
 */
import { api, type User } from './api.ts';

interface Queue {
  office: string;
  open: number;
}

export async function usefulOffice(user: User): Promise<string> {
  const first = user.offices[0] ?? '';
  const known = knownOffice(user);
  if (known !== undefined) return known;
  if (user.role === 'supervisor' || user.role === 'risk_analyst') {
    const { queues } = await api<{ queues: Queue[] }>('GET', '/api/worklist/queues');
    const open = new Map<string, number>();
    for (const q of queues) open.set(q.office, (open.get(q.office) ?? 0) + q.open);
    const mine = user.offices.find((o) => (open.get(o) ?? 0) > 0);
    if (mine) return mine;
    const busiest = [...open]
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    return busiest?.[0] ?? first;
  }
  for (const office of user.offices) {
    const page = await api<{ items: unknown[] }>(
      'GET',
      `/api/worklist?office=${encodeURIComponent(office)}&limit=1`,
    );
    if (page.items.length > 0) return office;
  }
  return first;
}

/**
 * The office `usefulOffice` chooses when it needs no answer from the server: that of a user who
 * reads one office's queue alone (neither supervisor nor risk analyst) and works at one office or none.
 */
export function knownOffice(user: User): string | undefined {
  if (user.role === 'supervisor' || user.role === 'risk_analyst' || user.offices.length > 1) return undefined;
  return user.offices[0] ?? '';
}

export type Held = 'all' | 'mine' | 'unassigned';

/** Which work the worklist's address asks for (`assigned`): all unless it says mine or unassigned. */
export const heldOf = (assigned: string | null): Held =>
  assigned === 'mine' || assigned === 'unassigned' ? assigned : 'all';

/** The API's page of an office's worklist, after the cursor `after` (the first page without one). */
export const worklistRead = (office: string, held: Held, after?: string) =>
  `/api/worklist?office=${encodeURIComponent(office)}&assigned=${held}&limit=50${after ? `&after=${after}` : ''}`;
