/**
 * The sender: delivers due outbox messages to their partners' inboxes, each signed at its attempt,
 * until acknowledged; a failed attempt waits twice as long as the one before (from
 * CLEARWAY_EXCHANGE_RETRY_SECONDS, up to an hour), up to CLEARWAY_EXCHANGE_MAX_ATTEMPTS attempts,
 * after which the message is `failed`; so is one the partner refuses for good (401, 403, 409, 422).
 * A message waits while the agreement is not in force. An answer counts as an acknowledgement only
 * when it is a 2xx (redirects are not followed) whose JSON names this message, the receiver and the
 * status `received`. Each acknowledgement is recorded in the ledger once.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.ts';
import { SubjectKind } from '../governance/ledger/entry.ts';
import { recordChange } from '../governance/ledger/record.ts';
import { signMessage } from './envelope.ts';
import type { ExchangeIdentity } from './identity.ts';
import { postJson, type EndpointPolicy } from './endpoint.ts';
import { claimDue, markAcknowledged, markFailed, markHeld, type OutboxMessage } from './outbox.ts';
import { findPartner, inForce } from './partners.ts';
import { onQueued } from './sender-signal.ts';

export interface SenderOptions {
  retrySeconds: number;
  /** Seconds between looks at the outbox when nothing wakes the sender. */
  pollSeconds?: number;
  /** How long one delivery may take. */
  timeoutSeconds?: number;
  /** Attempts after which an undelivered message is `failed`. */
  maxAttempts?: number;
  policy: EndpointPolicy;
  now?: () => Date;
}

/** The most of a partner's answer read. */
export const maxAnswerBytes = 64 * 1024;
/** Answers after which trying again cannot help: the message is `failed`. */
const permanentStatuses = new Set([401, 403, 409, 422]);

/** What is wrong with an answer taken as the acknowledgement of `message`, or null. */
export function acknowledgementProblem(
  answer: unknown,
  message: { id: string; receiver: string },
): string | null {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer))
    return 'the acknowledgement is not a JSON object';
  const a = answer as Record<string, unknown>;
  if (a.messageId !== message.id)
    return `the acknowledgement names message ${String(a.messageId)}, not ${message.id}`;
  if (a.receiver !== message.receiver)
    return `the acknowledgement names receiver ${String(a.receiver)}, not ${message.receiver}`;
  if (a.status !== 'received') return `the acknowledgement's status is ${String(a.status)}, not received`;
  return null;
}

const maxDelaySeconds = 3600;
/** How long a message waits before its agreement is looked at again while it is not in force. */
const heldSeconds = 3600;
export const retryDelay = (attempts: number, base: number) =>
  Math.min(maxDelaySeconds, base * 2 ** Math.max(0, attempts - 1));

/** Starts the sender; returns its stop. */
export function startSender(
  db: Database,
  identity: ExchangeIdentity,
  options: SenderOptions,
  log: FastifyBaseLogger,
): () => Promise<void> {
  const administration = identity.administration;
  if (administration === undefined) return async () => undefined;
  const timeout = (options.timeoutSeconds ?? 30) * 1000;
  // a claimed message is left alone for the delivery's timeout and a margin, then claimed again
  const lease = Math.ceil(timeout / 1000) + 30;
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;

  async function deliver(message: OutboxMessage): Promise<void> {
    const partner = await findPartner(db, message.receiver);
    const fail = (error: string, permanent = false) =>
      markFailed(db, message.id, error, retryDelay(message.attempts, options.retrySeconds), {
        permanent,
        maxAttempts: options.maxAttempts ?? 20,
      });
    if (!partner) return fail(`partner ${message.receiver} is no longer registered`);
    const now = (options.now ?? (() => new Date()))();
    const today = now.toISOString().slice(0, 10);
    if (!partner.messageTypes.includes(message.type))
      return fail(`the agreement with ${partner.code} does not cover ${message.type}`, true);
    if (!inForce(partner, today))
      return markHeld(
        db,
        message.id,
        `held: the agreement ${partner.agreementRef} with ${partner.code} is not in force on ${today}`,
        heldSeconds,
      );
    const envelope = signMessage(
      {
        id: message.id,
        sender: administration as string,
        receiver: message.receiver,
        type: message.type,
        timestamp: now.toISOString(),
        contentType: message.contentType,
      },
      message.payload,
      await identity.signer(),
    );
    let answer: Awaited<ReturnType<typeof postJson>>;
    try {
      answer = await postJson(partner.endpoint, JSON.stringify(envelope), {
        policy: options.policy,
        timeoutMs: timeout,
        maxBytes: maxAnswerBytes,
      });
    } catch (error) {
      return fail(
        `not delivered: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`,
      );
    }
    const text = answer.text;
    if (answer.status >= 300 && answer.status < 400)
      return fail(`answered with a redirect (${answer.status}), which is not followed`);
    if (answer.status < 200 || answer.status >= 300)
      return fail(
        `refused with ${answer.status}: ${text.slice(0, 500)}`,
        permanentStatuses.has(answer.status),
      );
    if (answer.truncated) return fail(`acknowledged with a body larger than ${maxAnswerBytes} bytes`);
    let acknowledgement: unknown;
    try {
      acknowledgement = JSON.parse(text);
    } catch {
      return fail(`acknowledged with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    const problem = acknowledgementProblem(acknowledgement, message);
    if (problem) return fail(problem);
    await db.transaction(async (tx) => {
      if (!(await markAcknowledged(tx, message.id, message.attempts, acknowledgement))) return;
      await recordChange(tx, {
        actor: 'system',
        action: 'exchange_message.sent',
        subjectKind: SubjectKind.ExchangeMessage,
        subjectId: message.id,
        data: {
          receiver: message.receiver,
          type: message.type,
          declarationId: message.declarationId,
          attempts: message.attempts,
        },
      });
    });
  }

  async function round(): Promise<void> {
    // a claim is delivered even when the sender is stopped meanwhile (stopping waits for it):
    // one left claimed would wait out its lease before any sender tried it again
    while (!stopped) {
      const due = await db.transaction((tx) => claimDue(tx, 10, lease));
      if (due.length === 0) return;
      await Promise.all(
        due.map((m) =>
          deliver(m).catch((error: unknown) =>
            log.error({ err: error, message: m.id }, 'exchange delivery failed'),
          ),
        ),
      );
    }
  }

  const pollMs = (options.pollSeconds ?? 2) * 1000;
  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) return schedule(pollMs);
      running = round()
        .catch((error: unknown) => log.error({ err: error }, 'exchange sender failed'))
        .finally(() => {
          running = null;
          schedule(pollMs);
        });
    }, ms);
    timer.unref();
  }
  // woken by a queued message: a moment later, once the transaction that queued it has committed
  onQueued(() => schedule(50));
  schedule(0);
  return async () => {
    stopped = true;
    onQueued(undefined);
    clearTimeout(timer);
    await running;
  };
}
