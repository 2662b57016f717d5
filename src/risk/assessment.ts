/**
 * Risk assessment of accepted declarations: the active rule profiles, the active learned model
 * (P(fraud) with its contributions, P(critical), the isolation forest) and the price reference
 * score each declaration; selectivity turns the scores into a lane under the configured capacity
 * and random share; the assessment is stored with its reasons and versions, the declaration takes
 * the lane, an `assessed` event is appended and the profiles that hit record it. The duty is
 * assessed with it (a `duties_assessed` event), and a declaration in the green or blue lane with
 * nothing to pay is released in the same statement (ADR 0025). One declaration is assessed in the
 * transaction that accepts it; imports are assessed afterwards in batches.
 */
import { getRandomValues } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database, Sql } from '../db/database.ts';
import { declarationDuty } from '../clearance/duties.ts';
import { EventKind, firstEvents } from '../declarations/lifecycle.ts';
import { addToCounts, countsOf } from '../declarations/trader-counts.ts';
import type { DeclarationInput } from '../declarations/model.ts';
import type { DescriptionCodes } from '../declarations/description-codes.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import {
  computeIndicators,
  computeIndicatorsBatch,
  goodsOf,
  ownControls,
  recordHistory,
  upsertGoods,
} from './indicators.ts';
import {
  claimHeldPlaces,
  plannedCapacity,
  sqlCapacity,
  withPlacesRetried,
  type AsyncCapacity,
} from './capacity.ts';
import { runScorersMany } from './batch-scoring.ts';
import { readMirror, scoreMirror } from './mirror.ts';
import { assessable, pendingBatch } from './pending.ts';
import type { PriceReference } from './price-reference.ts';
import { compileProfile, type CompiledProfile } from './profiles/evaluate.ts';
import type { Indicators } from './profiles/fields.ts';
import { describedItems, rowExtrasOfIndicators } from './described.ts';
import { Lane } from './profiles/profile.ts';
import { profilesRepository } from './profiles/repository.ts';
import { activeModel, modelById } from './registry.ts';
import type { RiskModel } from './risk-model.ts';
import { scoreAnomalies, scoreModel, scoreProfiles, scoreUnitValues } from './scorers.ts';
import {
  assessBatch,
  defaultCapacity,
  defaultPolicy,
  stricter,
  type Assessment,
  type CapacitySettings,
  type Reason,
  type ScorerOutput,
  type SelectivityPolicy,
} from './selectivity.ts';

export interface RiskSettings {
  policy: SelectivityPolicy;
  capacity: CapacitySettings;
}

/** The actor of a re-assessment after a partner's export record was matched to an import (ADR 0024). */
export const mirrorActor = 'mirror';

/** The actor of a re-assessment after a document's review found discrepancies (documents/reader.ts). */
export const documentActor = 'document-review';

/** Why a declaration assessed before is assessed again, by the re-assessment's actor. */
const reassessedAfter = (actor: string) =>
  actor === mirrorActor
    ? "a partner's export record was matched"
    : actor === documentActor
      ? "a document's review found discrepancies"
      : 'an amendment';

export const defaultRiskSettings: RiskSettings = { policy: defaultPolicy, capacity: defaultCapacity };

export interface StoredAssessment {
  id: number;
  declarationId: number;
  assessedAt: string;
  office: string;
  day: string;
  score: number;
  /** P(critical fraud) from the model; null when no model was active. */
  critical: number | null;
  lane: Lane;
  random: boolean;
  reasons: Reason[];
  versions: Record<string, string>;
  modelId: number | null;
  /** The lane thresholds of the policy it was made with; null for assessments stored before they were kept. */
  thresholds: SelectivityPolicy['thresholds'] | null;
  /** Whether the declaration was released with it (green or blue, nothing to pay); only as stored. */
  released?: boolean;
}

export type ActiveProfile = CompiledProfile & { id: number; version: number };

/** The profiles and model in force, as last loaded. */
export interface ActiveRisk {
  profiles: ActiveProfile[];
  model: { id: number; model: RiskModel } | null;
}

export interface RiskEngineDeps {
  db: Database;
  prices(): PriceReference;
  settings?: RiskSettings;
  /** A uniform draw in [0, 1) per declaration, for the random selection; cryptographic by default. */
  draw?: () => number;
  /** How long the active profiles and model are kept before they are read again (ms). */
  cacheMs?: number;
  /** What goods descriptions point to (the classification aid), when there is one yet. */
  descriptionCodes?: () => DescriptionCodes | undefined;
}

/** Uniform draws in [0, 1) from the system's cryptographic source, read a thousand at a time. */
function secureDraws(): () => number {
  const pool = new Uint32Array(1024);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      getRandomValues(pool);
      next = 0;
    }
    return (pool[next++] ?? 0) / 2 ** 32;
  };
}

/** The scorer outputs for one declaration, and P(critical) when a model is active. */
export function runScorers(
  active: ActiveRisk,
  d: DeclarationInput,
  x: Indicators,
  day: string,
): { outputs: ScorerOutput[]; critical: number | null } {
  const outputs = [scoreProfiles(active.profiles, d, x, day)];
  let critical: number | null = null;
  if (active.model) {
    const { id, model } = active.model;
    const row = model.encoder.encode(d, rowExtrasOfIndicators(x));
    outputs.push(scoreModel(model, id, row), scoreAnomalies(model, id, d, row));
    critical = model.critical.predict(row);
  }
  outputs.push(scoreUnitValues(d, x));
  const mirror = scoreMirror(x.mirror);
  if (mirror) outputs.push(mirror);
  return { outputs, critical };
}

export function createRiskEngine(deps: RiskEngineDeps) {
  const settings = deps.settings ?? defaultRiskSettings;
  const draw = deps.draw ?? secureDraws();
  const cacheMs = deps.cacheMs ?? 30_000;
  let cached: { at: number; value: Promise<ActiveRisk> } | null = null;
  /** The model last loaded: read again only when another one is active. */
  let lastModel: ActiveRisk['model'] = null;
  /** The last model read by id that was not the active one. */
  let lastRead: ActiveRisk['model'] = null;

  async function load(sql: Sql): Promise<ActiveRisk> {
    const profiles = await profilesRepository.active(sql);
    const model = await activeModel(sql, lastModel);
    lastModel = model;
    return {
      profiles: profiles.map((p) => ({ ...compileProfile(p.definition), id: p.id, version: p.version })),
      model,
    };
  }

  /**
   * The active profiles and model; read again (through `sql`, which may be the caller's
   * transaction) after `cacheMs` or `invalidate()`.
   */
  function active(sql: Sql): Promise<ActiveRisk> {
    const now = Date.now();
    if (!cached || now - cached.at > cacheMs) {
      const value = load(sql);
      cached = { at: now, value };
      value.catch(() => {
        if (cached?.value === value) cached = null;
      });
    }
    return cached.value;
  }

  /**
   * Assesses one stored declaration inside the caller's transaction. A re-assessment (`again`,
   * after an amendment) never lowers the lane and keeps a random selection, so amending cannot undo
   * a selection.
   */
  async function assess(
    tx: Sql,
    id: number,
    input: DeclarationInput,
    actor: string,
    again = false,
  ): Promise<StoredAssessment | undefined> {
    const risk = await active(tx);
    const x = await computeIndicators(tx, deps.prices(), input, id, { newest: !again });
    const mirror = (await readMirror(tx, [{ id, input }])).get(id);
    if (mirror) x.mirror = mirror;
    const described = describedItems(deps.descriptionCodes?.(), input);
    if (described) x.described = described;
    const day = input.date;
    const { outputs, critical } = runScorers(risk, input, x, day);
    const previous = again ? await latestAssessment(tx, id) : undefined;
    const capacity = sqlCapacity(tx, settings.capacity);
    const candidate = { office: input.office, day, outputs, draw: previous ? 1 : draw() };
    let assessment = await assessOne(candidate, capacity, settings.policy, previous?.lane);
    if (previous) assessment = keepSelection(assessment, previous, reassessedAfter(actor));
    // the trader's history learns the goods in the same statement (a declaration being accepted or
    // amended has no control results to add yet), and counts a declaration being accepted
    const [stored] = await store(
      tx,
      [
        {
          id,
          office: input.office,
          day,
          assessment,
          critical,
          risk,
          thresholds: settings.policy.thresholds,
          duty: declarationDuty(input),
        },
      ],
      actor,
      {
        goods: goodsOf([{ id, input }]),
        accepted: again ? undefined : countsOf([input.trader]),
      },
    );
    return stored;
  }

  /**
   * Assesses every open declaration that has no lane yet (after an import), in batches of
   * `batchSize`, each in one transaction: highest risk first within a batch for the capacity. A
   * batch locks its declarations before it counts their places, and skips those another batch (or
   * an amendment) holds, so that two runs at once never assess or count a declaration twice.
   */
  async function assessPending(
    actor: string,
    options: { batchSize?: number; onProgress?: (n: number) => void } = {},
  ): Promise<{ assessed: number; lanes: Record<Lane, number> }> {
    const lanes: Record<Lane, number> = { red: 0, yellow: 0, blue: 0, green: 0 };
    let assessed = 0;
    const risk = await active(deps.db);
    for (let after = 0; ;) {
      const claimed = await withPlacesRetried(deps.db, async (tx) => {
        const { batch, last } = await pendingBatch(tx, after, options.batchSize ?? 2000);
        if (batch.length === 0) return { done: [], last };
        const controls = await ownControls(
          tx,
          batch.map((b) => b.id),
        );
        const xs = await computeIndicatorsBatch(tx, deps.prices(), batch, controls);
        const mirrors = await readMirror(tx, batch);
        const codes = deps.descriptionCodes?.();
        batch.forEach((b, i) => {
          const x = xs[i] as Indicators;
          const m = mirrors.get(b.id);
          if (m) x.mirror = m;
          const described = describedItems(codes, b.input);
          if (described) x.described = described;
        });
        const scores = runScorersMany(
          risk,
          batch.map((b, i) => ({ input: b.input, x: xs[i] as Indicators, day: b.input.date })),
        );
        const scored = batch.map((b, i) => ({
          ...b,
          day: b.input.date,
          ...(scores[i] as (typeof scores)[number]),
        }));
        const capacity = await plannedCapacity(
          tx,
          settings.capacity,
          scored.map((s) => ({ office: s.input.office, day: s.day })),
        );
        const assessments = assessBatch(
          scored.map((s) => ({ office: s.input.office, day: s.day, outputs: s.outputs, draw: draw() })),
          capacity,
          settings.policy,
        );
        const stored = await store(
          tx,
          scored.map((s, i) => ({
            id: s.id,
            office: s.input.office,
            day: s.day,
            assessment: assessments[i] as Assessment,
            critical: s.critical,
            risk,
            thresholds: settings.policy.thresholds,
            duty: declarationDuty(s.input),
          })),
          actor,
          { onlyUnassessed: true, brief: true },
        );
        const placeOf = new Map(scored.map((s) => [s.id, { office: s.input.office, day: s.day }]));
        await claimHeldPlaces(
          tx,
          settings.capacity,
          stored.flatMap((a) => {
            const at = placeOf.get(Number(a.declarationId));
            return at ? [{ ...at, lane: a.lane, random: a.random }] : [];
          }),
        );
        const taken = new Set(stored.map((a) => Number(a.declarationId)));
        const mine = batch.filter((b) => taken.has(b.id));
        await recordHistory(
          tx,
          mine.map((b) => ({ ...b, controls: 0, positives: 0, ...controls.get(b.id) })),
        );
        return { done: stored, last };
      });
      if (claimed.last === null) break;
      const { done } = claimed;
      for (const a of done) lanes[a.lane]++;
      assessed += done.length;
      options.onProgress?.(assessed);
      after = claimed.last;
      // on PGlite every query resolves in this thread, so without a turn of the event loop between
      // batches no request would be served until the last batch is done
      await yieldToLoop();
    }
    return { assessed, lanes };
  }

  return {
    assess,
    assessPending,
    /** Reads the active profiles and model again at the next assessment. */
    invalidate() {
      cached = null;
    },
    /**
     * The model with this id: the one assessment last loaded when it is that one, else read (and
     * kept, as the one an officer reading an older assessment is likely to ask for again).
     */
    async model(sql: Sql, id: number): Promise<RiskModel | null> {
      if (lastModel?.id === id) return lastModel.model;
      if (lastRead?.id === id) return lastRead.model;
      const model = await modelById(sql, id);
      if (model) lastRead = { id, model };
      return model;
    },
    /** The price reference as it stands. */
    prices: () => deps.prices(),
    /** Each item's description against its declared code, as assessment reads it now (undefined without the aid). */
    described: (input: DeclarationInput) => describedItems(deps.descriptionCodes?.(), input),
    /** The latest assessment of a declaration, if it was assessed. */
    latest: (sql: Sql, id: number) => latestAssessment(sql, id),
    /** Every assessment of a declaration, oldest first. */
    history: (sql: Sql, id: number) => assessmentsOf(sql, id),
    settings,
  };
}

export type RiskEngine = ReturnType<typeof createRiskEngine>;

/**
 * Selectivity for one candidate whose capacity claims go to the database: a lane is kept only once
 * its place is claimed (a concurrent claim can take the last one, and then the next lane is tried).
 * A lane the declaration already `holds` (from an earlier assessment) needs no new place.
 */
async function assessOne(
  candidate: Parameters<typeof assessBatch>[0][number],
  capacity: AsyncCapacity,
  policy: SelectivityPolicy,
  holds: Lane = Lane.Green,
): Promise<Assessment> {
  const open = { red: true, yellow: true };
  for (;;) {
    const [a] = assessBatch([candidate], { take: (_o, _d, lane) => open[lane] }, policy);
    if (!a) throw new Error('selectivity returned no assessment');
    if (a.random || (a.lane !== Lane.Red && a.lane !== Lane.Yellow) || stricter(holds, a.lane) === holds)
      return a;
    if (await capacity.take(candidate.office, candidate.day, a.lane)) return a;
    open[a.lane] = false;
  }
}

function keepSelection(next: Assessment, previous: StoredAssessment, why = 'an amendment'): Assessment {
  const lane = stricter(next.lane, previous.lane);
  if (lane === next.lane && previous.random === next.random) return next;
  const kept: Reason = {
    kind: previous.random ? 'random' : 'capacity',
    text: `re-assessed after ${why}: the earlier ${previous.lane} lane${previous.random ? ' and random selection' : ''} stand`,
  };
  return { ...next, lane, random: previous.random || next.random, reasons: [...next.reasons, kept] };
}

const assessmentColumns = `id, declaration_id AS "declarationId", assessed_at AS "assessedAt", office, day, score, critical,
  lane, random, reasons, versions, model_id AS "modelId", thresholds`;

async function latestAssessment(sql: Sql, id: number): Promise<StoredAssessment | undefined> {
  const [row] = await sql.query<StoredAssessment>(
    `SELECT ${assessmentColumns} FROM risk_assessments WHERE declaration_id = $1 ORDER BY id DESC LIMIT 1`,
    [id],
  );
  return row;
}

async function assessmentsOf(sql: Sql, id: number): Promise<StoredAssessment[]> {
  return sql.query<StoredAssessment>(
    `SELECT ${assessmentColumns} FROM risk_assessments WHERE declaration_id = $1 ORDER BY id`,
    [id],
  );
}

interface ToStore {
  id: number;
  office: string;
  day: string;
  assessment: Assessment;
  critical: number | null;
  risk: ActiveRisk;
  /** The lane thresholds of the policy the assessment was made with. */
  thresholds: SelectivityPolicy['thresholds'];
  /** The declaration's duty (clearance/duties.ts), assessed with it. */
  duty: { currency: string; amount: number };
}

/** The seq of the `assessed` event of a declaration just accepted: after its first events. */
const acceptedEventSeq = firstEvents.length + 1;

/**
 * Writes assessments, the declarations' lanes and scores, the `assessed` events and the profile
 * hits, in one statement for the whole list; with `goods`, the trader history learns them too. With
 * `onlyUnassessed`, a declaration that took a lane meanwhile (assessed by another process) is left
 * as it is, and nothing is written for it. With `accepted`, the list's declarations were just
 * stored (their events are the first ones) and are counted in their traders' declarations (`counts`
 * of trader-counts.ts); that statement, run at each lodging, is prepared. With `brief`, only the ids
 * and time of the stored assessments are read back; the rest is what was written (a batch has no use
 * for its reasons read back as stored). Each assessment appends `duties_assessed` after `assessed`;
 * in the green or blue lane, with nothing to pay and no documents or inspection pending, the
 * declaration is released (`released`, automatic) in the same UPDATE that gives it its lane.
 */
async function store(
  tx: Sql,
  list: readonly ToStore[],
  actor: string,
  options: {
    onlyUnassessed?: boolean;
    goods?: ReturnType<typeof goodsOf>;
    accepted?: ReturnType<typeof countsOf>;
    brief?: boolean;
  } = {},
): Promise<StoredAssessment[]> {
  const { onlyUnassessed = false, goods, accepted, brief = false } = options;
  const hits: [number, number][] = [];
  for (const s of list) {
    for (const r of s.assessment.reasons) {
      if (r.kind !== 'rule') continue;
      const profile = s.risk.profiles.find((p) => p.definition.code === r.code);
      if (profile) hits.push([profile.id, s.id]);
    }
  }
  const params: unknown[] = [
    list.map((s) => s.id),
    list.map((s) => s.office),
    list.map((s) => s.day),
    list.map((s) => s.assessment.score),
    list.map((s) => s.critical),
    list.map((s) => s.assessment.lane),
    list.map((s) => s.assessment.random),
    // reasons and versions go as one JSON array each, paired with the other columns by position
    JSON.stringify(list.map((s) => s.assessment.reasons)),
    JSON.stringify(list.map((s) => s.assessment.versions)),
    list.map((s) => s.risk.model?.id ?? null),
    actor,
    hits.map((h) => h[0]),
    hits.map((h) => h[1]),
    JSON.stringify(list.map((s) => s.thresholds)),
    list.map((s) => s.duty.amount),
    list.map((s) => s.duty.currency),
  ];
  /** A statement of parameters $1, $2, ... as a CTE, its parameters after those so far. */
  const cte = (name: string, text: string, values: unknown[]) => {
    const offset = params.length;
    params.push(...values);
    return `, ${name} AS (${text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  };
  // PostgreSQL runs the CTEs nobody reads in an order of its own: the count reads what the goods
  // upsert returned, so that trader_goods is locked before trader_history, as on every write path
  const learned = goods
    ? cte('goods', `${upsertGoods} RETURNING 1`, [goods.traders, goods.kinds, goods.values, goods.ids])
    : '';
  const counted = accepted
    ? cte(
        'counted',
        goods
          ? addToCounts.replace(' ORDER BY ', ' WHERE (SELECT count(*) FROM goods) >= 0 ORDER BY ')
          : addToCounts,
        [accepted.traders, accepted.counts],
      )
    : '';
  const statuses = params.push(assessable);
  // A just-accepted declaration is found by its id as a scalar: a plan cached for the prepared
  // statement must not depend on how many rows the arrays hold. Its plan was made with the table's
  // size at the time: a join from the array (of unknown length) can be cached as a scan of the whole
  // table, which then grows with it.
  if (accepted && list.length !== 1) throw new Error('a just-accepted declaration is stored alone');
  const byId = accepted ? `d.id = $${params.push(list[0]?.id)}::int8` : 'd.id = ANY($1::int8[])';
  // each declaration's last event: of one just accepted, its first events; of another, read once
  // (the events after it are numbered from it)
  const last = accepted
    ? ''
    : `, last AS (
       SELECT a.id, (SELECT max(e.seq) FROM declaration_events e WHERE e.declaration_id = a.id) AS seq FROM a
     )`;
  const withLast = accepted ? 'a' : 'a JOIN last s ON s.id = a.id';
  const seq = accepted ? `${acceptedEventSeq}` : 'coalesce(s.seq, 0) + 1';
  // documents or an inspection an officer asked for before the assessment hold the release back; a
  // declaration with no events beyond its first ones (lodged, accepted) has none, and every one just
  // accepted is such
  const nothingPending = accepted
    ? 'true'
    : `(s.seq <= ${firstEvents.length} OR NOT EXISTS (
         SELECT 1 FROM (SELECT DISTINCT ON (left(e.kind, 4)) e.kind FROM declaration_events e
           WHERE e.declaration_id = d.id AND (e.kind LIKE 'documents%' OR e.kind LIKE 'inspection%')
           ORDER BY left(e.kind, 4), e.seq DESC) p
         WHERE p.kind IN ('${EventKind.DocumentsRequested}', '${EventKind.DocumentsProvided}',
                          '${EventKind.InspectionScheduled}', '${EventKind.InspectionStarted}')))`;
  // the declarations are found by their ids, whatever else has no lane yet
  const text = `WITH a AS (
       SELECT * FROM ROWS FROM (unnest($1::int8[]), unnest($2::text[]), unnest($3::date[]), unnest($4::float8[]),
                                unnest($5::float8[]), unnest($6::text[]), unnest($7::bool[]),
                                jsonb_array_elements($8::jsonb), jsonb_array_elements($9::jsonb), unnest($10::int8[]),
                                jsonb_array_elements($14::jsonb), unnest($15::float8[]), unnest($16::text[]))
         AS a(id, office, day, score, critical, lane, random, reasons, versions, model_id, thresholds, duty, currency)
     )${last}, lanes AS (
       UPDATE declarations d SET lane = a.lane, risk_score = a.score,
         status = CASE WHEN a.lane IN ('green', 'blue') AND a.duty = 0 AND ${nothingPending}
                       THEN '${EventKind.Released}' ELSE d.status END
       FROM ${withLast}
       WHERE d.id = a.id AND ${byId} AND d.status = ANY($${statuses}::text[])
         ${onlyUnassessed ? 'AND d.lane IS NULL' : ''}
       RETURNING d.id, d.status = '${EventKind.Released}' AS released
     ), events AS (
       INSERT INTO declaration_events (declaration_id, seq, kind, actor, data)
       SELECT a.id, ${seq} + e.k, e.kind, CASE WHEN e.k = 0 THEN $11 ELSE 'system' END, e.data
       FROM ${withLast} JOIN lanes l ON l.id = a.id,
         LATERAL (VALUES (0, '${EventKind.Assessed}', jsonb_build_object('lane', a.lane)),
                         (1, '${EventKind.DutiesAssessed}', jsonb_build_object('currency', a.currency, 'duty', a.duty)),
                         (2, '${EventKind.Released}', '{"automatic": true}'::jsonb)) AS e(k, kind, data)
       WHERE e.k < 2 OR l.released
     ), hits AS (
       INSERT INTO profile_hits (profile_id, declaration_id)
       SELECT h.profile_id, h.declaration_id FROM unnest($12::int8[], $13::int8[]) AS h(profile_id, declaration_id)
       WHERE h.declaration_id IN (SELECT id FROM lanes) ORDER BY h.profile_id, h.declaration_id ON CONFLICT DO NOTHING
     )${learned}${counted}, stored AS (
       INSERT INTO risk_assessments (declaration_id, office, day, score, critical, lane, random, reasons, versions, model_id, thresholds)
       SELECT id, office, day, score, critical, lane, random, reasons, versions, model_id, thresholds
       FROM a WHERE a.id IN (SELECT id FROM lanes)
       RETURNING ${brief ? 'id, declaration_id AS "declarationId", assessed_at AS "assessedAt"' : assessmentColumns}
     )
     SELECT stored.*, l.released FROM stored JOIN lanes l ON l.id = stored."declarationId"`;
  const statement = accepted && goods && !onlyUnassessed ? { name: 'assessment_store_accepted', text } : text;
  const stored = await tx.query<StoredAssessment>(statement, params);
  const byDeclaration = new Map(stored.map((a) => [Number(a.declarationId), a]));
  const written = list.flatMap((s): StoredAssessment[] => {
    const a = byDeclaration.get(s.id);
    if (!a) return [];
    if (!brief) return [a];
    const { score, lane, random, reasons, versions } = s.assessment;
    const modelId = s.risk.model?.id ?? null;
    return [
      {
        ...a,
        office: s.office,
        day: s.day,
        score,
        critical: s.critical,
        lane,
        random,
        reasons,
        versions,
        modelId,
        thresholds: s.thresholds,
      },
    ];
  });
  await recordAssessments(tx, written, list, actor);
  return written;
}

/**
 * One ledger entry per stored list: a single assessment names its declaration and lane; a batch
 * names the range of ids and the count per lane (the assessments themselves stay in
 * risk_assessments, in the same transaction).
 */
async function recordAssessments(
  tx: Sql,
  stored: readonly StoredAssessment[],
  list: readonly ToStore[],
  actor: string,
): Promise<void> {
  const [only] = stored;
  if (!only) return;
  if (stored.length === 1) {
    const duty = list.find((s) => s.id === Number(only.declarationId))?.duty;
    await recordChange(tx, {
      actor,
      action: 'declaration.assessed',
      subjectKind: SubjectKind.Declaration,
      subjectId: String(only.declarationId),
      data: {
        lane: only.lane,
        score: only.score,
        random: only.random,
        ...(duty ? { duty: duty.amount, currency: duty.currency } : {}),
        ...(only.released ? { released: true } : {}),
      },
    });
    return;
  }
  const ids = stored.map((a) => Number(a.declarationId));
  const lanes: Record<string, number> = {};
  for (const a of stored) lanes[a.lane] = (lanes[a.lane] ?? 0) + 1;
  const released = stored.filter((a) => a.released).length;
  await recordChange(tx, {
    actor,
    action: 'declarations.assessed',
    subjectKind: SubjectKind.Declarations,
    subjectId: null,
    data: { count: stored.length, firstId: Math.min(...ids), lastId: Math.max(...ids), lanes, released },
  });
}
