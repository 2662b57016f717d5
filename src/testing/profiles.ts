/** Rule profiles for tests, in force as an analyst's would be after a second analyst approved them. */
import type { AppContext } from '../app-context.ts';
import { parseProfile } from '../risk/profiles/profile.ts';
import { profilesRepository } from '../risk/profiles/repository.ts';

/** Every declaration from the seller WATCHED CO wants the red lane. */
export async function redForEveryone(ctx: Pick<AppContext, 'db'>): Promise<void> {
  const parsed = parseProfile({
    name: 'watched seller',
    code: 'WATCHED',
    lane: 'red',
    weight: 90,
    reason: 'watched seller',
    validFrom: '2020-01-01',
    conditions: [{ field: 'seller', op: 'eq', value: 'WATCHED CO' }],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const draft = await profilesRepository.create(ctx.db, parsed.value, 'analyst-1');
  await profilesRepository.submit(ctx.db, draft.id, 'analyst-1');
  const decided = await profilesRepository.decide(ctx.db, draft.id, 'analyst-2', true, null);
  if (!decided.ok) throw new Error(JSON.stringify(decided.error));
}
