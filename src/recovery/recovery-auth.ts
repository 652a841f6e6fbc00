import { createAppAuth } from '@octokit/auth-app';
import type { request as octokitRequest } from '@octokit/request';
import type { HookTarget } from '../contracts/hook-target.js';
import { createGithubAuth, type GithubAuth } from '../effects/github/create-github-auth.js';
import type { Logger } from '../observability/logger.js';

/** Options of {@link createRecoveryAuth}. */
export interface RecoveryAuthOptions {
  /** GITHUB_TOKEN: enough for repository and organisation hooks (admin:repo_hook / admin:org_hook). */
  token?: string | undefined;
  /** GitHub App credentials: the App's own hook (JWT), and installation tokens for the others. */
  app?: { appId: string; privateKey: string } | undefined;
  /** `@octokit/request` with the REST base and fetch already set. */
  request: typeof octokitRequest;
  graphqlUrl: string;
  fetch: typeof fetch;
  logger: Logger;
}

/** The `authorization` header for the deliveries of one hook. */
export type RecoveryAuth = (target: HookTarget) => Promise<string>;

/**
 * Authentication for the hook-delivery endpoints: the App's hook takes the App's JWT (nothing else
 * may read it); a repository or organisation hook takes GITHUB_TOKEN when set, else an
 * installation token of the App installed there (its id looked up once with the JWT).
 */
export function createRecoveryAuth(options: RecoveryAuthOptions): RecoveryAuth {
  const { app, token } = options;
  const appAuth = app ? createAppAuth({ appId: app.appId, privateKey: app.privateKey, request: options.request }) : undefined;
  const installations: GithubAuth | undefined = app
    ? createGithubAuth({ auth: { kind: 'app', ...app }, graphqlUrl: options.graphqlUrl, fetch: options.fetch, logger: options.logger })
    : undefined;
  const installationIds = new Map<string, number>();
  const jwt = async () => {
    if (!appAuth) throw new Error('the App hook needs GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY');
    return `bearer ${(await appAuth({ type: 'app' })).token}`;
  };
  return async (target) => {
    if (target.kind === 'app') return jwt();
    if (token) return `bearer ${token}`;
    if (!installations) throw new Error('repository and organisation hooks need GITHUB_TOKEN or GitHub App credentials');
    const route = target.kind === 'repo' ? `GET /repos/${target.repository}/installation` : `GET /orgs/${target.org}/installation`;
    let installationId = installationIds.get(route);
    if (installationId === undefined) {
      const { data } = await options.request(route, { headers: { authorization: await jwt() } });
      installationId = Number((data as { id: number }).id);
      installationIds.set(route, installationId);
    }
    return (await installations.credentials(installationId)).authorization;
  };
}
