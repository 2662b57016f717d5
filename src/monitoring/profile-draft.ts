/**
 * An alert turned into a draft rule profile in one step: conditions that select what the alert
 * saw (the HS6 and origin of a surge; the HS6, currency and unit values below the drop's level; the
 * chapter, origin or office of a series outside its interval). The draft then follows the
 * four-eyes workflow of every profile; the alert keeps its id.
 */
import type { Database } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { parseProfile, type Condition, type ProfileDefinition } from '../risk/profiles/profile.ts';
import { profilesRepository, type StoredProfile } from '../risk/profiles/repository.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { AlertState, findAlert, type AlertError, type StoredAlert } from './alerts.ts';
import { AlertKind } from './rules.ts';

const text = (facts: StoredAlert['facts'], name: string): string => String(facts[name] ?? '');

/** The conditions a profile drafted from the alert tests. */
export function draftConditions(a: StoredAlert): Condition[] {
  const f = a.facts;
  switch (a.kind) {
    case AlertKind.OriginSurge:
      return [
        { field: 'item.hsCode', op: 'prefix', value: [text(f, 'hs6')] },
        { field: 'item.originCountry', op: 'eq', value: text(f, 'origin') },
      ];
    case AlertKind.UnitValueDrop:
      return [
        { field: 'item.hsCode', op: 'prefix', value: [text(f, 'hs6')] },
        { field: 'currency', op: 'eq', value: a.currency ?? '' },
        { field: 'item.unitValue', op: 'lt', value: Number(f.level) },
      ];
    case AlertKind.OutsideInterval: {
      const key = text(f, 'key');
      const dimension = text(f, 'dimension');
      if (dimension === 'chapter') return [{ field: 'item.hsCode', op: 'prefix', value: [key] }];
      if (dimension === 'origin') return [{ field: 'item.originCountry', op: 'eq', value: key }];
      if (dimension === 'office') return [{ field: 'office', op: 'eq', value: key }];
      return [{ field: 'type', op: 'eq', value: 'IM' }];
    }
  }
}

/** The whole draft: code MON-<alert>, a yellow lane, a middling weight, the alert's words as the reason. */
export function draftDefinition(a: StoredAlert, today: string): ProfileDefinition {
  const name = `${a.kind === AlertKind.OriginSurge ? 'Origin surge' : a.kind === AlertKind.UnitValueDrop ? 'Unit value drop' : 'Trade outside forecast'}: ${a.series}`;
  return {
    code: `MON-${a.id}`,
    name: name.slice(0, 200),
    lane: 'yellow',
    weight: 30,
    reason: `Trade monitoring alert ${a.id}: ${a.explanation}`.slice(0, 500),
    validFrom: today,
    conditions: draftConditions(a),
  };
}

/** Drafts the profile and ties it to the alert, in one transaction; an alert gets one draft. */
export async function draftProfile(
  db: Database,
  id: number,
  actor: string,
  today: string,
): Promise<Result<StoredProfile, AlertError>> {
  return db.transaction(async (tx) => {
    const alert = await findAlert(tx, id, true);
    if (!alert) return err({ code: 'alert_not_found' as const, message: `no monitoring alert ${id}` });
    if (alert.profileId !== null || alert.state === AlertState.Dismissed)
      return err({
        code: 'action_not_allowed' as const,
        message:
          alert.profileId !== null
            ? `alert ${id} already has its draft profile ${alert.profileId}`
            : `alert ${id} is dismissed`,
      });
    // a draft the profile rules refuse would be a bug here, not the analyst's mistake
    const parsed = parseProfile(draftDefinition(alert, today));
    if (!parsed.ok) throw new Error(`the draft of alert ${id} is refused: ${parsed.error.message}`);
    const profile = await profilesRepository.createIn(tx, parsed.value, actor);
    await tx.query('UPDATE monitoring_alerts SET profile_id = $2 WHERE id = $1', [id, profile.id]);
    await recordChange(tx, {
      actor,
      action: 'monitoring.alert.profiled',
      subjectKind: SubjectKind.MonitoringAlert,
      subjectId: String(id),
      data: { profile: profile.id, code: profile.code },
    });
    return ok(profile);
  });
}
