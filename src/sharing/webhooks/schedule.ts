/**
 * The server's pushed deliveries: a queuing round every CLEARWAY_SHARING_PUSH_SECONDS (queue.ts)
 * and the sender (sender.ts), woken when a round queues messages. Both stop with the server; with
 * 0 seconds neither runs.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { exchangePolicy } from '../../exchange/endpoint.ts';
import { pseudonymKey } from '../../governance/pseudonyms.ts';
import { queueCovered } from './queue.ts';
import { startWebhookSender } from './sender.ts';
import { webhookSignal } from './signal.ts';

export function startWebhooks(db: Database, config: Config, log: FastifyBaseLogger): () => Promise<void> {
  const pollSeconds = config.sharingPushSeconds;
  if (pollSeconds === 0) return async () => undefined;
  const stopSender = startWebhookSender(
    db,
    {
      retrySeconds: config.exchangeRetrySeconds,
      maxAttempts: config.exchangeMaxAttempts,
      policy: exchangePolicy(config),
    },
    log,
  );
  let stopped = false;
  let running: Promise<void> | null = null;
  const round = async () => {
    const queued = await queueCovered(db, {
      today: new Date().toISOString().slice(0, 10),
      pseudonymKey: () => pseudonymKey(config),
    });
    if (queued > 0) webhookSignal.wake();
  };
  const timer = setInterval(() => {
    if (stopped || running) return;
    running = round()
      .catch((error: unknown) => log.error({ err: error }, 'queuing webhook messages failed'))
      .finally(() => {
        running = null;
      });
  }, pollSeconds * 1000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
    await stopSender();
  };
}
