import { AppError } from '../../errors/app-error.js';

/**
 * The REST API base that belongs to a GraphQL endpoint, which GitHub App authentication needs to
 * mint installation tokens. The rule: a path ending in `/api/graphql` (GitHub Enterprise Server)
 * becomes `/api/v3`; any other path ending in `/graphql` loses that segment.
 *
 *   https://api.github.com/graphql      → https://api.github.com
 *   https://ghes.example/api/graphql    → https://ghes.example/api/v3
 *
 * Throws AppError('not_configured') for a URL that ends otherwise: guessing would send the App's
 * JWT to the wrong place.
 */
export function githubRestBaseUrl(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/graphql')) {
    throw new AppError('not_configured', 'The GitHub GraphQL URL must end with /graphql to derive its REST API');
  }
  const base = path.slice(0, -'/graphql'.length);
  url.pathname = base.endsWith('/api') ? `${base}/v3` : base;
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}
