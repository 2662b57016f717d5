/**
 * Releases of public trade statistics (ADR 0031): prepared by a risk analyst (tables, primary and
 * secondary suppression, stored with the pattern), approved or rejected by a supervisor who did not
 * prepare it, then published: its files made once, their checksums in a manifest signed by the
 * administration's key. A published release never changes (the database refuses it); a correction
 * is the next version of the same name, saying what it corrects. Every step is on the ledger, in
 * the transaction that makes it; every step is one conditional UPDATE, so a double click cannot
 * slip through.
 */
import type { Database, Sql } from '../db/database.ts';
import { copyLine } from '../db/copy-text.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import type { LedgerSigner } from '../governance/ledger/signing.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { readContributions, type ReleaseScope } from './contributions.ts';
import { protectTables, type DisclosureSummary } from './disclosure.ts';
import { parameterProblem, type DisclosureParameters } from './parameters.ts';
import { manifestOf, releaseFiles, type ReleaseFacts, type StoredCell } from './publication.ts';
import { tableName } from './table.ts';

export const ReleaseStatus = {
  Prepared: 'prepared',
  Approved: 'approved',
  Rejected: 'rejected',
  Published: 'published',
} as const;
export type ReleaseStatus = (typeof ReleaseStatus)[keyof typeof ReleaseStatus];

export interface Release {
  id: number;
  name: string;
  version: number;
  periodFrom: string;
  periodTo: string;
  currency: string;
  parameters: DisclosureParameters;
  summary: DisclosureSummary;
  corrects: number | null;
  correctionNote: string | null;
  status: ReleaseStatus;
  preparedBy: string;
  preparedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  manifest: string | null;
  signature: string | null;
  keyId: string | null;
  publicKey: string | null;
}

export type ReleaseError =
  | { code: 'invalid_release'; message: string }
  | { code: 'release_not_found'; message: string }
  | { code: 'four_eyes'; message: string }
  | { code: 'action_not_allowed'; message: string };

export interface PrepareRequest extends ReleaseScope {
  parameters: DisclosureParameters;
  /** Required when a version of the same release is published: what the new version corrects. */
  correctionNote?: string;
}

const columns = `id::int AS id, name, version, period_from AS "periodFrom", period_to AS "periodTo", currency, parameters, summary,
  corrects, correction_note AS "correctionNote", status, prepared_by AS "preparedBy", prepared_at AS "preparedAt",
  decided_by AS "decidedBy", decided_at AS "decidedAt", decision_note AS "decisionNote", published_by AS "publishedBy",
  published_at AS "publishedAt", manifest, signature, key_id AS "keyId", public_key AS "publicKey"`;

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
const monthsBetween = (from: string, to: string) => {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
};

export const releaseName = (from: string, to: string) =>
  from === to ? `trade-${from}` : `trade-${from}-to-${to}`;

function requestProblem(r: PrepareRequest): string | null {
  if (!monthPattern.test(r.from)) return `from must be a month as YYYY-MM, got "${r.from}"`;
  if (!monthPattern.test(r.to)) return `to must be a month as YYYY-MM, got "${r.to}"`;
  const months = monthsBetween(r.from, r.to);
  if (months < 1) return 'to must not be before from';
  if (months > 12) return 'a release covers at most 12 months';
  if (!/^[A-Z]{3}$/.test(r.currency)) return `currency must be an ISO 4217 code, got "${r.currency}"`;
  return parameterProblem(r.parameters);
}

export async function findRelease(sql: Sql, id: number): Promise<Release | null> {
  return (await sql.query<Release>(`SELECT ${columns} FROM open_releases WHERE id = $1`, [id]))[0] ?? null;
}

export async function findPublished(sql: Sql, name: string, version: number): Promise<Release | null> {
  const rows = await sql.query<Release>(
    `SELECT ${columns} FROM open_releases WHERE name = $1 AND version = $2 AND status = 'published'`,
    [name, version],
  );
  return rows[0] ?? null;
}

/** Every release (published only, for the public), newest first. */
export async function listReleases(sql: Sql, publishedOnly: boolean): Promise<Release[]> {
  return sql.query<Release>(
    `SELECT ${columns} FROM open_releases ${publishedOnly ? "WHERE status = 'published'" : ''} ORDER BY id DESC LIMIT 500`,
  );
}

export async function prepareRelease(
  db: Database,
  request: PrepareRequest,
  actor: string,
): Promise<Result<Release, ReleaseError>> {
  const problem = requestProblem(request);
  if (problem) return err({ code: 'invalid_release', message: problem });
  const name = releaseName(request.from, request.to);
  const contributions = await readContributions(db, request);
  const { tables, summary } = protectTables(contributions, request.parameters);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`open_release:${name}`]);
    const versions = await tx.query<{ version: number; status: ReleaseStatus }>(
      'SELECT version, status FROM open_releases WHERE name = $1 ORDER BY version DESC',
      [name],
    );
    if (versions.some((v) => v.status === ReleaseStatus.Prepared || v.status === ReleaseStatus.Approved))
      return err({
        code: 'action_not_allowed',
        message: `a version of ${name} is waiting for approval or publication`,
      });
    const published = versions.find((v) => v.status === ReleaseStatus.Published);
    const note = request.correctionNote?.trim() || null;
    if (published && !note)
      return err({
        code: 'invalid_release',
        message: `${name} version ${published.version} is published: say what the new version corrects (correctionNote)`,
      });
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO open_releases (name, version, period_from, period_to, currency, parameters, summary, corrects,
         correction_note, status, prepared_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'prepared', $10) RETURNING id::int AS id`,
      [
        name,
        (versions[0]?.version ?? 0) + 1,
        request.from,
        request.to,
        request.currency,
        JSON.stringify(request.parameters),
        JSON.stringify(summary),
        published?.version ?? null,
        published ? note : null,
        actor,
      ],
    );
    if (!row) throw new Error('the release was not stored');
    const lines: string[] = [];
    for (const t of tables)
      for (const c of t.cells.values())
        lines.push(
          copyLine([
            row.id,
            tableName(t.key),
            t.rows[c.row]?.code,
            t.cols[c.col],
            c.value,
            c.netMass,
            t.rows[c.row]?.level === 3 ? c.supplementary : null,
            c.declarations,
            c.traders,
            c.status,
            c.reason,
          ]),
        );
    if (lines.length > 0)
      await tx.copyIn(
        'open_release_cells',
        [
          'release_id',
          'table_name',
          'hs',
          'partner',
          'value',
          'net_mass',
          'supplementary',
          'declarations',
          'traders',
          'status',
          'reason',
        ],
        lines.join(''),
      );
    await recordChange(tx, {
      actor,
      action: 'open_release.prepared',
      subjectKind: SubjectKind.OpenRelease,
      subjectId: String(row.id),
      data: { name, version: (versions[0]?.version ?? 0) + 1, parameters: request.parameters, summary },
    });
    const stored = await findRelease(tx, row.id);
    if (!stored) throw new Error('the release was not stored');
    return ok(stored);
  });
}

export async function decideRelease(
  db: Database,
  id: number,
  decision: 'approve' | 'reject',
  actor: string,
  note: string | null,
): Promise<Result<Release, ReleaseError>> {
  return db.transaction(async (tx) => {
    const current = await findRelease(tx, id);
    if (!current) return err({ code: 'release_not_found', message: `no release ${id}` });
    if (current.preparedBy === actor)
      return err({
        code: 'four_eyes',
        message: 'a release is approved or rejected by another person than the one who prepared it',
      });
    const status = decision === 'approve' ? ReleaseStatus.Approved : ReleaseStatus.Rejected;
    const changed = await tx.query(
      `UPDATE open_releases SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4
       WHERE id = $1 AND status = 'prepared' AND prepared_by <> $3 RETURNING id`,
      [id, status, actor, note],
    );
    if (changed.length === 0)
      return err({
        code: 'action_not_allowed',
        message: `release ${id} is ${current.status}, not waiting for a decision`,
      });
    await recordChange(tx, {
      actor,
      action: `open_release.${status}`,
      subjectKind: SubjectKind.OpenRelease,
      subjectId: String(id),
      data: { name: current.name, version: current.version, note },
    });
    return ok((await findRelease(tx, id)) ?? current);
  });
}

const cellColumns = `c.table_name AS "tableName", split_part(c.table_name, '-', 1) AS flow,
  substr(c.table_name, length(split_part(c.table_name, '-', 1)) + 2, 7) AS month,
  substr(c.table_name, length(split_part(c.table_name, '-', 1)) + 10) AS procedure,
  c.hs, c.partner, c.value::float8 AS value, c.net_mass::float8 AS "netMass", c.supplementary::float8 AS supplementary,
  c.declarations::float8 AS declarations, c.status, c.traders, c.reason`;

/** The release's cells, whole or one table, in table, HS and partner order (TOTAL first). */
export async function releaseCells(
  sql: Sql,
  id: number,
  table?: string,
): Promise<(StoredCell & { traders: number; reason: string | null })[]> {
  return sql.query(
    `SELECT ${cellColumns} FROM open_release_cells c WHERE c.release_id = $1 AND ($2::text IS NULL OR c.table_name = $2)
     ORDER BY c.table_name, c.hs <> 'TOTAL', c.hs COLLATE "C", c.partner <> 'TOTAL', c.partner COLLATE "C"`,
    [id, table ?? null],
  );
}

export async function publishRelease(
  db: Database,
  id: number,
  actor: string,
  signer: LedgerSigner,
  agency: string,
): Promise<Result<Release, ReleaseError>> {
  return db.transaction(async (tx) => {
    const current = await findRelease(tx, id);
    if (!current) return err({ code: 'release_not_found', message: `no release ${id}` });
    if (current.status !== ReleaseStatus.Approved)
      return err({
        code: 'action_not_allowed',
        message: `release ${id} is ${current.status}; only an approved release is published`,
      });
    const [{ now } = { now: new Date().toISOString() }] = await tx.query<{ now: string }>(
      `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now`,
    );
    const facts: ReleaseFacts = {
      name: current.name,
      version: current.version,
      periodFrom: current.periodFrom,
      periodTo: current.periodTo,
      currency: current.currency,
      parameters: current.parameters,
      corrects: current.corrects,
      correctionNote: current.correctionNote,
      publishedAt: now,
      agency,
    };
    const files = releaseFiles(facts, await releaseCells(tx, id));
    const manifest = manifestOf(facts, files);
    const signature = signer.sign(Buffer.from(manifest, 'utf8'));
    for (const f of files)
      await tx.query(
        'INSERT INTO open_release_files (release_id, name, media_type, content, sha256) VALUES ($1, $2, $3, $4, $5)',
        [id, f.name, f.mediaType, f.content, f.sha256],
      );
    const changed = await tx.query(
      `UPDATE open_releases SET status = 'published', published_by = $2, published_at = $3::timestamptz, manifest = $4,
         signature = $5, key_id = $6, public_key = $7
       WHERE id = $1 AND status = 'approved' RETURNING id`,
      [id, actor, now, manifest, signature, signer.keyId, signer.publicKeyPem],
    );
    if (changed.length === 0)
      return err({ code: 'action_not_allowed', message: `release ${id} is no longer approved` });
    await recordChange(tx, {
      actor,
      action: 'open_release.published',
      subjectKind: SubjectKind.OpenRelease,
      subjectId: String(id),
      data: {
        name: current.name,
        version: current.version,
        keyId: signer.keyId,
        files: files.map((f) => ({ name: f.name, sha256: f.sha256 })),
      },
    });
    return ok((await findRelease(tx, id)) ?? current);
  });
}

export interface StoredFile {
  mediaType: string;
  content: Buffer;
  sha256: string;
}

export async function releaseFile(sql: Sql, id: number, name: string): Promise<StoredFile | null> {
  const rows = await sql.query<StoredFile>(
    'SELECT media_type AS "mediaType", content, sha256 FROM open_release_files WHERE release_id = $1 AND name = $2',
    [id, name],
  );
  return rows[0] ?? null;
}

export async function releaseFileList(
  sql: Sql,
  id: number,
): Promise<{ name: string; mediaType: string; bytes: number; sha256: string }[]> {
  return sql.query(
    `SELECT name, media_type AS "mediaType", octet_length(content)::int AS bytes, sha256 FROM open_release_files
     WHERE release_id = $1 ORDER BY name COLLATE "C"`,
    [id],
  );
}
