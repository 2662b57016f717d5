/**
 * The customs offices in the database: filled from the shipped list at first start, then changed
 * only by administrators, each change on the ledger in its own transaction.
 */
import type { Database, Sql } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { officeProblem, type CustomsOffice } from './offices.ts';

export type OfficeError =
  | { code: 'invalid_office'; message: string }
  | { code: 'office_exists'; message: string }
  | { code: 'office_not_found'; message: string };

const columns = `code, name, country, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom",
  to_char(valid_to, 'YYYY-MM-DD') AS "validTo"`;

/** Every office, by code. */
export function loadOffices(sql: Sql): Promise<CustomsOffice[]> {
  return sql.query<CustomsOffice>(`SELECT ${columns} FROM customs_offices ORDER BY code COLLATE "C"`);
}

/** Fills `customs_offices` from the shipped list when it is empty; returns how many were written. */
export async function storeOffices(db: Database, offices: readonly CustomsOffice[]): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM customs_offices');
  if (row && row.n > 0) return 0;
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE customs_offices IN EXCLUSIVE MODE');
    const [again] = await tx.query<{ n: number }>('SELECT count(*)::int8 AS n FROM customs_offices');
    if (again && again.n > 0) return 0;
    await tx.query(
      `INSERT INTO customs_offices (code, name, country, valid_from, valid_to)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[])`,
      [
        offices.map((o) => o.code),
        offices.map((o) => o.name),
        offices.map((o) => o.country),
        offices.map((o) => o.validFrom),
        offices.map((o) => o.validTo),
      ],
    );
    await recordChange(tx, {
      actor: 'system',
      action: 'customs_offices.loaded',
      subjectKind: SubjectKind.ReferenceData,
      subjectId: 'customs_offices',
      data: { offices: offices.length },
    });
    return offices.length;
  });
}

/** Adds an office; the code must be new. */
export function addOffice(
  db: Database,
  office: CustomsOffice,
  by: string,
  isCountry: (code: string) => boolean,
): Promise<Result<CustomsOffice, OfficeError>> {
  const problem = officeProblem(office, isCountry);
  if (problem) return Promise.resolve(err({ code: 'invalid_office', message: problem }));
  return db.transaction(async (tx) => {
    const [added] = await tx.query<CustomsOffice>(
      `INSERT INTO customs_offices (code, name, country, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code) DO NOTHING RETURNING ${columns}`,
      [office.code, office.name.trim(), office.country, office.validFrom, office.validTo],
    );
    if (!added) return err({ code: 'office_exists', message: `office ${office.code} exists already` });
    await recordChange(tx, {
      actor: by,
      action: 'customs_office.added',
      subjectKind: SubjectKind.ReferenceData,
      subjectId: `customs_office:${added.code}`,
      data: { ...added },
    });
    return ok(added);
  });
}

/** The fields of an office an administrator may change; the code never changes. */
export type OfficeChange = Partial<Omit<CustomsOffice, 'code'>>;

/** Changes an office's name, country or validity (e.g. closing it with `validTo`). */
export function updateOffice(
  db: Database,
  code: string,
  change: OfficeChange,
  by: string,
  isCountry: (code: string) => boolean,
): Promise<Result<CustomsOffice, OfficeError>> {
  return db.transaction(async (tx) => {
    const [current] = await tx.query<CustomsOffice>(
      `SELECT ${columns} FROM customs_offices WHERE code = $1 FOR UPDATE`,
      [code],
    );
    if (!current) return err({ code: 'office_not_found', message: `there is no customs office ${code}` });
    const next: CustomsOffice = { ...current, ...change };
    const problem = officeProblem(next, isCountry);
    if (problem) return err({ code: 'invalid_office', message: problem });
    const [updated] = await tx.query<CustomsOffice>(
      `UPDATE customs_offices SET name = $2, country = $3, valid_from = $4, valid_to = $5, updated_at = now()
       WHERE code = $1 RETURNING ${columns}`,
      [code, next.name.trim(), next.country, next.validFrom, next.validTo],
    );
    if (!updated) throw new Error(`office ${code} vanished under its lock`);
    await recordChange(tx, {
      actor: by,
      action: 'customs_office.updated',
      subjectKind: SubjectKind.ReferenceData,
      subjectId: `customs_office:${code}`,
      data: { before: current, after: updated },
    });
    return ok(updated);
  });
}
