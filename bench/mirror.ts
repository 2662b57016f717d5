/**
 * `npm run bench:mirror`: what matching costs (ADR 0024), in process, on PGlite and, with
 * DATABASE_URL, on PostgreSQL. The inbox holds BENCH_WAITING (20,000) export messages waiting for
 * their imports, with their matching keys; then imports are lodged through the declaration service
 * with the exchange hook, half of them taking a waiting message by UCR (and assessed with the
 * finding), the other half finding none; and messages are matched at receipt against the imports.
 *
 * One JSON line per measurement: `lodge` (lodging an import without a partner: no matching) and
 * `lodge+match` (with a partner in force: the shared lock and the waiting-message queries; none
 * waiting, or one matched and its gaps stored), p50 and p99 in ms; `match-at-receipt`, matches per second of messages against lodged imports.
 */
import { randomUUID } from 'node:crypto';
import type { DeclarationInput } from '../src/declarations/model.ts';
import { createDeclarationService } from '../src/declarations/service.ts';
import type { DeclarationDraft } from '../src/declarations/validate/index.ts';
import { matchKeys, matchReceived } from '../src/exchange/matching.ts';
import { exportPayload } from '../src/exchange/payload.ts';
import { parseWcoMessage } from '../src/declarations/formats/wco-xml/index.ts';
import { Role } from '../src/governance/roles.ts';
import { aDeclaration, openTestContext, testTrader, type StorageTarget } from '../src/testing/harness.ts';
import { mirrorReassessment } from '../src/risk/mirror-reassessment.ts';

const waiting = Number(process.env.BENCH_WAITING ?? 20_000);
const runs = Number(process.env.BENCH_RUNS ?? 400);

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const line = (storage: string, what: string, ms: number[]) =>
  process.stdout.write(
    JSON.stringify({
      storage,
      what,
      runs: ms.length,
      p50: +percentile(ms, 50).toFixed(2),
      p99: +percentile(ms, 99).toFixed(2),
    }) + '\n',
  );

async function run(storage: StorageTarget) {
  const ctx = await openTestContext(storage, { CLEARWAY_ADMINISTRATION: 'KR', CLEARWAY_RANDOM_SHARE: '0' });
  try {
    const payload = exportPayload(
      aDeclaration({
        type: 'EX',
        procedure: '1000',
        destinationCountry: 'KR',
        ucr: 'X',
      }) as unknown as DeclarationInput,
    );
    const read = parseWcoMessage(payload.toString('utf8'));
    if (!read.ok) throw new Error('the bench payload does not read');
    const keys = matchKeys(read.value.draft);
    await ctx.db.query(
      `INSERT INTO exchange_inbox (sender, id, type, sent_at, content_type, payload, payload_sha256, signature,
         acknowledgement, ucr, exporter_keys, importer_key, hs6, export_date, currency, export_value, hs_chapter)
       SELECT 'NL', gen_random_uuid(), 'export_declarations', now(), 'application/xml', $1, '', '', '{"receiver":"KR"}'::jsonb,
         'BENCH-UCR-' || g, $2::text[], 'IMPORTER-' || g, $3::text[], $4::date, $5, $6, $7
       FROM generate_series(1, $8::int) g`,
      [
        payload,
        keys.exporterKeys,
        keys.hs6,
        keys.exportDate,
        keys.currency,
        keys.exportValue,
        keys.hsChapter,
        waiting,
      ],
    );
    const actor = { userId: 0, username: 'bench', role: Role.Trader, partyId: testTrader, offices: [] };
    const timedService = (hook: boolean) => {
      const service = createDeclarationService({
        db: ctx.db,
        validation: () => ctx.validation(),
        risk: ctx.risk,
        ...(hook ? { exchange: ctx.exchange.hook } : {}),
      });
      return async (n: number, ucr: (i: number) => string) => {
        const ms: number[] = [];
        for (let i = 0; i < n; i++) {
          const t = performance.now();
          const r = await service.lodge(
            actor,
            aDeclaration({ ucr: ucr(i), dispatchCountry: 'NL' }) as DeclarationDraft,
          );
          ms.push(performance.now() - t);
          if (!r.ok) throw new Error(JSON.stringify(r.error).slice(0, 300));
        }
        return ms;
      };
    };
    line(storage, 'lodge', (await timedService(false)(runs, (i) => `NONE-${i}`)).slice(50));
    await ctx.db.query(
      `INSERT INTO exchange_partners (code, name, endpoint, public_key, message_types, agreement_ref, valid_from,
         proposed_by, confirmed_by, confirmed_at)
       VALUES ('NL', 'Customs NL', 'https://nl.example/api/exchange/inbox', 'x', '{export_declarations}', 'MoU', '2026-01-01', 'a', 'b', now())`,
    );
    await ctx.exchange.partners.reload();
    const matched = await timedService(true)(runs, (i) => (i % 2 ? `BENCH-UCR-${i}` : `NONE-M-${i}`));
    line(storage, 'lodge+match (none waiting)', matched.filter((_, i) => i % 2 === 0).slice(25));
    line(storage, 'lodge+match (one waiting, matched)', matched.filter((_, i) => i % 2 === 1).slice(25));
    const [count] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM exchange_matches');
    process.stdout.write(JSON.stringify({ storage, what: 'matched at lodging', matches: count?.n }) + '\n');

    // messages arriving for imports already lodged
    const imports = await timedService(true)(runs, (i) => `LATE-${i}`);
    void imports;
    const matching = { settings: ctx.exchange.mirror, ...mirrorReassessment(ctx.risk) };
    const t = performance.now();
    for (let i = 0; i < runs; i++) {
      const id = randomUUID();
      await ctx.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO exchange_inbox (sender, id, type, sent_at, content_type, payload, payload_sha256, signature,
             acknowledgement, ucr) VALUES ('NL', $1, 'export_declarations', now(), 'application/xml', $2, '', '', '{"receiver":"KR"}'::jsonb, $3)`,
          [id, payload, `LATE-${i}`],
        );
        const m = await matchReceived(
          tx,
          { sender: 'NL', id },
          { ...keys, ucr: `LATE-${i}` },
          matching.settings,
          matching.load,
          'bench',
        );
        if (!m) throw new Error(`LATE-${i} was not matched`);
        await matching.matched(tx, m);
      });
    }
    const seconds = (performance.now() - t) / 1000;
    process.stdout.write(
      JSON.stringify({ storage, what: 'match-at-receipt', perSecond: Math.round(runs / seconds) }) + '\n',
    );
  } finally {
    await ctx.dispose();
  }
}

await run('pglite');
if (process.env.DATABASE_URL) await run('postgres');
