import type { Config } from '../config/load-config.js';
import { createCodegenClient, type CodegenClient } from '../effects/codegen/create-codegen-client.js';
import { createGithubClient, type GithubClient } from '../effects/github/create-github-client.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/**
 * The GitHub and Codegen clients from configuration. GitHub: a token when one is given, else the
 * App's installation tokens when its id and key are, else no credentials (every call is refused
 * as not configured). Codegen: configured only with both its token and organisation id.
 */
export function createOutboundClients(config: Config, logger: Logger, metrics: Metrics): { github: GithubClient; codegen: CodegenClient } {
  const github = createGithubClient({
    graphqlUrl: config.github.graphqlUrl,
    auth: config.github.token
      ? { kind: 'token', token: config.github.token }
      : config.github.appId && config.github.appPrivateKey
        ? { kind: 'app', appId: config.github.appId, privateKey: config.github.appPrivateKey }
        : { kind: 'none' },
    logger: logger.child({ component: 'github' }),
    metrics,
    timeoutMs: config.github.timeoutMs,
  });
  const codegen = createCodegenClient({
    apiUrl: config.codegen.apiUrl,
    token: config.codegen.token,
    orgId: config.codegen.orgId,
    logger: logger.child({ component: 'codegen' }),
    metrics,
    timeoutMs: config.codegen.timeoutMs,
  });
  return { github, codegen };
}
