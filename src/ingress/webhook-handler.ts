import { finished } from 'node:stream';
import type { Context } from 'koa';
import { AppError, isAppError } from '../errors/app-error.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { BodyByteBudget } from './body-byte-budget.js';
import { closeAfterResponse } from './close-after-response.js';
import { checkWebhookContentType } from './check-webhook-content-type.js';
import { parseWebhookPayload, type WebhookContentType } from './parse-webhook-payload.js';
import { readRawBody } from './read-raw-body.js';
import type { RequestRateLimit } from './request-rate-limit.js';
import type { ReplayGuard } from './replay-guard.js';
import { signedBodyDigest } from './verify-signature.js';

export interface WebhookRouteOptions {
  secrets: readonly string[];
  maxBodyBytes: number;
  /** Bounds the body bytes all requests in flight hold; over it, 503 + Retry-After. */
  bodyBudget?: BodyByteBudget;
  rateLimit: RequestRateLimit;
  metrics: Metrics;
  /** Throws `stale_event` for a payload whose event time is too old (see createEventAgeRule). */
  checkEventAge: (event: string, payload: Record<string, unknown>) => void;
  /** Publishes the delivery, storing each signed body at most once (see createReplayGuard). */
  replayGuard: ReplayGuard;
  /** Log every accepted delivery at debug level (LOG_LEVEL=debug or trace). */
  debugLog?: boolean;
}

const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** The 202 body: accepted, the delivery and event, and where the message went (or that it was a duplicate). */
export interface AcceptedBody {
  status: 'accepted';
  delivery_id: string;
  event_type: string;
  result: { status: 'queued' | 'duplicate'; stream: string; seq: number };
}

/** Every `outcome` of orchestrator_webhook_requests_total: the 202 kinds and each error code the route answers. */
export const WEBHOOK_OUTCOMES = [
  'accepted',
  'duplicate',
  'replay_suspected',
  'bad_request',
  'stale_event',
  'invalid_signature',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'internal_error',
] as const;

/** The `event` label of a request whose X-GitHub-Event header is missing or malformed. */
export const UNKNOWN_EVENT = 'unknown';

/** The webhook receiver's path. */
export const WEBHOOK_PATH = '/api/v1/webhooks/github';

/**
 * POST /api/v1/webhooks/github: rate limit, bounded raw read, content type, headers, signature
 * over the raw bytes, parse, event age, then the publish that is also the replay check, awaiting
 * the PubAck — in that order, so nothing unauthenticated is parsed and nothing unacknowledged is
 * answered 202.
 */
export function createWebhookHandler(options: WebhookRouteOptions) {
  const { metrics } = options;
  return async function receiveWebhook(ctx: Context): Promise<void> {
    const started = process.hrtime.bigint();
    const eventHeader = ctx.get('x-github-event');
    const eventLabel = EVENT_NAME.test(eventHeader) ? eventHeader : UNKNOWN_EVENT;
    let outcome = 'internal_error';
    try {
      await handle(ctx, options);
      outcome = String(ctx.state.outcome);
    } catch (error) {
      if (isAppError(error)) outcome = error.code;
      throw error;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.webhookRequests.inc({ event: eventLabel, outcome });
      metrics.webhookRequestDuration.observe({ event: eventLabel, outcome }, seconds);
    }
  };
}

async function handle(ctx: Context, options: WebhookRouteOptions): Promise<void> {
  // Read on use only: the request's child logger is made the first time something is logged.
  const log = () => ctx.state.log as Logger;
  const limited = options.rateLimit.check(ctx.ip);
  if (limited) {
    ctx.req.resume();
    throw new AppError('rate_limited', `too many webhook requests (${limited.scope} limit)`, {
      retryAfterSeconds: limited.retryAfterSeconds,
    });
  }

  let body: Buffer;
  // Held until the answer is sent or the connection is gone: the body lives as long as the request.
  const account = options.bodyBudget?.open();
  if (account) finished(ctx.res, () => account.release());
  try {
    body = await readRawBody(ctx.req, { limit: options.maxBodyBytes, account });
  } catch (error) {
    // Both refusals leave the body unread: answer, then close once the sender is done.
    if (isAppError(error) && (error.code === 'payload_too_large' || error.code === 'unavailable')) closeAfterResponse(ctx.req, ctx.res);
    throw error;
  }

  const contentType = checkWebhookContentType(ctx.get('content-type'));
  const deliveryId = ctx.get('x-github-delivery');
  const event = ctx.get('x-github-event');
  if (!DELIVERY_ID.test(deliveryId)) throw new AppError('bad_request', 'missing or malformed X-GitHub-Delivery header');
  if (!EVENT_NAME.test(event)) throw new AppError('bad_request', 'missing or malformed X-GitHub-Event header');

  const signature = ctx.get('x-hub-signature-256');
  if (!signature) throw new AppError('invalid_signature', 'missing X-Hub-Signature-256 header');
  const digest = signedBodyDigest(options.secrets, body, signature);
  if (digest === undefined) throw new AppError('invalid_signature', 'X-Hub-Signature-256 does not match the payload');

  // Only the action and the bytes travel on: the parsed document is garbage before the first await.
  const { action, payloadBytes } = parseChecked(body, contentType, event, options.checkEventAge);

  // One JetStream round trip decides and stores: the body's digest is in the subject, and the
  // server stores the message only if that subject is new (see createReplayGuard). A publish that
  // fails stores nothing, so GitHub's redelivery of a 503'd delivery is always accepted.
  const published = await options.replayGuard(
    {
      deliveryId,
      event,
      action,
      payload: payloadBytes,
      digest,
      hookId: ctx.get('x-github-hook-id') || undefined,
      targetType: ctx.get('x-github-hook-installation-target-type') || undefined,
      targetId: ctx.get('x-github-hook-installation-target-id') || undefined,
    },
    log,
  );
  if (published.kind === 'replay') {
    // Answered like any duplicate (seq 0), so a prober learns nothing it did not know.
    ctx.state.outcome = 'replay_suspected';
    return answer(ctx, deliveryId, event, 'duplicate', published.stream, 0);
  }
  const duplicate = published.kind === 'duplicate';
  ctx.state.outcome = duplicate ? 'duplicate' : 'accepted';
  if (options.debugLog) log().debug({ event, action, seq: published.seq, duplicate }, 'webhook accepted');
  answer(ctx, deliveryId, event, duplicate ? 'duplicate' : 'queued', published.stream, published.seq);
}

function parseChecked(
  body: Buffer,
  contentType: WebhookContentType,
  event: string,
  checkEventAge: WebhookRouteOptions['checkEventAge'],
): { action: string | undefined; payloadBytes: Buffer } {
  const { action, payloadBytes, payload } = parseWebhookPayload(body, contentType);
  checkEventAge(event, payload);
  return { action, payloadBytes };
}

function answer(ctx: Context, deliveryId: string, event: string, status: AcceptedBody['result']['status'], stream: string, seq: number): void {
  ctx.status = 202;
  const accepted: AcceptedBody = { status: 'accepted', delivery_id: deliveryId, event_type: event, result: { status, stream, seq } };
  ctx.body = accepted;
}
