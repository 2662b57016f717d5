/**
 * Declarations in storage. Every read is scoped by the caller's jurisdiction; every state change
 * is one conditional UPDATE, so a double submit cannot slip through.
 */
import type { PreparedStatement, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import {
  firstEvents,
  firstStatus,
  transitionOf,
  type DeclarationEvent,
  type EventKind,
} from './lifecycle.ts';
import type { Declaration, DeclarationInput, Finding, GoodsItem, Status } from './model.ts';
import {
  declarationColumns,
  declarationFromRow,
  headerContentColumns,
  headerContentValues,
  itemColumns,
  itemContentColumns,
  itemContentValues,
  inputFromRow,
  itemFromRow,
  metaValues,
} from './rows.ts';
import { scopeCondition, type Scope } from './scope.ts';

export interface ListFilter {
  /** The functional reference: exactly this one, or every one starting with it (`referenceMatch`). */
  reference?: string;
  referenceMatch?: 'exact' | 'prefix';
  trader?: string;
  declarant?: string;
  status?: Status;
  office?: string;
  lane?: string;
  from?: string;
  to?: string;
  hsPrefix?: string;
  /** Keyset cursor: only declarations with a smaller id (lists run newest first). */
  before?: number;
  limit: number;
}

/** Text matched literally by LIKE: its wildcards and the escape character escaped. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface NewDeclaration {
  input: DeclarationInput;
  findings: Finding[];
  contentHash: string;
  source: string;
  actor: string;
}

/** The SQL type of each item column, for the arrays an item list is sent as. */
const itemTypes: Record<(typeof itemContentColumns)[number], string> = {
  sequence: 'int4',
  hs_code: 'text',
  description: 'text',
  origin_country: 'text',
  net_mass: 'numeric',
  gross_mass: 'numeric',
  supplementary_quantity: 'numeric',
  supplementary_unit: 'text',
  value: 'numeric',
  duty_tax_type: 'text',
  duty_rate: 'numeric',
  package_type: 'text',
  package_count: 'int4',
  origin_indicator: 'text',
};

/**
 * A new declaration in one statement: the header (unless the trader already used the reference),
 * its items from one array per column, and its first events, which are its first: seq 1 and 2. It
 * returns the header as stored, with the stored items as JSON, so nothing is read back.
 */
const insertNew: PreparedStatement = (() => {
  const header = declarationColumns.filter((c) => c !== 'id');
  let n = 0;
  const next = () => `$${++n}`;
  const values = header.map((c) => (c === 'findings' ? `${next()}::jsonb` : next()));
  const items = itemContentColumns.map((c) => `${next()}::${itemTypes[c]}[]`);
  const [actor, lodged, lodgedData, accepted, acceptedData] = [next(), next(), next(), next(), next()];
  return {
    name: 'declaration_insert',
    text: `WITH d AS (
      INSERT INTO declarations (id, ${header.join(', ')})
      VALUES (nextval('declaration_id_seq'), ${values.join(', ')})
      ON CONFLICT (trader_id, functional_reference) DO NOTHING RETURNING *
    ), items AS (
      INSERT INTO declaration_items (${itemColumns.join(', ')})
      SELECT d.id, i.* FROM d, unnest(${items.join(', ')}) AS i(${itemContentColumns.join(', ')})
      RETURNING *
    ), events AS (
      INSERT INTO declaration_events (declaration_id, seq, kind, actor, data)
      SELECT d.id, e.seq, e.kind, ${actor}, e.data
      FROM d, (VALUES (1, ${lodged}::text, ${lodgedData}::jsonb), (2, ${accepted}::text, ${acceptedData}::jsonb))
        AS e(seq, kind, data)
    )
    SELECT d.*, (SELECT coalesce(json_agg(i ORDER BY i.sequence), '[]'::json) FROM items i) AS stored_items FROM d`,
  };
})();
const insertItem = `INSERT INTO declaration_items (${itemColumns.join(', ')})
  VALUES (${itemColumns.map((_, i) => `$${i + 1}`).join(', ')})`;

const metaOf = (d: NewDeclaration, status: Status) => ({
  status,
  contentHash: d.contentHash,
  findings: JSON.stringify(d.findings),
  source: d.source,
  lodgedBy: d.actor,
});

export const declarationsRepository = {
  /**
   * Stores a declaration with its items and first events, in one statement, and records it in the
   * ledger; returns it as stored (as a read would find it), or null if the trader already used the
   * reference.
   */
  async insert(tx: Sql, d: NewDeclaration): Promise<Declaration | null> {
    const [first, second] = firstEvents;
    const items = d.input.items.map(itemContentValues);
    const [row] = await tx.query<Record<string, unknown> & { id: number; stored_items: unknown }>(insertNew, [
      ...headerContentValues(d.input),
      ...metaValues(metaOf(d, firstStatus)),
      ...itemContentColumns.map((_, c) => items.map((values) => values[c] ?? null)),
      d.actor,
      first,
      JSON.stringify({ source: d.source }),
      second,
      d.findings.length ? JSON.stringify({ warnings: d.findings.length }) : null,
    ]);
    if (!row) return null;
    const stored = Array.isArray(row.stored_items) ? (row.stored_items as Record<string, unknown>[]) : [];
    // one ledger entry for lodging and acceptance, which are one change
    await recordChange(tx, {
      actor: d.actor,
      action: 'declaration.lodged',
      subjectKind: SubjectKind.Declaration,
      subjectId: String(row.id),
      data: {
        trader: d.input.trader,
        functionalReference: d.input.functionalReference,
        contentHash: d.contentHash,
        source: d.source,
      },
    });
    return declarationFromRow(row, stored.map(itemFromRow));
  },

  async findByReference(sql: Sql, trader: string, functionalReference: string) {
    const rows = await sql.query<{ id: number; content_hash: string }>(
      'SELECT id, content_hash FROM declarations WHERE trader_id = $1 AND functional_reference = $2',
      [trader, functionalReference],
    );
    return rows[0];
  },

  async findById(sql: Sql, id: number, scope: Scope): Promise<Declaration | undefined> {
    const params: unknown[] = [id];
    const rows = await sql.query(
      `SELECT d.* FROM declarations d WHERE d.id = $1 AND ${scopeCondition(scope, params)}`,
      params,
    );
    const row = rows[0];
    if (!row) return undefined;
    const items = await sql.query(
      'SELECT * FROM declaration_items WHERE declaration_id = $1 ORDER BY sequence',
      [id],
    );
    return declarationFromRow(row, items.map(itemFromRow));
  },

  /**
   * The content of the declarations with these ids, in one statement (their items as one JSON array
   * each): for the services that act on declarations just stored in bulk, in the storing transaction.
   */
  async findInputs(sql: Sql, ids: readonly number[]): Promise<Map<number, DeclarationInput>> {
    if (ids.length === 0) return new Map();
    const rows = await sql.query<Record<string, unknown> & { id: number; items: string | null }>(
      `SELECT d.id, ${headerContentColumns.map((c) => `d.${c}`).join(', ')},
         (SELECT json_agg(i ORDER BY i.sequence) FROM declaration_items i WHERE i.declaration_id = d.id)::text AS items
       FROM declarations d WHERE d.id = ANY($1::int8[]) ORDER BY d.id`,
      [ids],
    );
    return new Map(
      rows.map((r) => {
        const items = r.items === null ? [] : (JSON.parse(r.items) as Record<string, unknown>[]);
        return [Number(r.id), inputFromRow(r, items.map(itemFromRow))];
      }),
    );
  },

  async list(sql: Sql, scope: Scope, f: ListFilter): Promise<Declaration[]> {
    const params: unknown[] = [];
    const where = [scopeCondition(scope, params)];
    const add = (cond: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(cond(`$${params.length}`));
    };
    if (f.reference !== undefined) {
      // ignoring case: references are free text, typed in whatever case the trader uses
      // (lower() both sides, so the index on lower(functional_reference) of migration 0027 serves it)
      if (f.referenceMatch === 'exact')
        add((p) => `lower(d.functional_reference) = lower(${p})`, f.reference);
      else add((p) => `lower(d.functional_reference) LIKE lower(${p})`, `${likeEscaped(f.reference)}%`);
    }
    if (f.trader !== undefined) add((p) => `d.trader_id = ${p}`, f.trader);
    if (f.declarant !== undefined) add((p) => `d.declarant_id = ${p}`, f.declarant);
    if (f.status) add((p) => `d.status = ${p}`, f.status);
    if (f.office) add((p) => `d.office = ${p}`, f.office);
    if (f.lane) add((p) => `d.lane = ${p}`, f.lane);
    if (f.from) add((p) => `d.date >= ${p}`, f.from);
    if (f.to) add((p) => `d.date <= ${p}`, f.to);
    if (f.before !== undefined) add((p) => `d.id < ${p}`, f.before);
    if (f.hsPrefix) {
      add(
        (p) =>
          `EXISTS (SELECT 1 FROM declaration_items i WHERE i.declaration_id = d.id AND i.hs_code LIKE ${p})`,
        `${f.hsPrefix}%`,
      );
    }
    params.push(f.limit);
    const rows = await sql.query(
      `SELECT d.* FROM declarations d WHERE ${where.join(' AND ')} ORDER BY d.id DESC LIMIT $${params.length}`,
      params,
    );
    return this.withItems(sql, rows);
  },

  /** Declarations from their header rows (in the rows' order), their items read in one query. */
  async withItems(sql: Sql, rows: readonly Record<string, unknown>[]): Promise<Declaration[]> {
    if (rows.length === 0) return [];
    const items = await sql.query(
      'SELECT * FROM declaration_items WHERE declaration_id = ANY($1::int8[]) ORDER BY declaration_id, sequence',
      [rows.map((r) => Number(r.id))],
    );
    const byId = new Map<number, GoodsItem[]>();
    for (const it of items) {
      const key = Number(it.declaration_id);
      let list = byId.get(key);
      if (!list) byId.set(key, (list = []));
      list.push(itemFromRow(it));
    }
    return rows.map((r) => declarationFromRow(r, byId.get(Number(r.id)) ?? []));
  },

  async events(sql: Sql, id: number): Promise<DeclarationEvent[]> {
    return sql.query<DeclarationEvent & Record<string, unknown>>(
      'SELECT seq, kind, at, actor, data FROM declaration_events WHERE declaration_id = $1 ORDER BY seq',
      [id],
    );
  },

  /**
   * Appends an event to the declaration's history, records it in the ledger and sets the status the
   * event leaves (lifecycle.ts), in one conditional UPDATE: false, and nothing appended, when the
   * declaration's status does not allow the event (it moved on, or it is gone).
   */
  async appendEvent(
    tx: Sql,
    id: number,
    kind: EventKind,
    actor: string,
    data: Record<string, unknown> | null,
  ): Promise<boolean> {
    const { from, to } = transitionOf(kind);
    const moved = await tx.query(
      `UPDATE declarations SET status = coalesce($3::text, status), updated_at = now()
       WHERE id = $1 AND status = ANY($2::text[]) RETURNING id`,
      [id, from, to],
    );
    if (moved.length === 0) return false;
    await insertEvent(tx, id, kind, actor, data);
    await recordChange(tx, {
      actor,
      action: `declaration.${kind}`,
      subjectKind: SubjectKind.Declaration,
      subjectId: String(id),
      data,
    });
    return true;
  },

  /**
   * Locks the declaration for the rest of the transaction if an event of this kind may be appended
   * to it now; false (and no lock) when its status does not allow the event.
   */
  async lockFor(tx: Sql, id: number, kind: EventKind): Promise<boolean> {
    const rows = await tx.query(
      'SELECT id FROM declarations WHERE id = $1 AND status = ANY($2::text[]) FOR UPDATE',
      [id, transitionOf(kind).from],
    );
    return rows.length > 0;
  },

  /**
   * Replaces the content of a declaration that may be amended, at the expected version; false if it
   * moved on. The status is the amendment event's to set (appendEvent), in the same transaction.
   */
  async replaceContent(tx: Sql, id: number, version: number, d: NewDeclaration): Promise<boolean> {
    const content = headerContentValues(d.input);
    const changes: [string, unknown][] = headerContentColumns.map((c, i) => [c, content[i]]);
    changes.push(['content_hash', d.contentHash], ['findings', JSON.stringify(d.findings)]);
    const updatable = changes.filter(([c]) => c !== 'trader_id' && c !== 'functional_reference');
    const params = [...updatable.map(([, v]) => v), id, version, transitionOf('amended').from];
    const n = params.length;
    const sets = updatable.map(([c], k) => `${c} = $${k + 1}${c === 'findings' ? '::jsonb' : ''}`).join(', ');
    const rows = await tx.query(
      `UPDATE declarations SET ${sets}, version = version + 1, updated_at = now()
       WHERE id = $${n - 2} AND version = $${n - 1} AND status = ANY($${n}::text[]) RETURNING id`,
      params,
    );
    if (rows.length === 0) return false;
    await tx.query('DELETE FROM declaration_items WHERE declaration_id = $1', [id]);
    for (const item of d.input.items) await tx.query(insertItem, [id, ...itemContentValues(item)]);
    return true;
  },
};

async function insertEvent(
  tx: Sql,
  id: number,
  kind: EventKind,
  actor: string,
  data: Record<string, unknown> | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO declaration_events (declaration_id, seq, kind, actor, data)
     VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM declaration_events WHERE declaration_id = $1), $2, $3, $4::jsonb)`,
    [id, kind, actor, data === null ? null : JSON.stringify(data)],
  );
}
