import { createPrivateKey } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { request } from '@octokit/request';
import { AppError } from '../../errors/app-error.js';
import type { Logger } from '../../observability/logger.js';
import { githubRestBaseUrl } from './github-rest-base-url.js';

/** How the service authenticates to GitHub: a token, a GitHub App, or not at all. */
export type GithubAuthConfig =
  | { kind: 'token'; token: string }
  | { kind: 'app'; appId: string; privateKey: string }
  | { kind: 'none' };

export interface GithubAuthOptions {
  auth: GithubAuthConfig;
  /** The GraphQL endpoint; App auth derives the REST base for installation tokens from it. */
  graphqlUrl: string;
  /** Used for installation-token requests; already bounded by the client's timeout. */
  fetch: typeof fetch;
  logger: Logger;
}

/** The `authorization` header for one call and the rate-limit bucket it draws from. */
export interface GithubCredentials {
  authorization: string;
  bucket: string;
}

/** Produces credentials per call. */
export interface GithubAuth {
  readonly configured: boolean;
  /**
   * Credentials for a call on behalf of `installationId`. App auth mints (and caches, through
   * @octokit/auth-app, until shortly before expiry) an installation token; it throws
   * AppError('permanent_failure') without an installation id. Throws AppError('not_configured')
   * when there are no credentials.
   */
  credentials(installationId?: number): Promise<GithubCredentials>;
}

/**
 * Creates the {@link GithubAuth} for a configuration. An App private key that is not a valid PEM
 * key fails here, at start-up, with AppError('not_configured'), rather than on every event.
 * Environment files often carry the key with literal `\n`: those are turned into newlines.
 */
export function createGithubAuth(options: GithubAuthOptions): GithubAuth {
  const { auth } = options;
  if (auth.kind === 'none') {
    return {
      configured: false,
      credentials: () => Promise.reject(new AppError('not_configured', 'GitHub credentials are not configured')),
    };
  }
  if (auth.kind === 'token') {
    const credentials: GithubCredentials = { authorization: `bearer ${auth.token}`, bucket: 'token' };
    return { configured: true, credentials: () => Promise.resolve(credentials) };
  }

  const privateKey = auth.privateKey.includes('\\n') ? auth.privateKey.replace(/\\n/g, '\n') : auth.privateKey;
  try {
    createPrivateKey(privateKey);
  } catch (error) {
    throw new AppError('not_configured', 'The GitHub App private key is not a valid PEM private key', { cause: error });
  }
  const logger = options.logger;
  const appAuth = createAppAuth({
    appId: auth.appId,
    privateKey,
    request: request.defaults({ baseUrl: githubRestBaseUrl(options.graphqlUrl), request: { fetch: options.fetch } }),
    log: { warn: (message: string) => logger.warn({ component: 'github-auth' }, message) },
  });
  return {
    configured: true,
    async credentials(installationId) {
      if (installationId === undefined) {
        throw new AppError('permanent_failure', 'GitHub App authentication needs the installation id of the event');
      }
      const { token } = await appAuth({ type: 'installation', installationId });
      return { authorization: `bearer ${token}`, bucket: `installation:${installationId}` };
    },
  };
}
