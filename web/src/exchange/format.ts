/** How the exchange pages write states, message types and refusals. */
import { RequestFailed } from '../api.ts';
import type { OutboxState } from './types.ts';

import { day } from '../format.ts';

export { moment as when } from '../format.ts';

/** An agreement's days in force: "1 Jan 2026 to 31 Dec 2027", or "from 1 Jan 2026". */
export const validity = (p: { validFrom: string; validTo: string | null }) =>
  p.validTo ? `${day(p.validFrom)} to ${day(p.validTo)}` : `from ${day(p.validFrom)}`;

export const stateNames: Record<OutboxState, string> = {
  pending: 'pending',
  sending: 'sending',
  acknowledged: 'acknowledged',
  failed: 'failed',
};

const typeNames: Record<string, string> = { export_declarations: 'export declaration' };

/** A message type in words ("export declaration"), the code itself when unknown. */
export const typeName = (type: string) => typeNames[type] ?? type;

/** What a refusal says, in words: the server's message. */
export const problemOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Whether a request was refused with `code`. */
export const refusedWith = (e: unknown, code: string): boolean =>
  e instanceof RequestFailed && e.problem.error === code;
