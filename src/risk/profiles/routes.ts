/** HTTP routes for rule profiles: write a version, submit it, and approve or reject another's. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.ts';
import { IdParams } from '../../declarations/schema.ts';
import { Role, type Actor } from '../../governance/roles.ts';
import { actorOf } from '../../http/auth.ts';
import { HttpError, sendError } from '../../http/errors.ts';
import type { Result } from '../../shared/result.ts';
import { fields } from './fields.ts';
import { operatorsByKind, parseProfile, type ProfileProblem } from './profile.ts';
import { ProfileDetailResponse } from './schema.ts';
import { profilesRepository as repo, type ProfileError, type StoredProfile } from './repository.ts';

const readers = [Role.RiskAnalyst, Role.Supervisor, Role.Auditor] as const;

/**
 * The body of a profile version. The schema names the fields a profile has and refuses any other
 * (400, naming it); `parseProfile` then checks their values and refuses contradictions (422).
 */
const ProfileBody = Type.Object(
  {
    code: Type.Optional(Type.Unknown({ description: 'the profile code, 1-40 characters' })),
    name: Type.Optional(Type.Unknown({ description: '1-200 characters' })),
    lane: Type.Optional(Type.Unknown({ description: 'red, yellow, blue or green' })),
    weight: Type.Optional(Type.Unknown({ description: 'a whole number from 1 to 100' })),
    reason: Type.Optional(Type.Unknown({ description: 'what the officer reads, 1-500 characters' })),
    validFrom: Type.Optional(Type.Unknown({ description: 'YYYY-MM-DD' })),
    validTo: Type.Optional(Type.Unknown({ description: 'YYYY-MM-DD' })),
    conditions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            field: Type.Optional(Type.Unknown({ description: 'GET /api/risk/profiles/fields lists them' })),
            op: Type.Optional(Type.Unknown()),
            value: Type.Optional(Type.Unknown()),
          },
          { additionalProperties: false },
        ),
        { description: '1 to 50 conditions, all of which must hold' },
      ),
    ),
  },
  { additionalProperties: false },
);
const analysts = [Role.RiskAnalyst] as const;

/** What the caller may do next with a profile version. */
export function profileActions(p: StoredProfile, actor: Actor): string[] {
  if (actor.role !== Role.RiskAnalyst) return [];
  const mine = p.createdBy === actor.username;
  if (p.status === 'draft') return mine ? ['submit'] : [];
  if (p.status === 'pending') return mine ? [] : ['approve', 'reject'];
  if (p.status === 'active') return ['retire'];
  return [];
}

/** `changed` is told when the set of active profiles may have changed. */
export async function profileRoutes(app: FastifyInstance, opts: { db: Database; changed?: () => void }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;
  const changed = <T>(result: T): T => {
    opts.changed?.();
    return result;
  };
  const present = (p: StoredProfile, actor: Actor) => ({ ...p, allowed: profileActions(p, actor) });
  const answer = (reply: FastifyReply, result: Result<StoredProfile, ProfileError>, actor: Actor) =>
    result.ok ? present(result.value, actor) : sendError(reply, result.error);
  const refuse = (reply: FastifyReply, problem: ProfileProblem) =>
    sendError(reply, { code: problem.code, message: problem.message, problems: problem.problems });
  /** What makes a stored version unfit to submit or approve: a condition left empty, or none. */
  const stillIncomplete = async (id: number): Promise<ProfileProblem | undefined> => {
    const found = await repo.find(db, id);
    const parsed = found ? parseProfile(found.definition) : undefined;
    return parsed && !parsed.ok && parsed.error.code === 'incomplete_profile' ? parsed.error : undefined;
  };

  r.get(
    '/api/risk/profiles',
    {
      config: { roles: readers },
      schema: {
        tags: ['risk'],
        summary:
          'Rule profiles: the newest version of each and the active ones, with hit statistics; `allowed` says whether the caller may write one',
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return {
        profiles: (await repo.list(db)).map((p) => present(p, actor)),
        // writing a profile, or a new version of one, is not tied to any existing version
        allowed: actor.role === Role.RiskAnalyst ? ['create'] : [],
      };
    },
  );

  r.get(
    '/api/risk/profiles/fields',
    {
      config: { roles: readers },
      schema: {
        tags: ['risk'],
        summary: 'What a profile condition may test: each field with its kind, scope and operators',
      },
    },
    async () => ({
      fields: Object.entries(fields).map(([name, spec]) => ({
        name,
        kind: spec.kind,
        scope: spec.scope,
        operators: operatorsByKind[spec.kind],
      })),
    }),
  );

  r.get(
    '/api/risk/profiles/:id',
    {
      config: { roles: readers },
      schema: {
        tags: ['risk'],
        summary: 'One profile version, with the version of its code in force to compare it with',
        params: IdParams,
        response: { 200: ProfileDetailResponse },
      },
    },
    async (request, reply) => {
      const found = await repo.find(db, request.params.id);
      if (!found) return sendError(reply, { code: 'profile_not_found' });
      const active = await repo.inForce(db, found.code);
      const inForce =
        active && active.id !== found.id
          ? {
              id: active.id,
              version: active.version,
              definition: active.definition,
              decidedBy: active.decidedBy,
              decidedAt: active.decidedAt,
            }
          : null;
      return { ...present(found, actorOf(request)), inForce };
    },
  );

  r.post(
    '/api/risk/profiles',
    {
      config: { roles: analysts },
      schema: {
        tags: ['risk'],
        summary: 'Write a new profile, or a new version of one (same code): it starts as a draft',
        body: ProfileBody,
      },
    },
    async (request, reply) => {
      const parsed = parseProfile(request.body);
      if (!parsed.ok) return refuse(reply, parsed.error);
      const actor = actorOf(request);
      return reply.status(201).send(present(await repo.create(db, parsed.value, actor.username), actor));
    },
  );

  r.post(
    '/api/risk/profiles/:id/submit',
    {
      config: { roles: analysts },
      schema: {
        tags: ['risk'],
        summary: 'Submit your draft for approval by another risk analyst',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      // a draft stored before incomplete conditions were refused is refused here, before review
      const incomplete = await stillIncomplete(request.params.id);
      if (incomplete) return refuse(reply, incomplete);
      return answer(reply, await repo.submit(db, request.params.id, actor.username), actor);
    },
  );

  for (const [verb, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    r.post(
      `/api/risk/profiles/:id/${verb}`,
      {
        config: { roles: analysts },
        schema: {
          tags: ['risk'],
          summary: `${approve ? 'Approve (activate)' : 'Reject'} another analyst's pending profile; the body, if any, is { note }`,
          params: IdParams,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const note = decisionNote(request.body);
        const incomplete = approve ? await stillIncomplete(request.params.id) : undefined;
        if (incomplete) return refuse(reply, incomplete);
        const decided = changed(await repo.decide(db, request.params.id, actor.username, approve, note));
        return answer(reply, decided, actor);
      },
    );
  }

  r.post(
    '/api/risk/profiles/:id/retire',
    {
      config: { roles: analysts },
      schema: { tags: ['risk'], summary: 'Retire an active profile', params: IdParams },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return answer(reply, changed(await repo.retire(db, request.params.id, actor.username)), actor);
    },
  );
}

/** The optional body of a decision: nothing, or `{ note }` with a note of at most 1,000 characters. */
function decisionNote(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  const keys = typeof body === 'object' ? Object.keys(body) : ['?'];
  const note = (body as { note?: unknown }).note;
  if (
    keys.some((k) => k !== 'note') ||
    (note !== undefined && (typeof note !== 'string' || note.length > 1000))
  ) {
    throw new HttpError(
      'invalid_request',
      'the body of a decision is empty or { "note": "..." } with at most 1,000 characters',
    );
  }
  return typeof note === 'string' ? note : null;
}
