import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/** A request's raw path parameters and query, as Koa and the router hand them over. */
export interface RawRequest {
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string | string[] | undefined>>;
}

/** The validated, typed path parameters and query of a request. */
export interface ParsedRequest<P extends z.ZodObject, Q extends z.ZodObject> {
  params: z.output<P>;
  query: z.output<Q>;
}

/**
 * Validates a request against its operation's schemas. Every problem is reported at once in one
 * 400 `validation_failed` whose message names each offending parameter ("limit: must be at most
 * 1000; foo: unknown query parameter"). An empty query value (`status=`) counts as not given, so a
 * client that fills in a URL template does not have to drop empty fields; a parameter given twice
 * is refused rather than one of its values silently chosen.
 */
export function parseRequest<P extends z.ZodObject, Q extends z.ZodObject>(
  schemas: { params: P; query: Q },
  raw: RawRequest,
): ParsedRequest<P, Q> {
  const problems: string[] = [];
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.query)) {
    if (Array.isArray(value)) problems.push(`${name}: must be given at most once`);
    else if (value !== undefined && value !== '') query[name] = value;
  }
  const params = schemas.params.safeParse(raw.params, { error: describeIssue });
  const parsedQuery = schemas.query.safeParse(query, { error: describeIssue });
  if (!params.success) problems.push(...params.error.issues.map((issue) => formatIssue(issue, 'path parameter')));
  if (!parsedQuery.success) problems.push(...parsedQuery.error.issues.map((issue) => formatIssue(issue, 'query parameter')));
  if (problems.length > 0 || !params.success || !parsedQuery.success) {
    throw new AppError('validation_failed', problems.join('; '), { details: { problems } });
  }
  return { params: params.data, query: parsedQuery.data };
}

function formatIssue(issue: z.core.$ZodIssue, kind: string): string {
  if (issue.code === 'unrecognized_keys') {
    return `${issue.keys.join(', ')}: unknown ${kind}${issue.keys.length > 1 ? 's' : ''}`;
  }
  const name = issue.path.map(String).join('.');
  return name ? `${name}: ${issue.message}` : issue.message;
}

/** Plain-language messages for the issues a schema did not word itself. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be a ${issue.expected}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters long' : ''}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters long' : ''}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
}
