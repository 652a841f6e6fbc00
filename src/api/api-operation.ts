import type { z } from 'zod';

/** One documented answer of an operation. */
export interface ApiResponse {
  description: string;
  /** The body's schema; a named one becomes a `$ref` to its component. */
  body?: z.ZodType;
  /** Default `application/json` when there is a body. */
  contentType?: string;
  /** Response headers beyond X-Request-Id (which every answer carries). */
  headers?: Readonly<Record<string, { description: string; schema: z.ZodType }>>;
}

/** A request body, by content type. */
export interface ApiRequestBody {
  description: string;
  required: boolean;
  content: Readonly<Record<string, z.ZodType>>;
}

/**
 * An HTTP operation described once: the router validates requests with its `params` and `query`
 * schemas and applies its `auth`; the OpenAPI document is generated from the same object.
 */
export interface ApiOperation<P extends z.ZodObject = z.ZodObject, Q extends z.ZodObject = z.ZodObject> {
  operationId: string;
  method: 'get' | 'post';
  /** Koa-style path: `/api/v1/tasks/:id`. */
  path: string;
  tags: readonly string[];
  summary: string;
  description?: string;
  /** `bearer`: `Authorization: Bearer <API_TOKEN>` is required. */
  auth: 'bearer' | 'none';
  params: P;
  query: Q;
  /** Documented request headers (validated by the route itself, as the webhook's are). */
  headers?: z.ZodObject;
  requestBody?: ApiRequestBody;
  responses: Readonly<Record<number, ApiResponse>>;
}

/** Keeps an operation's schema types for the handler that serves it. */
export function defineOperation<P extends z.ZodObject, Q extends z.ZodObject>(operation: ApiOperation<P, Q>): ApiOperation<P, Q> {
  return operation;
}
