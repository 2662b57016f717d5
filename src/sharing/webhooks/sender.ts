/**
 * The webhook sender: delivers due messages to their agreements' webhook URLs, signed at each
 * attempt by the Standard Webhooks convention (signature.ts), until the receiver answers 2xx. A
 * failed attempt waits twice as long as the one before (from CLEARWAY_EXCHANGE_RETRY_SECONDS, up to
 * an hour), up to CLEARWAY_EXCHANGE_MAX_ATTEMPTS attempts; a 410 Gone ends it at once. The
 * agreement is read at every attempt: nothing is sent once it is revoked or past its end (the
 * message fails), and a suspended agreement's messages wait. The outbound rules are the exchange's
 * (exchange/endpoint.ts: https, no private address, no redirect, capped answer, timeout). A
 * delivered message is recorded as a delivery (deliveries.ts) and on the ledger, once.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/database.ts';
import { postJson, type EndpointPolicy } from '../../exchange/endpoint.ts';
import { recordDelivery } from '../deliveries.ts';
import { DeliveryChannel } from '../in-force.ts';
import { claimDue, markAttemptFailed, markDelivered, markHeld, type WebhookMessage } from './messages.ts';
import { webhookSignal } from './signal.ts';
import { webhookHeaders } from './signature.ts';

export interface WebhookSenderOptions {
  retrySeconds: number;
  maxAttempts: number;
  policy: EndpointPolicy;
  pollSeconds?: number;
  timeoutSeconds?: number;
  now?: () => Date;
}

const maxDelaySeconds = 3600;
const heldSeconds = 600;
const answerBytes = 16 * 1024;
export const retryDelay = (attempts: number, base: number) =>
  Math.min(maxDelaySeconds, base * 2 ** Math.max(0, attempts - 1));

interface Target {
  status: string;
  validFrom: string;
  validTo: string;
  webhookUrl: string | null;
  delivery: string;
  secret: string | null;
}

async function targetOf(db: Database, agreementId: number): Promise<Target | null> {
  const [row] = await db.query<Target>(
    `SELECT a.status, a.valid_from::text AS "validFrom", a.valid_to::text AS "validTo", a.webhook_url AS "webhookUrl",
            a.delivery, w.secret
     FROM sharing_agreements a LEFT JOIN sharing_webhooks w ON w.agreement_id = a.id WHERE a.id = $1`,
    [agreementId],
  );
  return row ?? null;
}

/** Sends one claimed message; what happened, for tests and logs. */
export async function deliverMessage(
  db: Database,
  message: WebhookMessage,
  options: WebhookSenderOptions,
): Promise<'delivered' | 'held' | 'failed' | 'retry'> {
  const now = (options.now ?? (() => new Date()))();
  const today = now.toISOString().slice(0, 10);
  const fail = async (error: string, status: number | null, permanent: boolean) => {
    await markAttemptFailed(db, message.id, {
      error,
      status,
      delaySeconds: retryDelay(message.attempts, options.retrySeconds),
      permanent,
      maxAttempts: options.maxAttempts,
    });
    return permanent || message.attempts >= options.maxAttempts ? ('failed' as const) : ('retry' as const);
  };
  const target = await targetOf(db, message.agreementId);
  if (!target) return fail(`agreement ${message.agreementId} no longer exists`, null, true);
  if (target.status === 'suspended') {
    await markHeld(db, message.id, `held: agreement ${message.agreementId} is suspended`, heldSeconds);
    return 'held';
  }
  if (target.status !== 'active')
    return fail(`agreement ${message.agreementId} is ${target.status}`, null, true);
  if (today > target.validTo)
    return fail(`agreement ${message.agreementId} ended on ${target.validTo}`, null, true);
  if (today < target.validFrom) {
    await markHeld(
      db,
      message.id,
      `held: agreement ${message.agreementId} starts on ${target.validFrom}`,
      heldSeconds,
    );
    return 'held';
  }
  if (target.delivery === 'feed' || !target.webhookUrl || !target.secret)
    return fail(`agreement ${message.agreementId} is not delivered by webhook`, null, true);
  const timestamp = Math.floor(now.getTime() / 1000);
  let answer: Awaited<ReturnType<typeof postJson>>;
  try {
    answer = await postJson(target.webhookUrl, message.body, {
      policy: options.policy,
      timeoutMs: (options.timeoutSeconds ?? 15) * 1000,
      maxBytes: answerBytes,
      headers: webhookHeaders(target.secret, message.id, timestamp, message.body),
    });
  } catch (error) {
    const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause : error) : null;
    return fail(`not delivered: ${cause ? cause.message : String(error)}`, null, false);
  }
  if (answer.status === 410) return fail('the receiver answered 410 Gone', 410, true);
  if (answer.status < 200 || answer.status >= 300)
    return fail(`answered ${answer.status}: ${answer.text.slice(0, 300)}`, answer.status, false);
  await db.transaction(async (tx) => {
    if (!(await markDelivered(tx, message.id, message.attempts, answer.status))) return;
    await recordDelivery(tx, {
      agreementId: message.agreementId,
      agency: message.agency,
      channel: DeliveryChannel.Webhook,
      fields: message.fields,
      declarationIds: message.declarationIds,
      actor: 'system',
    });
  });
  return 'delivered';
}

/** Starts the sender; returns its stop. */
export function startWebhookSender(
  db: Database,
  options: WebhookSenderOptions,
  log: FastifyBaseLogger,
): () => Promise<void> {
  const timeout = options.timeoutSeconds ?? 15;
  const lease = timeout + 30;
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;

  async function round(): Promise<void> {
    // a claim is delivered even when the sender is stopped meanwhile (stopping waits for it):
    // one left claimed would wait out its lease before any sender tried it again
    while (!stopped) {
      const due = await db.transaction((tx) => claimDue(tx, 10, lease));
      if (due.length === 0) return;
      await Promise.all(
        due.map((m) =>
          deliverMessage(db, m, options).catch((error: unknown) =>
            log.error({ err: error, message: m.id }, 'webhook delivery failed'),
          ),
        ),
      );
    }
  }

  const pollMs = (options.pollSeconds ?? 5) * 1000;
  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = round()
        .catch((error: unknown) => log.error({ err: error }, 'webhook sender failed'))
        .finally(() => {
          running = null;
          schedule(pollMs);
        });
    }, ms);
    timer.unref();
  }
  // woken by a queued or replayed message: a moment later, once its transaction has committed
  webhookSignal.listen(() => {
    if (!running) schedule(50);
  });
  schedule(0);
  return async () => {
    stopped = true;
    webhookSignal.listen(undefined);
    clearTimeout(timer);
    await running;
  };
}
