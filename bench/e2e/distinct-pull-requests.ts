import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { pullRequestOpenedExample } from '../ingress/webhook-fixture.js';

/** One signed delivery, ready to send: its own body, signature and delivery id. */
export interface SignedDelivery {
  deliveryId: string;
  pullRequestNumber: number;
  body: Buffer;
  headers: Record<string, string>;
}

/** An endless source of `pull_request.opened` deliveries, each for a pull request of its own. */
export interface DistinctPullRequests {
  /** The size of a body (they differ by a few bytes at most). */
  readonly approximateBytes: number;
  /** The i-th delivery (0-based); the same i always gives the same pull request, a new delivery id each call. */
  delivery(index: number): SignedDelivery;
}

// Stand-ins written into the example once, then replaced per delivery by splitting the JSON on them.
const SENTINELS = {
  number: 9_990_000_001,
  id: 9_990_000_002,
  nodeId: 'Zq_NODE_ID_Zq',
  headSha: 'Zq_HEAD_SHA_Zq',
} as const;

/**
 * The real `pull_request.opened` example from @octokit/webhooks-examples (unpadded, ~21 KB), its
 * `pull_request.updated_at` set to now, with `number`, `pull_request.number`, `.id`, `.node_id` and
 * `.head.sha` changed per delivery, so every delivery is a distinct pull request (one analysis
 * task each, no head row shared between them).
 * Each body is signed with HMAC-SHA256 as GitHub signs it. The JSON is serialised once and only the
 * varying values are spliced in, so the load generator spends microseconds, not a stringify, per request.
 */
export function distinctPullRequests(options: { secret: string }): DistinctPullRequests {
  const payload = pullRequestOpenedExample() as {
    number: number;
    pull_request: { number: number; id: number; node_id: string; updated_at: string; head: { sha: string } };
  };
  // The event's time is now, as GitHub sets it: ingress refuses pull request events older than its maximum age.
  payload.pull_request.updated_at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  payload.number = SENTINELS.number;
  payload.pull_request.number = SENTINELS.number;
  payload.pull_request.id = SENTINELS.id;
  payload.pull_request.node_id = SENTINELS.nodeId;
  payload.pull_request.head.sha = SENTINELS.headSha;
  const pattern = new RegExp(`(${Object.values(SENTINELS).join('|')})`);
  const parts = JSON.stringify(payload).split(pattern);
  if (parts.length !== 11) throw new Error(`expected 5 sentinels in the example, found ${(parts.length - 1) / 2}`);
  // Distinct from earlier runs too, should two runs ever share a database.
  const run = randomBytes(4).readUInt32BE() % 1_000_000;

  const valuesFor = (index: number): Record<string, string> => {
    const number = index + 1;
    const id = 1_000_000_000 + run * 10_000 + index;
    return {
      [String(SENTINELS.number)]: String(number),
      [String(SENTINELS.id)]: String(id),
      [SENTINELS.nodeId]: `PR_kwDO${id.toString(36)}`,
      [SENTINELS.headSha]: createHash('sha1').update(`${run}:${index}`).digest('hex'),
    };
  };

  return {
    approximateBytes: Buffer.byteLength(parts.join('')),
    delivery(index) {
      const values = valuesFor(index);
      const body = Buffer.from(parts.map((part, i) => (i % 2 === 1 ? values[part]! : part)).join(''));
      const deliveryId = randomUUID();
      return {
        deliveryId,
        pullRequestNumber: index + 1,
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/bench',
          'x-github-event': 'pull_request',
          'x-github-delivery': deliveryId,
          'x-github-hook-id': '123456789',
          'x-github-hook-installation-target-type': 'repository',
          'x-github-hook-installation-target-id': '35129377',
          'x-hub-signature-256': `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`,
        },
      };
    },
  };
}
