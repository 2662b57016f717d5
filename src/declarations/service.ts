/**
 * Lodging, reading, amending and cancelling declarations: the domain rules that span validation,
 * authorization by party and storage.
 */
import type { Database, PreparedStatement, Sql } from '../db/database.ts';
import { Role, type Actor } from '../governance/roles.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { contentHash } from './content-hash.ts';
import { encodeContent } from './rows.ts';
import { allowedActions, EventKind, whyNotAllowed, type Action } from './lifecycle.ts';
import { Status, type Declaration, type DeclarationInput, type Finding } from './model.ts';
import { declarationsRepository as repo } from './repository.ts';
import { outcomeOf, QualityTally, unattributed } from './quality-counts.ts';
import type { Scope } from './scope.ts';
import { countDeclarations } from './trader-counts.ts';
import { validateDeclaration, type DeclarationDraft, type ValidationContext } from './validate/index.ts';

export type DeclarationError =
  | { code: 'validation_failed'; findings: Finding[] }
  | { code: 'not_authorized_for_trader'; message: string }
  | { code: 'functional_reference_conflict'; message: string; existingId: number }
  | { code: 'declaration_not_found' }
  | { code: 'action_not_allowed'; message: string }
  | { code: 'version_conflict'; message: string };

export interface Lodged {
  declaration: Declaration;
  created: boolean;
}

/** Risk assessment of an accepted declaration, in the transaction that accepts (or amends) it. */
export interface Assessor {
  /**
   * `again` when the declaration was assessed before (it is being amended); a first assessment is
   * of a declaration just stored, which it also counts in its trader's history (trader-counts.ts).
   * Returns the lane it gave, if the declaration could be assessed, and whether it released it
   * (green or blue with nothing to pay).
   */
  assess(
    tx: Sql,
    id: number,
    input: DeclarationInput,
    actor: string,
    again?: boolean,
  ): Promise<{ lane: NonNullable<Declaration['lane']>; released?: boolean } | undefined>;
}

export interface DeclarationServiceDeps {
  db: Database;
  validation(): ValidationContext;
  /** Without one, declarations are accepted unassessed (they have no lane). */
  risk?: Assessor;
  /** Queues an accepted export for a partner administration, in the transaction that accepts it. */
  exchange?: AcceptedHook;
}

/** Called in the transaction that stores an accepted declaration (exchange/outbox.ts). */
export interface AcceptedHook {
  accepted(tx: Sql, id: number, input: DeclarationInput, actor?: string): Promise<void>;
  /** Called in the transaction that amends a declaration, before it is assessed again (mirror analysis). */
  amended?(tx: Sql, id: number, input: DeclarationInput, actor?: string): Promise<void>;
}

/** A trader lodges for itself; a declarant lodges as itself for traders it represents. */
export function fillParties(draft: DeclarationDraft, actor: Actor): DeclarationDraft {
  if (actor.role === Role.Trader && draft.trader === undefined) draft.trader = actor.partyId ?? undefined;
  if (actor.role === Role.Declarant && draft.declarant === undefined)
    draft.declarant = actor.partyId ?? undefined;
  return draft;
}

const represents: PreparedStatement = {
  name: 'declarant_represents',
  text: 'SELECT 1 FROM representations WHERE declarant_id = $1 AND trader_id = $2',
};

async function checkParties(
  sql: Sql,
  d: { trader: string; declarant: string },
  actor: Actor,
): Promise<string | null> {
  if (actor.role === Role.Trader) {
    return d.trader === actor.partyId
      ? null
      : `a trader lodges only its own declarations (you are ${actor.partyId})`;
  }
  if (actor.role === Role.Declarant) {
    if (d.declarant !== actor.partyId) return `you lodge as declarant ${actor.partyId}, not ${d.declarant}`;
    const rows = await sql.query(represents, [actor.partyId, d.trader]);
    return rows.length > 0 ? null : `declarant ${actor.partyId} does not represent trader ${d.trader}`;
  }
  return `the ${actor.role} role does not lodge declarations`;
}

export function createDeclarationService(deps: DeclarationServiceDeps) {
  const { db } = deps;

  /** The quality counters of one validation, in the transaction `sql` when there is one. */
  async function countQuality(sql: Sql, trader: string, date: string | undefined, findings: Finding[]) {
    const tally = new QualityTally();
    tally.add(outcomeOf(trader, date, deps.validation().today, findings));
    await tally.write(sql);
  }

  /**
   * Counts a refused draft for its trader only when the caller may lodge for that trader: anyone
   * else's drafts would otherwise lower a trader's scores without its knowledge.
   */
  async function countRefused(actor: Actor, draft: DeclarationDraft, findings: Finding[]) {
    const { trader, declarant } = draft;
    // a trader lodges for itself whoever the declarant; a declarant's own code was filled in above
    const own =
      typeof trader === 'string' &&
      (await checkParties(db, { trader, declarant: declarant ?? '' }, actor)) === null;
    await countQuality(db, own ? trader : unattributed, draft.date, findings);
  }

  const combined = { combine: true };

  async function lodge(
    actor: Actor,
    draft: DeclarationDraft,
    source = 'api',
  ): Promise<Result<Lodged, DeclarationError>> {
    const validated = validateDeclaration(fillParties(draft, actor), deps.validation());
    if (!validated.ok) {
      await countRefused(actor, draft, validated.error.findings);
      return validated;
    }
    const { declaration: input, warnings } = validated.value;
    const refusal = await checkParties(db, input, actor);
    if (refusal) {
      await countQuality(db, unattributed, input.date, warnings);
      return err({ code: 'not_authorized_for_trader', message: refusal });
    }
    const hash = contentHash(encodeContent(input));
    const lodged = await db.transaction(async (tx) => {
      const stored = await repo.insert(tx, {
        input,
        findings: warnings,
        contentHash: hash,
        source,
        actor: actor.username,
      });
      // a resubmission stores nothing and is not counted again: its first lodging was
      if (stored === null) return null;
      await countQuality(tx, input.trader, input.date, warnings);
      await deps.exchange?.accepted(tx, stored.id, input, actor.username);
      if (!deps.risk) {
        await countDeclarations(tx, [input.trader]);
        return stored;
      }
      const assessed = await deps.risk.assess(tx, stored.id, input, 'selectivity');
      // the assessment gives the lane, and the release of what has nothing to pay in the green or
      // blue lane; it changes nothing else a read would show
      if (!assessed) return stored;
      return { ...stored, lane: assessed.lane, ...(assessed.released ? { status: Status.Released } : {}) };
      // on PGlite, lodgings that arrive together share a commit: nothing here acts outside the database
    }, combined);
    if (lodged !== null) return ok({ declaration: lodged, created: true });
    const existing = await repo.findByReference(db, input.trader, input.functionalReference);
    if (!existing) throw new Error('a conflicting declaration vanished');
    if (existing.content_hash !== hash) {
      return err({
        code: 'functional_reference_conflict',
        message: `functional reference ${input.functionalReference} was already used by trader ${input.trader} for a different declaration`,
        existingId: existing.id,
      });
    }
    return ok({ declaration: await mustFind(existing.id), created: false });
  }

  async function mustFind(id: number): Promise<Declaration> {
    const found = await repo.findById(db, id, { kind: 'all' });
    if (!found) throw new Error(`declaration ${id} vanished`);
    return found;
  }

  async function loadFor(id: number, scope: Scope, actor: Actor, action: Action, sql: Sql = db) {
    const current = await repo.findById(sql, id, scope);
    if (!current) return err({ code: 'declaration_not_found' as const });
    if (!allowedActions(current, actor).includes(action)) {
      return err({ code: 'action_not_allowed' as const, message: whyNotAllowed(current, actor, action) });
    }
    return ok(current);
  }

  async function amend(actor: Actor, scope: Scope, id: number, draft: DeclarationDraft, version?: number) {
    const loaded = await loadFor(id, scope, actor, 'amend');
    if (!loaded.ok) return loaded;
    const current = loaded.value;
    draft.trader ??= current.trader;
    draft.functionalReference ??= current.functionalReference;
    const validated = validateDeclaration(fillParties(draft, actor), deps.validation());
    if (!validated.ok) {
      await countRefused(actor, draft, validated.error.findings);
      return validated;
    }
    const { declaration: input, warnings } = validated.value;
    if (input.trader !== current.trader || input.functionalReference !== current.functionalReference) {
      return err({
        code: 'action_not_allowed' as const,
        message: 'an amendment cannot change the trader or the functional reference',
      });
    }
    const refusal = await checkParties(db, input, actor);
    if (refusal) return err({ code: 'not_authorized_for_trader' as const, message: refusal });
    const expected = version ?? current.version;
    const done = await db.transaction(async (tx) => {
      const changed = await repo.replaceContent(tx, id, expected, {
        input,
        findings: warnings,
        contentHash: contentHash(encodeContent(input)),
        source: 'api',
        actor: actor.username,
      });
      if (changed) {
        const appended = await repo.appendEvent(tx, id, EventKind.Amended, actor.username, {
          version: expected + 1,
        });
        if (!appended) throw new Error(`declaration ${id} took new content but no amendment`);
        await countQuality(tx, input.trader, input.date, warnings);
        // the import's matches with partners' exports are computed against what it now declares
        await deps.exchange?.amended?.(tx, id, input, actor.username);
        await deps.risk?.assess(tx, id, input, 'selectivity', true);
      }
      return changed;
    });
    if (!done)
      return err({
        code: 'version_conflict' as const,
        message: `declaration ${id} is no longer at version ${expected}`,
      });
    return ok(await mustFind(id));
  }

  async function cancel(actor: Actor, scope: Scope, id: number, reason: string) {
    // who may cancel is decided under the row lock: an amendment that lands first (another
    // declarant of record, another office) is what the permission is checked against
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT id FROM declarations WHERE id = $1 FOR UPDATE', [id]);
      const loaded = await loadFor(id, scope, actor, 'cancel', tx);
      if (!loaded.ok) return loaded;
      return ok(await repo.appendEvent(tx, id, EventKind.Cancelled, actor.username, { reason }));
    });
    if (!done.ok) return done;
    if (!done.value)
      return err({
        code: 'version_conflict' as const,
        message: `declaration ${id} changed while it was being cancelled`,
      });
    return ok(await mustFind(id));
  }

  /**
   * What lodging the draft would find, without storing anything: every finding of validation, and
   * a refusal to lodge for this trader as a finding at `trader`. For forms that check as you type.
   */
  async function check(actor: Actor, draft: DeclarationDraft): Promise<Finding[]> {
    const validated = validateDeclaration(fillParties(draft, actor), deps.validation());
    const findings = validated.ok ? validated.value.warnings : validated.error.findings;
    const { trader, declarant } = fillParties(draft, actor);
    if (trader !== undefined && declarant !== undefined) {
      const refusal = await checkParties(db, { trader, declarant }, actor);
      if (refusal) {
        findings.push({
          path: actor.role === Role.Declarant && declarant !== actor.partyId ? 'declarant' : 'trader',
          code: 'not_authorized_for_trader',
          message: refusal,
          severity: 'error',
          layer: 'existence',
        });
      }
    }
    return findings;
  }

  return {
    lodge,
    check,
    amend,
    cancel,
    get: (scope: Scope, id: number) => repo.findById(db, id, scope),
    list: (scope: Scope, filter: Parameters<typeof repo.list>[2]) => repo.list(db, scope, filter),
    async events(scope: Scope, id: number) {
      const found = await repo.findById(db, id, scope);
      return found ? repo.events(db, id) : undefined;
    },
  };
}

export type DeclarationService = ReturnType<typeof createDeclarationService>;
