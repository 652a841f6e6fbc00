/**
 * One GraphQL operation the GitHub client can run: the document it sends, how its variables are
 * built, and how its answer becomes a plain object. `toResult` validates the answer with zod, so a
 * schema drift surfaces as a ZodError (the client turns it into 'permanent_failure'), and throws
 * AppError('permanent_failure') when the object asked for does not exist.
 */
export interface GithubQuery<Input, Result> {
  /** snake_case label for metrics and logs. */
  readonly operation: string;
  /** The name of the operation inside `query`, sent as `operationName`. */
  readonly operationName: string;
  readonly query: string;
  /**
   * The operation's variables. @octokit/graphql takes them as top-level options, so they must not
   * be named query, method, url, headers, request, baseUrl, mediaType or operationName.
   */
  variables(input: Input): Record<string, unknown>;
  toResult(data: unknown, input: Input): Result;
}
