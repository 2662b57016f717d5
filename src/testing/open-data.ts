/** Accepted declarations with one item each, stored straight in the tables a release of trade statistics reads. */
import type { Sql } from '../db/database.ts';

export interface Goods {
  type?: 'IM' | 'EX';
  trader: string;
  hs: string;
  country: string;
  value: number;
  date?: string;
  currency?: string;
  status?: string;
}

let serial = 0;
/** Stores an accepted declaration with one item straight in the tables the release reads. */
export async function storeGoods(sql: Sql, g: Goods): Promise<void> {
  const type = g.type ?? 'IM';
  const [row] = await sql.query<{ id: number }>(
    `INSERT INTO declarations (type, functional_reference, trader_id, declarant_id, date, office, currency, procedure,
       origin_country, destination_country, status, content_hash, source, lodged_by)
     VALUES ($1, $2, $3, $3, $4::date, '030', $5, $6, $7, $8, $9, 'x', 'test', 'test') RETURNING id::int AS id`,
    [
      type,
      `OPEN-${process.pid}-${++serial}`,
      g.trader,
      g.date ?? '2026-10-15',
      g.currency ?? 'USD',
      type === 'IM' ? '4000' : '1000',
      type === 'IM' ? g.country : null,
      type === 'EX' ? g.country : null,
      g.status ?? 'accepted',
    ],
  );
  await sql.query(
    `INSERT INTO declaration_items (declaration_id, sequence, hs_code, net_mass, supplementary_quantity, value)
     VALUES ($1, 1, $2, 10.5, 2, $3)`,
    [row?.id, g.hs, g.value],
  );
}
