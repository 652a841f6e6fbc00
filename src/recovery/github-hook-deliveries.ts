import type { components } from '@octokit/openapi-types';
import { RequestError } from '@octokit/request-error';
import type { request as octokitRequest } from '@octokit/request';
import { hookDeliveriesPath, type HookTarget } from '../contracts/hook-target.js';
import type { RecoveryAuth } from './recovery-auth.js';

/** One delivery attempt as GitHub lists it (`hook-delivery-item` in GitHub's OpenAPI description). */
export type HookDeliveryItem = Pick<
  components['schemas']['hook-delivery-item'],
  'guid' | 'delivered_at' | 'redelivery' | 'status' | 'status_code' | 'event' | 'action'
> & { id: number };

/** GitHub asked us to wait: a 429, a secondary limit, or the primary limit used up. */
export interface RateLimited {
  kind: 'rate_limited';
  /** When calls may start again (Retry-After, else x-ratelimit-reset, else one minute). */
  resumeAt: Date;
}

/** One page of deliveries, newest first. */
export interface DeliveriesPage {
  kind: 'page';
  items: HookDeliveryItem[];
  /** The cursor of the next (older) page, from the Link header; undefined on the last page. */
  next: string | undefined;
  /** When x-ratelimit-remaining reached 0: no further call before this time. */
  exhaustedUntil: Date | undefined;
}

/** The hook-delivery endpoints of GitHub's REST API. */
export interface GithubHookDeliveries {
  list(target: HookTarget, cursor: string | undefined): Promise<DeliveriesPage | RateLimited>;
  /** Asks GitHub to deliver attempt `id` again (202); it answers asynchronously. */
  redeliver(target: HookTarget, id: number): Promise<{ kind: 'accepted'; exhaustedUntil: Date | undefined } | RateLimited>;
}

/** Options of {@link createGithubHookDeliveries}. */
export interface GithubHookDeliveriesOptions {
  /** `@octokit/request` with the REST base URL and fetch already set. */
  request: typeof octokitRequest;
  auth: RecoveryAuth;
  /** Page size, 1..100. Default 100. */
  perPage?: number;
  now?: () => number;
}

/**
 * Lists and redelivers hook deliveries, reading GitHub's rate-limit headers on every answer:
 * being told to wait is returned as {@link RateLimited} (an expected condition), not thrown. Any
 * other failure rejects with @octokit/request's RequestError.
 */
export function createGithubHookDeliveries(options: GithubHookDeliveriesOptions): GithubHookDeliveries {
  const now = options.now ?? Date.now;
  const perPage = options.perPage ?? 100;
  const call = async (route: string, parameters: Record<string, unknown>, target: HookTarget) => {
    try {
      return await options.request(route, { ...parameters, headers: { authorization: await options.auth(target), 'x-github-api-version': '2022-11-28' } });
    } catch (error) {
      const limited = error instanceof RequestError ? rateLimited(error, now()) : undefined;
      if (limited) return limited;
      throw error;
    }
  };
  return {
    async list(target, cursor) {
      const answer = await call(`GET ${hookDeliveriesPath(target)}`, { per_page: perPage, ...(cursor ? { cursor } : {}) }, target);
      if ('kind' in answer) return answer;
      const headers = answer.headers as Record<string, string | undefined>;
      return {
        kind: 'page',
        items: (answer.data as Array<HookDeliveryItem & { id: number | bigint }>).map((item) => ({ ...item, id: Number(item.id) })),
        next: nextCursor(headers.link),
        exhaustedUntil: exhausted(headers),
      };
    },
    async redeliver(target, id) {
      const answer = await call(`POST ${hookDeliveriesPath(target)}/${id}/attempts`, {}, target);
      if ('kind' in answer) return answer;
      return { kind: 'accepted', exhaustedUntil: exhausted(answer.headers as Record<string, string | undefined>) };
    },
  };
}

/** The `cursor` of the `rel="next"` link, as GitHub paginates deliveries. */
export function nextCursor(link: string | undefined): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match) return new URL(match[1]!).searchParams.get('cursor') ?? undefined;
  }
  return undefined;
}

// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api: a 429, or a
// 403 with Retry-After or x-ratelimit-remaining 0, means wait; Retry-After wins over the reset time.
function rateLimited(error: RequestError, nowMs: number): RateLimited | undefined {
  const headers = (error.response?.headers ?? {}) as Record<string, string | undefined>;
  const retryAfter = Number(headers['retry-after']);
  const limited = error.status === 429 || (error.status === 403 && (headers['retry-after'] !== undefined || headers['x-ratelimit-remaining'] === '0'));
  if (!limited) return undefined;
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return { kind: 'rate_limited', resumeAt: new Date(nowMs + retryAfter * 1000) };
  return { kind: 'rate_limited', resumeAt: exhausted(headers) ?? new Date(nowMs + 60_000) };
}

function exhausted(headers: Record<string, string | undefined>): Date | undefined {
  if (headers['x-ratelimit-remaining'] !== '0') return undefined;
  const reset = Number(headers['x-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
}
