import type { EntityManager } from '@mikro-orm/postgresql';
import { startCodegenDouble, type CodegenDouble } from './codegen-api-double.js';
import { startGithubGraphqlDouble, type GithubGraphqlDouble } from './github-graphql-double.js';
import { startTestService, type TestService, type TestServiceOptions } from './start-test-service.js';

/** The management API token of every full stack. */
export const FULL_STACK_API_TOKEN = 'test-api-token-0123456789abcdef';

export interface FullStack {
  service: TestService;
  github: GithubGraphqlDouble;
  codegen: CodegenDouble;
  em(): EntityManager;
  dispose(): Promise<void>;
}

/**
 * The service with its actors, wired to loopback doubles of GitHub's GraphQL API (validated
 * against the published schema) and of Codegen's agent API, on real NATS and PostgreSQL.
 */
export async function startFullStack(env: Record<string, string> = {}, options: TestServiceOptions = {}): Promise<FullStack> {
  const github = await startGithubGraphqlDouble();
  const codegen = await startCodegenDouble();
  const service = await startTestService(
    {
      GITHUB_GRAPHQL_URL: github.url,
      GITHUB_TOKEN: 'ghp_fullStackTestToken000000000000000000',
      CODEGEN_API_URL: codegen.url,
      CODEGEN_TOKEN: codegen.token,
      CODEGEN_ORG_ID: codegen.orgId,
      API_TOKEN: FULL_STACK_API_TOKEN,
      ...env,
    },
    {
      rules: { defaults: { coalesceWindowSeconds: 0.5 } },
      breakers: { coolDownMs: 1000 },
      codegenPolling: { pollMs: 50, maxPollMs: 200 },
      ...options,
    },
  );
  return {
    service,
    github,
    codegen,
    em: () => service.database.orm.em.fork(),
    async dispose() {
      await service.dispose();
      await github.close();
      await codegen.close();
    },
  };
}
