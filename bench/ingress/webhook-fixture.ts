import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

export interface WebhookFixtureOptions {
  secret: string;
  /** Exact size of the JSON body in bytes. Default 25 KiB. */
  bytes?: number;
}

/** One signed delivery, reused for every request; only X-GitHub-Delivery changes per request. */
export interface WebhookFixture {
  body: Buffer;
  /** Headers as GitHub sends them, without X-GitHub-Delivery. */
  headers: Record<string, string>;
  event: 'pull_request';
  action: string;
  /** A new delivery GUID per call, as GitHub gives every delivery. */
  nextDeliveryId(): string;
}

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}

/**
 * A real `pull_request` `opened` payload from @octokit/webhooks-examples, its `pull_request.body`
 * padded so the compact JSON is exactly `bytes` long, signed with HMAC-SHA256 like GitHub does
 * (computed here, independently of the service's own signing code).
 */
export function createWebhookFixture(options: WebhookFixtureOptions): WebhookFixture {
  const target = options.bytes ?? 25 * 1024;
  const require = createRequire(import.meta.url);
  const groups = require('@octokit/webhooks-examples') as ExampleGroup[];
  const example = groups.find((group) => group.name === 'pull_request')?.examples.find((e) => e.action === 'opened');
  if (!example) throw new Error('@octokit/webhooks-examples has no pull_request.opened example');
  const payload = structuredClone(example) as { action: string; pull_request: { body: string | null } };

  const original = payload.pull_request.body ?? '';
  payload.pull_request.body = original;
  const missing = target - Buffer.byteLength(JSON.stringify(payload));
  if (missing < 1) throw new Error(`the example is already ${target - missing} bytes, over the ${target}-byte target`);
  // ASCII without JSON escapes, so each character adds exactly one byte.
  const filler = 'Benchmark padding: a long pull request description with a checklist, logs and notes. ';
  const padding = ` ${filler.repeat(Math.ceil(missing / filler.length))}`.slice(0, missing);
  payload.pull_request.body = original + padding;
  const body = Buffer.from(JSON.stringify(payload));
  if (body.length !== target) throw new Error(`padded body is ${body.length} bytes, expected ${target}`);

  const signature = `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`;
  return {
    body,
    event: 'pull_request',
    action: payload.action,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/bench',
      'x-github-event': 'pull_request',
      'x-github-hook-id': '123456789',
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': '35129377',
      'x-hub-signature-256': signature,
    },
    nextDeliveryId: () => randomUUID(),
  };
}
