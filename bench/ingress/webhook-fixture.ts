import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

export interface WebhookFixtureOptions {
  secret: string;
  /** Exact size of the JSON body in bytes. Default 25 KiB. */
  bytes?: number;
}

/**
 * Signed deliveries of one `pull_request` event shape. Each has its own GUID and its own bytes (a
 * counter in the padding, re-signed): GitHub never sends one body under two ids, and ingress treats
 * that as a replay.
 */
export interface WebhookFixture {
  /** The first delivery's body; every other one has the same length. */
  body: Buffer;
  /** Headers as GitHub sends them, without X-GitHub-Delivery (the signature is the first body's). */
  headers: Record<string, string>;
  event: 'pull_request';
  action: string;
  /** The next delivery: a new GUID, a body of its own and its signature. */
  nextDelivery(): { deliveryId: string; body: Buffer; signature: string };
  /** The body of the delivery `deliveryId` made by this fixture, or undefined for another id. */
  bodyFor(deliveryId: string): Buffer | undefined;
}

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}

/**
 * A real `pull_request` `opened` payload from @octokit/webhooks-examples, its `updated_at` set to
 * now (ingress refuses events older than its maximum age), its `pull_request.body` padded so the
 * compact JSON is exactly `bytes` long, signed with HMAC-SHA256 like GitHub does (computed here,
 * independently of the service's own signing code).
 */
export function createWebhookFixture(options: WebhookFixtureOptions): WebhookFixture {
  const target = options.bytes ?? 25 * 1024;
  const payload = pullRequestOpenedExample() as { action: string; pull_request: { body: string | null; updated_at: string } };
  payload.pull_request.updated_at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

  // A fixed-width slot for the delivery's counter, first in the padding.
  const slot = `#${'0'.repeat(COUNTER_DIGITS)}`;
  const original = payload.pull_request.body ?? '';
  payload.pull_request.body = original + slot;
  const missing = target - Buffer.byteLength(JSON.stringify(payload));
  if (missing < 1) throw new Error(`the example is already ${target - missing} bytes, over the ${target}-byte target`);
  // ASCII without JSON escapes, so each character adds exactly one byte.
  const filler = 'Benchmark padding: a long pull request description with a checklist, logs and notes. ';
  const padding = ` ${filler.repeat(Math.ceil(missing / filler.length))}`.slice(0, missing);
  payload.pull_request.body = original + slot + padding;
  const template = Buffer.from(JSON.stringify(payload));
  if (template.length !== target) throw new Error(`padded body is ${template.length} bytes, expected ${target}`);
  const slotAt = template.indexOf(slot) + 1;

  const sign = (body: Buffer) => `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`;
  const bodyOf = (counter: number) => {
    const body = Buffer.from(template);
    body.write(String(counter).padStart(COUNTER_DIGITS, '0'), slotAt, 'latin1');
    return body;
  };
  // GUID-shaped ids whose last group is the counter, so a stored message leads back to its body.
  const idPrefix = randomUUID().slice(0, 24);
  let counter = 0;
  const first = bodyOf(0);
  return {
    body: first,
    event: 'pull_request',
    action: payload.action,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/bench',
      'x-github-event': 'pull_request',
      'x-github-hook-id': '123456789',
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': '35129377',
      'x-hub-signature-256': sign(first),
    },
    nextDelivery() {
      const n = counter++;
      const body = n === 0 ? first : bodyOf(n);
      return { deliveryId: idPrefix + n.toString(16).padStart(12, '0'), body, signature: sign(body) };
    },
    bodyFor(deliveryId) {
      if (!deliveryId.startsWith(idPrefix)) return undefined;
      const n = Number.parseInt(deliveryId.slice(idPrefix.length), 16);
      return Number.isInteger(n) && n < counter ? bodyOf(n) : undefined;
    },
  };
}

const COUNTER_DIGITS = 12;

/** A fresh copy of @octokit/webhooks-examples' `pull_request` `opened` payload, as GitHub sent it. */
export function pullRequestOpenedExample(): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const groups = require('@octokit/webhooks-examples') as ExampleGroup[];
  const example = groups.find((group) => group.name === 'pull_request')?.examples.find((e) => e.action === 'opened');
  if (!example) throw new Error('@octokit/webhooks-examples has no pull_request.opened example');
  return structuredClone(example);
}
