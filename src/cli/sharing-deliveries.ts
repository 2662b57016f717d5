/**
 * `clearway sharing deliveries [--agency CODE] [--limit N] [--json]`: the access log of data
 * sharing, newest first: every feed page and webhook message delivered to partner agencies, with
 * the agreement, channel, fields and how many declarations it held.
 */
import { loadConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { accessLog, type DeliveryEntry } from '../sharing/transparency.ts';
import { parse, positiveInt, UsageError } from './usage.ts';

const agencyCode = /^[A-Z0-9][A-Z0-9_-]{1,19}$/;

const describe = (d: DeliveryEntry) =>
  `${d.deliveredAt}  #${d.id}  ${d.agency}  agreement ${d.agreementId}  ${d.channel}  ${d.declarations} declaration${d.declarations === 1 ? '' : 's'}  by ${d.actor}  fields ${d.fields.join(',')}`;

export async function sharingDeliveriesCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    agency: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (values.agency !== undefined && !agencyCode.test(values.agency))
    throw new UsageError(
      `--agency must be an agency code (capitals, digits, _ or -), got "${values.agency}"`,
    );
  const limit = positiveInt(values.limit, 'limit', 100);
  if (limit > 10_000) throw new UsageError(`--limit must be at most 10000, got ${limit}`);
  const config = loadConfig();
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const log = await accessLog(db, { limit, ...(values.agency ? { agency: values.agency } : {}) });
    process.stdout.write(
      values.json
        ? JSON.stringify({ deliveries: log.items }) + '\n'
        : (log.items.map(describe).join('\n') || 'no deliveries') + '\n',
    );
    return 0;
  } finally {
    await db.close();
  }
}
